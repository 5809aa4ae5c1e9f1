"""Shared fixtures: the real Sichuan tree, loaded once, and the personas.

Personas (tests/personas.py) cover every role, and an outsider from another
county who must be refused.
"""

import pytest
from django.core.management import call_command

from commons.regions.departments import seed_departments
from commons.regions.loading import load_sichuan
from commons.regions.models import Region
from tests.personas import (  # noqa: F401 - fixtures shared by every test module
    analyst,
    civil_affairs,
    community,
    intermediary,
    officer,
    outsider,
    resident,
    resident_account,
    service_grant,
    supervisor,
)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_sichuan()
        seed_departments()


@pytest.fixture
def sichuan(db):
    """The region tree; transactional tests empty the tables, so reload then."""
    if not Region.objects.exists():
        load_sichuan()
        seed_departments()


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogues():
    """Serve the four languages from freshly compiled catalogues."""
    call_command("compilemessages", ignore_patterns=[".venv", "var"], verbosity=0)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """The personas get passwords; the production hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def tasks_in_process(request, settings):
    """Run Celery tasks in the calling thread, as the embedded default does.

    CI sets REDIS_URL, which turns eager mode off for the whole process; only
    the tests that start a real worker (the routing_worker fixture) send
    tasks to a broker.
    """
    from commons.celery import app

    if "routing_worker" in request.fixturenames:
        yield
        return
    settings.CELERY_TASK_ALWAYS_EAGER = True
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous
