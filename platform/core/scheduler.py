"""Celery beat's schedule, run in-process for the embedded default and the demo.

Without a broker there is no beat process; this thread reads the same
CELERY_BEAT_SCHEDULE and runs each task in-process when it falls due, so
periodic work (escalations, ledger checks) happens in the demo too.
"""

import logging
import threading
from datetime import datetime

from celery.schedules import schedule as as_schedule
from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone

from commons.celery import app

logger = logging.getLogger(__name__)

# The longest the thread sleeps; short enough to stop quickly.
MAX_SLEEP_SECONDS = 30.0


class InProcessScheduler(threading.Thread):
    def __init__(self) -> None:
        super().__init__(name="in-process-beat", daemon=True)
        self.stopping = threading.Event()
        self.last_run: dict[str, datetime] = {}
        # Task modules are found lazily; a worker imports them at start-up,
        # and so must this stand-in for one.
        app.loader.import_default_modules()

    def run(self) -> None:
        started = timezone.now()
        self.last_run = {name: started for name in settings.CELERY_BEAT_SCHEDULE}
        logger.info("In-process scheduler started with %s jobs", len(self.last_run))
        while not self.stopping.is_set():
            self.stopping.wait(self.run_due_jobs())

    def run_due_jobs(self) -> float:
        """Run what is due; return how long to sleep before looking again."""
        sleep = MAX_SLEEP_SECONDS
        for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
            plan = entry["schedule"]
            if not hasattr(plan, "is_due"):
                plan = as_schedule(plan)
            due, next_check = plan.is_due(self.last_run[name])
            if due:
                self.last_run[name] = timezone.now()
                self.run_job(name, entry["task"])
            sleep = min(sleep, next_check)
        return max(sleep, 1.0)

    def run_job(self, name: str, task_name: str) -> None:
        close_old_connections()
        try:
            app.tasks[task_name].apply(throw=True)
        except Exception:
            logger.exception("Periodic job %s failed", name)
        else:
            logger.info("Periodic job %s ran", name)
        finally:
            close_old_connections()

    def stop(self) -> None:
        self.stopping.set()
