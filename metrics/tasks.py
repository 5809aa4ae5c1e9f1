"""Celery tasks: thin wrappers around the services, each safe to run twice."""

import logging

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from metrics import services

logger = logging.getLogger(__name__)


@shared_task
def take_monthly_snapshots() -> int:
    """The months just over, recomputed so that late answers count."""
    return services.take_monthly_snapshots(timezone.localdate())


@shared_task
def take_rolling_snapshots() -> int:
    return services.take_rolling_snapshots(timezone.localdate())


@shared_task
def evaluate_last_quarter() -> int | None:
    run = services.evaluate_last_quarter(timezone.localdate())
    return None if run is None else run.pk


@shared_task(
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
)
def run_evaluation_task(run_id: int) -> str:
    return services.run_evaluation(run_id).status


@shared_task
def resume_lost_runs() -> int:
    return services.resume_lost_runs()
