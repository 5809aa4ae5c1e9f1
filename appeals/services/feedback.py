"""The resident's side after filing: information, rating, reopening."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appeals.deadlines import raise_priority, resume, set_deadlines
from appeals.models import Appeal, EventKind, Rating, Status
from appeals.services import timeline
from commons.accounts.models import User

logger = logging.getLogger(__name__)


class FeedbackRefused(Exception):
    """Not possible now, with a message for the resident."""


def reopen_window() -> timedelta:
    return timedelta(days=settings.APPEAL_FEEDBACK_DAYS)


def may_act_for(user: User, appeal: Appeal) -> bool:
    """The resident, or the volunteer who filed for them while authorised."""
    if appeal.resident.account_id == user.pk:
        return True
    return appeal.filed_by_id == user.pk and appeal.filer_access_ended_at is None


def locked(appeal_id: int, user: User) -> Appeal:
    # Only the appeal's row: the resident and the category are read, and
    # filings must key-share-lock both when they commit.
    appeal = (
        Appeal.objects.select_for_update(of=("self",))
        .select_related("resident", "category")
        .get(pk=appeal_id)
    )
    if not may_act_for(user, appeal):
        raise FeedbackRefused(_("This is not your appeal."))
    return appeal


def provide_info(appeal_id: int, *, user: User, answer: str) -> Appeal:
    if not answer.strip():
        raise FeedbackRefused(_("Write the information the office asked for."))
    with transaction.atomic():
        appeal = locked(appeal_id, user)
        if appeal.status != Status.AWAITING_INFO:
            raise FeedbackRefused(_("The office is not waiting for information now."))
        resume(appeal, timezone.now())
        appeal.status = Status.ACCEPTED
        appeal.version += 1
        appeal.save()
        timeline.record(
            appeal, EventKind.INFO_PROVIDED, actor=user, note=answer.strip()
        )
    return appeal


def rate(appeal_id: int, *, user: User, score: int, comment: str = "") -> Rating:
    if score not in range(1, 6):
        raise FeedbackRefused(_("Choose a rating from 1 to 5."))
    with transaction.atomic():
        appeal = locked(appeal_id, user)
        if appeal.status != Status.RESOLVED:
            raise FeedbackRefused(_("Only an answered appeal can be rated."))
        relayed_by = user if appeal.resident.account_id != user.pk else None
        rating = Rating.objects.create(
            appeal=appeal, score=score, comment=comment.strip(), relayed_by=relayed_by
        )
        timeline.record(appeal, EventKind.RATED, actor=user, note=str(score))
        close(appeal, user)
    logger.info("Appeal %s rated %s", appeal.tracking_number, score)
    return rating


def reopen(appeal_id: int, *, user: User, reason: str) -> Appeal:
    """Send an unsatisfying answer back to the department, more urgently."""
    if not reason.strip():
        raise FeedbackRefused(_("Say what is still wrong."))
    with transaction.atomic():
        appeal = locked(appeal_id, user)
        if appeal.status != Status.RESOLVED:
            raise FeedbackRefused(_("Only an answered appeal can be reopened."))
        if timezone.now() - appeal.resolved_at > reopen_window():
            raise FeedbackRefused(_("The time to reopen this appeal has passed."))
        now = timezone.now()
        appeal.duplicate_of = None
        appeal.status = Status.ROUTED
        appeal.reopen_count += 1
        appeal.resolved_at = None
        appeal.first_responded_at = None
        raise_priority(appeal)
        set_deadlines(appeal, now)
        appeal.version += 1
        appeal.save()
        timeline.record(
            appeal,
            EventKind.REOPENED,
            actor=user,
            department=appeal.department,
            note=reason.strip(),
        )
    logger.info("Appeal %s reopened", appeal.tracking_number)
    return appeal


def close(appeal: Appeal, actor: User | None, note: str = "") -> None:
    appeal.status = Status.CLOSED
    appeal.closed_at = timezone.now()
    appeal.version += 1
    appeal.save()
    timeline.record(appeal, EventKind.CLOSED, actor=actor, note=note, tell=False)
