"""Routing a filed appeal: department, priority, language, deadlines, duplicates."""

import logging

from django.db import transaction
from django.utils import timezone

from appeals.deadlines import set_deadlines
from appeals.duplicates import likely_duplicate_of
from appeals.models import Appeal, EventKind, Priority, Status
from appeals.routing import find_route
from appeals.services import timeline
from commons.registry.models import Purpose
from commons.registry.services import system_read

logger = logging.getLogger(__name__)

MINORITY_LANGUAGES = {"bo", "ii"}
ROUTING_FIELDS = ["vulnerability", "preferred_language"]


def route(appeal_id: int) -> Appeal:
    """Route one appeal. Safe to run twice: a routed appeal is left alone."""
    with transaction.atomic():
        # Only the appeal's row is locked. Locking the joined resident,
        # category and place as well deadlocked with filings, whose commit
        # key-share-locks the same rows for their foreign keys.
        appeal = (
            Appeal.objects.select_for_update(of=("self",))
            .select_related("category", "location", "resident")
            .get(pk=appeal_id)
        )
        if appeal.status != Status.SUBMITTED:
            logger.info(
                "Appeal %s already routed; nothing to do", appeal.tracking_number
            )
            return appeal

        now = timezone.now()
        apply_record(appeal)
        primary = likely_duplicate_of(appeal)
        if primary is not None:
            link(appeal, primary, now)
        else:
            assign(appeal, now)
        appeal.routed_at = now
        appeal.version += 1
        appeal.save()
    return appeal


def apply_record(appeal: Appeal) -> None:
    """Let the registry record shape priority and the language of the answer."""
    record = system_read(
        appeal.resident,
        fields=ROUTING_FIELDS,
        purpose=Purpose.SERVICE,
        detail=f"routing appeal {appeal.tracking_number}",
    )
    flags = record["vulnerability"]
    if (flags["elderly"] and flags["lives_alone"]) or flags["has_disability"]:
        appeal.priority = max(appeal.priority, Priority.HIGH)
    if record["preferred_language"] in MINORITY_LANGUAGES:
        appeal.answer_language = record["preferred_language"]


def assign(appeal: Appeal, now) -> None:
    route_found = find_route(appeal.category, appeal.location)
    appeal.department = route_found.department
    appeal.status = Status.ROUTED
    set_deadlines(appeal, now)
    note = "dispatcher" if route_found.is_dispatcher else ""
    timeline.record(appeal, EventKind.ROUTED, department=appeal.department, note=note)
    logger.info(
        "Appeal %s routed to department %s",
        appeal.tracking_number,
        appeal.department.code,
        extra={"appeal": appeal.tracking_number},
    )


def link(appeal: Appeal, primary: Appeal, now) -> None:
    # An elderly resident living alone who reports the same problem makes
    # the whole case more urgent.
    Appeal.objects.filter(pk=primary.pk, priority__lt=appeal.priority).update(
        priority=appeal.priority
    )
    appeal.duplicate_of = primary
    appeal.department = primary.department
    appeal.status = Status.LINKED
    timeline.record(
        appeal,
        EventKind.LINKED,
        department=primary.department,
        note=primary.tracking_number,
    )
    timeline.record(primary, EventKind.LINKED, note=appeal.tracking_number, tell=False)
    logger.info(
        "Appeal %s joined to open case %s",
        appeal.tracking_number,
        primary.tracking_number,
    )
