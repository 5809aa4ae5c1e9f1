"""Routing through Redis and a real Celery worker, on PostgreSQL.

Tests here commit their data (transactional tests) so the worker, another
process, sees it. Each starts from an empty database, so the region tree and
the taxonomy are loaded again by their fixtures.
"""

import time
import uuid
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from appeals import tasks
from appeals.models import Appeal, EventKind, Status
from appeals.services.filing import Filing, file_appeal
from commons.registry.models import Resident
from tests.appeals.worker import (
    POLL_SECONDS,
    TASK_SECONDS,
    requires_services,
    sending_to,
    start_routing_worker,  # noqa: F401 - the routing_worker fixture
)

pytestmark = [
    pytest.mark.services,
    requires_services,
    pytest.mark.django_db(transaction=True),
]

# Nothing listens on port 1: sending there fails at once, as with Redis down.
DEAD_BROKER = "redis://127.0.0.1:1/0"


def file_for_worker(resident: Resident, category) -> Appeal:
    appeal, _created = file_appeal(
        Filing(
            resident=resident,
            filed_by=resident.account,
            category=category,
            description="楼下的下水道堵了，污水漫到路上",
            location=resident.home_community,
            idempotency_key=uuid.uuid4().hex,
        )
    )
    return appeal


def file_while_broker_is_down(resident: Resident, category) -> Appeal:
    # No retries: the filing would otherwise wait for the broker to return.
    with sending_to(DEAD_BROKER, broker_transport_options={"max_retries": 0}):
        return file_for_worker(resident, category)


def wait_until_routed(appeal: Appeal) -> Appeal:
    deadline = time.monotonic() + TASK_SECONDS
    while time.monotonic() < deadline:
        appeal.refresh_from_db()
        if appeal.status != Status.SUBMITTED:
            return appeal
        time.sleep(POLL_SECONDS)
    pytest.fail(f"appeal {appeal.tracking_number} was not routed in {TASK_SECONDS} s")
    return appeal


def test_a_filed_appeal_is_routed_by_the_worker(routing_worker, resident, taxonomy):
    # With a broker configured, the task must leave this process.
    assert settings.CELERY_TASK_ALWAYS_EAGER is False

    appeal = file_for_worker(resident, taxonomy["roads"])

    routed = wait_until_routed(appeal)

    assert routed.status == Status.ROUTED
    assert routed.department.code == "housing-510104"
    assert routed.routed_at >= routed.created_at
    assert routed.events.filter(kind=EventKind.ROUTED).count() == 1
    assert routing_worker.process.poll() is None


def test_an_appeal_filed_while_the_broker_was_down_is_routed_by_the_sweep(
    routing_worker, resident, taxonomy
):
    appeal = file_while_broker_is_down(resident, taxonomy["roads"])
    assert Appeal.objects.get(pk=appeal.pk).status == Status.SUBMITTED
    # The worker's clock cannot be moved from here: age the appeal instead.
    Appeal.objects.filter(pk=appeal.pk).update(
        created_at=timezone.now() - timedelta(minutes=5)
    )

    assert tasks.reenqueue_unrouted() == 1

    routed = wait_until_routed(appeal)
    assert routed.status == Status.ROUTED
    assert routed.events.filter(kind=EventKind.ROUTED).count() == 1


def test_routing_delivered_twice_routes_once(routing_worker, resident, taxonomy):
    appeal = file_while_broker_is_down(resident, taxonomy["roads"])

    deliveries = [tasks.route_appeal_task.delay(appeal.pk) for _ in range(2)]

    outcomes = [routing_worker.wait_for_task(task.id) for task in deliveries]
    assert all("succeeded" in outcome for outcome in outcomes)
    routed = Appeal.objects.get(pk=appeal.pk)
    assert routed.status == Status.ROUTED
    assert routed.version == 2
    assert routed.events.filter(kind=EventKind.ROUTED).count() == 1
