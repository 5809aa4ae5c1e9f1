"""Celery tasks: thin wrappers around the services, each safe to run twice."""

import logging

from celery import shared_task
from django.db import OperationalError

from appeals.services import routing, sweeps
from appeals.services.filing import enqueue_routing

logger = logging.getLogger(__name__)


@shared_task(
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def route_appeal_task(appeal_id: int) -> str:
    return routing.route(appeal_id).status


@shared_task
def reenqueue_unrouted() -> int:
    ids = sweeps.unrouted_ids()
    for appeal_id in ids:
        enqueue_routing(appeal_id)
    if ids:
        logger.warning("Re-enqueued %s appeals whose routing never ran", len(ids))
    return len(ids)


@shared_task
def escalate_overdue() -> int:
    return sweeps.escalate_overdue()


@shared_task
def close_unrated() -> int:
    return sweeps.close_unrated()
