"""Periodic work: nothing stays unrouted, late appeals climb, old answers close."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from appeals.models import OPEN_STATUSES, Appeal, EventKind, Status
from appeals.routing import department_above
from appeals.services import timeline
from appeals.services.feedback import close, reopen_window
from commons.regions.models import Level

logger = logging.getLogger(__name__)

# Each sweep handles a bounded batch so one run never holds locks for long;
# the next run picks up the rest.
BATCH_SIZE = 500
# A routing task normally runs within seconds; after this long it was lost.
UNROUTED_AFTER = timedelta(minutes=2)


def unrouted_ids() -> list[int]:
    cutoff = timezone.now() - UNROUTED_AFTER
    stale = Appeal.objects.filter(status=Status.SUBMITTED, created_at__lt=cutoff)
    return list(stale.order_by("created_at").values_list("pk", flat=True)[:BATCH_SIZE])


def overdue() -> "list[int]":
    now = timezone.now()
    late = Q(resolution_due__lt=now) | Q(
        first_responded_at__isnull=True, first_response_due__lt=now
    )
    repeat = timedelta(hours=settings.APPEAL_ESCALATION_REPEAT_HOURS)
    not_recently = Q(escalated_at__isnull=True) | Q(escalated_at__lt=now - repeat)
    # Province offices are the top of the ladder: an appeal already there
    # cannot climb, and left in the batch it would hold back those that can.
    at_top = Q(escalated_to__jurisdiction__level=Level.PROVINCE) | Q(
        escalated_to__isnull=True, department__jurisdiction__level=Level.PROVINCE
    )
    candidates = Appeal.objects.filter(
        late, not_recently, status__in=OPEN_STATUSES, paused_at__isnull=True
    ).exclude(at_top)
    return list(
        candidates.order_by("resolution_due").values_list("pk", flat=True)[:BATCH_SIZE]
    )


def escalate(appeal_id: int) -> Appeal | None:
    """Send a late appeal to the supervisors one level further up."""
    with transaction.atomic():
        # Only the appeal's row is locked: the departments are nullable joins,
        # which PostgreSQL refuses to lock, and they are only read.
        appeal = (
            Appeal.objects.select_for_update(of=("self",))
            .select_related("department__jurisdiction", "escalated_to__jurisdiction")
            .get(pk=appeal_id)
        )
        if not appeal.is_overdue():
            return None
        current = appeal.escalated_to or appeal.department
        above = department_above(current)
        if above is None:
            return None
        appeal.escalated_to = above
        appeal.escalation_level += 1
        appeal.escalated_at = timezone.now()
        appeal.version += 1
        appeal.save()
        timeline.record(
            appeal,
            EventKind.ESCALATED,
            department=above,
            tell=False,
            note=str(appeal.escalation_level),
        )
    logger.warning(
        "Appeal %s overdue: escalated to department %s (level %s)",
        appeal.tracking_number,
        above.code,
        appeal.escalation_level,
        extra={"appeal": appeal.tracking_number},
    )
    return appeal


def escalate_overdue() -> int:
    return sum(1 for appeal_id in overdue() if escalate(appeal_id) is not None)


def close_unrated() -> int:
    """Answers nobody rated or reopened within the window close on their own."""
    cutoff = timezone.now() - reopen_window()
    ids = list(
        Appeal.objects.filter(
            status=Status.RESOLVED, resolved_at__lt=cutoff
        ).values_list("pk", flat=True)[:BATCH_SIZE]
    )
    closed = 0
    for appeal_id in ids:
        with transaction.atomic():
            appeal = Appeal.objects.select_for_update().get(pk=appeal_id)
            if appeal.status == Status.RESOLVED:
                close(appeal, None)
                closed += 1
    return closed
