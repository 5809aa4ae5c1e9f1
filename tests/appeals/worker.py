"""A real Celery worker for the integration tests, on a Redis database of its own.

The worker is a subprocess started the way production starts it, reading the
test database that pytest-django created. Tasks travel through Redis database
15, flushed at the start, so no other worker on the machine takes them and no
earlier run's leftovers reach this one.
"""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
import redis
from django.conf import settings

from commons.celery import app

REPO_ROOT = Path(__file__).resolve().parents[2]
BROKER_DATABASE = 15
# Starting Django and Celery takes a few seconds on a busy two-core machine.
READY_SECONDS = 20
# Routing one appeal takes milliseconds; this bounds every wait for the worker.
TASK_SECONDS = 20
POLL_SECONDS = 0.2


def services_missing() -> str:
    """Why the worker cannot run here, or an empty string when it can."""
    if not os.environ.get("DATABASE_URL", "").startswith(
        ("postgres://", "postgresql://")
    ):
        return "needs DATABASE_URL at PostgreSQL: a worker cannot share SQLite's"
    if not os.environ.get("REDIS_URL"):
        return "needs REDIS_URL: without a broker, tasks run in the calling process"
    return ""


requires_services = pytest.mark.skipif(
    bool(services_missing()), reason=services_missing() or "services available"
)


def isolated_broker_url() -> str:
    return (
        urlsplit(os.environ["REDIS_URL"])._replace(path=f"/{BROKER_DATABASE}").geturl()
    )


def worker_database_url() -> str:
    """The database pytest-django created (test_<name>), as a URL for the worker."""
    database = settings.DATABASES["default"]
    user = quote(database["USER"] or "", safe="")
    password = quote(database["PASSWORD"] or "", safe="")
    credentials = f"{user}:{password}" if password else user
    host = database["HOST"] or "127.0.0.1"
    port = database["PORT"] or 5432
    return f"postgres://{credentials}@{host}:{port}/{database['NAME']}"


def forget_broker_connections() -> None:
    """Make the next task take a connection to the configured broker.

    The app keeps the pools of the broker it first talked to and offers no
    public call to drop them. The pools themselves stay open in kombu's
    registry, where the next use of the same broker finds them again.
    """
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def sending_to(broker_url: str, **options: Any) -> Iterator[None]:
    """Send this process's tasks to ``broker_url`` meanwhile, then restore."""
    changes = {"broker_url": broker_url, "task_always_eager": False, **options}
    saved = {name: app.conf.get(name) for name in changes}
    app.conf.update(changes)
    forget_broker_connections()
    try:
        yield
    finally:
        app.conf.update(saved)
        forget_broker_connections()


@dataclass
class Worker:
    node: str
    log_path: Path
    process: subprocess.Popen

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def fail(self, message: str) -> None:
        pytest.fail(f"{message}\n--- worker log ---\n{self.log()[-4000:]}")

    def wait_for_task(self, task_id: str) -> str:
        """The worker's log line of the finished task."""
        deadline = time.monotonic() + TASK_SECONDS
        while time.monotonic() < deadline:
            for line in self.log().splitlines():
                if f"[{task_id}]" in line and (
                    " succeeded " in line or "raised" in line
                ):
                    return line
            time.sleep(POLL_SECONDS)
        self.fail(f"task {task_id} did not finish in {TASK_SECONDS} s")
        return ""


def wait_until_ready(worker: Worker) -> None:
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if worker.process.poll() is not None:
            worker.fail("the worker exited while starting")
        if app.control.ping(destination=[worker.node], timeout=1.0):
            return
    worker.fail(f"the worker did not answer a ping within {READY_SECONDS} s")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


@pytest.fixture(scope="session", name="routing_worker")
def start_routing_worker(django_db_setup, tmp_path_factory) -> Iterator[Worker]:
    """One worker for the session, with this process sending to its broker."""
    broker_url = isolated_broker_url()
    redis.Redis.from_url(broker_url).flushdb()
    env = {
        **os.environ,
        "DATABASE_URL": worker_database_url(),
        "REDIS_URL": broker_url,
        "DJANGO_SETTINGS_MODULE": "commons.settings",
    }
    node = f"appeals-test-{os.getpid()}@{socket.gethostname()}"
    command = [
        *(sys.executable, "-m", "celery", "-A", "commons.celery", "worker"),
        *("--loglevel=INFO", "--concurrency=1", "--pool=solo", "-n", node),
        # Nothing to synchronise with: the broker database is this worker's.
        *("--without-mingle", "--without-gossip"),
    ]
    log_path = tmp_path_factory.mktemp("worker") / "worker.log"

    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    worker = Worker(node, log_path, process)
    try:
        with sending_to(broker_url):
            wait_until_ready(worker)
            yield worker
    finally:
        stop(process)
