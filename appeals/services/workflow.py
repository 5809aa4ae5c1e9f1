"""What staff do with an appeal. Each action is one checked state change.

Every action names the version of the appeal the officer saw; if another
officer changed it meanwhile, the action is refused and changes nothing.
"""

import logging
from collections.abc import Callable, Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appeals.deadlines import pause, set_deadlines
from appeals.models import Appeal, EventKind, Status
from appeals.services import timeline
from commons.accounts.models import Role, User
from commons.regions.models import Department

logger = logging.getLogger(__name__)


class ActionRefused(Exception):
    """An action that is not allowed now, with a message for the officer."""


def may_handle(user: User, appeal: Appeal) -> bool:
    """Staff of the appeal's department, or supervisors it was escalated to."""
    if not user.works_for_department:
        return False
    if appeal.department_id == user.department_id:
        return True
    return user.role == Role.SUPERVISOR and appeal.escalated_to_id == user.department_id


def act(
    appeal_id: int,
    *,
    actor: User,
    version: int,
    allowed: Iterable[str],
    change: Callable[[Appeal], None],
) -> Appeal:
    """Lock the appeal, check who and when, apply ``change``, save."""
    with transaction.atomic():
        # Only the appeal's row: the category is read, and a lock on it would
        # hold up every filing of that category until this action commits.
        appeal = (
            Appeal.objects.select_for_update(of=("self",))
            .select_related("category")
            .get(pk=appeal_id)
        )
        if not may_handle(actor, appeal):
            raise ActionRefused(_("This appeal belongs to another department."))
        if appeal.version != version:
            raise ActionRefused(
                _(
                    "Someone else changed this appeal a moment ago. "
                    "Reload it and try again."
                )
            )
        if appeal.status not in allowed:
            raise ActionRefused(
                _("This cannot be done while the appeal is “%(status)s”.")
                % {"status": appeal.get_status_display()}
            )
        change(appeal)
        appeal.version += 1
        appeal.save()
    logger.info(
        "Appeal %s is now %s",
        appeal.tracking_number,
        appeal.status,
        extra={"appeal": appeal.tracking_number, "actor": actor.pk},
    )
    return appeal


def first_response(appeal: Appeal) -> None:
    if appeal.first_responded_at is None:
        appeal.first_responded_at = timezone.now()


def require_text(text: str, message: str) -> str:
    if not text.strip():
        raise ActionRefused(message)
    return text.strip()


def accept(appeal_id: int, *, actor: User, version: int) -> Appeal:
    def change(appeal: Appeal) -> None:
        first_response(appeal)
        appeal.status = Status.ACCEPTED
        appeal.assignee = actor
        timeline.record(
            appeal, EventKind.ACCEPTED, actor=actor, department=appeal.department
        )

    return act(
        appeal_id, actor=actor, version=version, allowed=[Status.ROUTED], change=change
    )


def request_info(appeal_id: int, *, actor: User, version: int, question: str) -> Appeal:
    question = require_text(question, _("Write what you need to know."))

    def change(appeal: Appeal) -> None:
        first_response(appeal)
        appeal.status = Status.AWAITING_INFO
        pause(appeal, timezone.now())
        timeline.record(
            appeal,
            EventKind.INFO_REQUESTED,
            actor=actor,
            department=appeal.department,
            note=question,
        )

    return act(
        appeal_id,
        actor=actor,
        version=version,
        allowed=[Status.ROUTED, Status.ACCEPTED],
        change=change,
    )


def transfer(
    appeal_id: int, *, actor: User, version: int, to: Department, reason: str
) -> Appeal:
    reason = require_text(reason, _("Say why the appeal goes to another department."))

    def change(appeal: Appeal) -> None:
        if to.pk == appeal.department_id or not to.is_active:
            raise ActionRefused(_("Choose another, active department."))
        if not to.serves(appeal.location):
            raise ActionRefused(
                _("That department does not serve the appeal's location.")
            )
        appeal.department = to
        appeal.assignee = None
        appeal.escalated_to = None
        appeal.escalation_level = 0
        appeal.status = Status.ROUTED
        set_deadlines(appeal, timezone.now())
        timeline.record(
            appeal, EventKind.TRANSFERRED, actor=actor, department=to, note=reason
        )

    return act(
        appeal_id,
        actor=actor,
        version=version,
        allowed=[Status.ROUTED, Status.ACCEPTED],
        change=change,
    )


def resolve(appeal_id: int, *, actor: User, version: int, reply: str) -> Appeal:
    reply = require_text(reply, _("Write the answer for the resident."))
    return finish(appeal_id, actor, version, reply, Status.RESOLVED)


def decline(appeal_id: int, *, actor: User, version: int, reason: str) -> Appeal:
    reason = require_text(reason, _("Say why the appeal is out of scope."))
    return finish(appeal_id, actor, version, reason, Status.DECLINED)


def finish(appeal_id: int, actor: User, version: int, text: str, status: str) -> Appeal:
    """Answer or decline: the resident's last word from the department.

    An answered appeal waits for the resident's rating; a declined one is
    closed at once.
    """
    kind = EventKind.RESOLVED if status == Status.RESOLVED else EventKind.DECLINED

    def change(appeal: Appeal) -> None:
        now = timezone.now()
        first_response(appeal)
        appeal.status = status
        appeal.reply = text
        if status == Status.RESOLVED:
            appeal.resolved_at = now
        else:
            appeal.closed_at = now
        timeline.record(
            appeal, kind, actor=actor, department=appeal.department, note=text
        )
        answer_duplicates(appeal, actor, kind, status)

    return act(
        appeal_id,
        actor=actor,
        version=version,
        allowed=[Status.ROUTED, Status.ACCEPTED],
        change=change,
    )


def answer_duplicates(primary: Appeal, actor: User, kind: str, status: str) -> None:
    """Everyone who reported the same problem hears the same outcome."""
    now = timezone.now()
    for linked in primary.duplicates.select_for_update().filter(status=Status.LINKED):
        linked.status = status
        linked.reply = primary.reply
        linked.resolved_at = now if status == Status.RESOLVED else None
        linked.closed_at = now if status == Status.DECLINED else None
        linked.version += 1
        linked.save()
        timeline.record(
            linked, kind, actor=actor, department=primary.department, note=primary.reply
        )


def reassign(
    appeal_id: int,
    *,
    actor: User,
    version: int,
    to: Department,
    officer: User | None = None,
    reason: str = "",
) -> Appeal:
    """A supervisor moves an appeal to another desk, in or out of their office."""
    if actor.role != Role.SUPERVISOR:
        raise ActionRefused(_("Only a supervisor can reassign an appeal."))
    if officer is not None and officer.department_id != to.pk:
        raise ActionRefused(_("That officer does not work in the chosen department."))

    def change(appeal: Appeal) -> None:
        if not to.serves(appeal.location):
            raise ActionRefused(
                _("That department does not serve the appeal's location.")
            )
        appeal.department = to
        appeal.assignee = officer
        appeal.escalated_to = None
        if appeal.status == Status.ACCEPTED and officer is None:
            appeal.status = Status.ROUTED
        timeline.record(
            appeal, EventKind.REASSIGNED, actor=actor, department=to, note=reason
        )

    return act(
        appeal_id,
        actor=actor,
        version=version,
        allowed=[Status.ROUTED, Status.ACCEPTED],
        change=change,
    )
