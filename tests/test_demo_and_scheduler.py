import json
import logging
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from commons.accounts.models import SmsMessage, User
from commons.accounts.sms import send_sms
from commons.core.scheduler import InProcessScheduler
from commons.logs import JsonFormatter
from commons.registry.models import Resident
from commons.registry.services import read_record

pytestmark = pytest.mark.django_db

PHONE_BACKEND = "commons.accounts.backends.PhoneCodeBackend"


def test_the_demo_seeds_people_once_and_prints_their_credentials(capsys):
    call_command("demo", "--no-serve")
    first = capsys.readouterr().out
    call_command("demo", "--no-serve")

    assert "jinjiang-civil" in first
    assert "Sichuan-demo-2026" in first
    assert User.objects.filter(username="jinjiang-civil").count() == 1
    assert Resident.objects.count() == 5


# The scheduler closes stale connections between jobs, as a long-lived thread
# must; inside a test's open transaction that would close the test's own.
@pytest.mark.django_db(transaction=True)
def test_the_in_process_scheduler_runs_a_job_that_falls_due(settings, capsys):
    settings.CELERY_BEAT_SCHEDULE = {
        "verify": {"task": "commons.ledger.tasks.verify_ledger_chain", "schedule": 0.1}
    }
    scheduler = InProcessScheduler()
    started = timezone.now() - timedelta(seconds=1)
    scheduler.last_run = {"verify": started}

    scheduler.run_due_jobs()

    # Loading the task modules reconfigures logging, so read the console.
    assert "Periodic job verify ran" in capsys.readouterr().err
    assert scheduler.last_run["verify"] > started


class RecordingGateway:
    """Stands in for an SMS gateway this machine cannot reach."""

    sent: list[tuple[str, str]] = []

    def send(self, phone: str, body: str) -> None:
        self.sent.append((phone, body))


def test_the_sms_backend_is_pluggable(settings):
    settings.SMS_BACKEND = "tests.test_demo_and_scheduler.RecordingGateway"

    send_sms("13900000009", "hello")

    assert RecordingGateway.sent == [("13900000009", "hello")]
    assert not SmsMessage.objects.exists()


def test_json_logs_carry_the_extra_fields():
    record = logging.makeLogRecord(
        {"msg": "Appeal %s routed", "args": (42,), "levelname": "INFO", "appeal": 42}
    )

    line = json.loads(JsonFormatter().format(record))

    assert line["message"] == "Appeal 42 routed"
    assert line["appeal"] == 42


def test_the_ledger_page_runs_a_fixed_number_of_queries(
    client, resident, officer, service_grant
):
    client.force_login(resident.account, backend=PHONE_BACKEND)

    def queries_for_page() -> int:
        with CaptureQueriesContext(connection) as context:
            client.get(reverse("registry:my-ledger"))
        return len(context)

    read_record(resident, reader=officer, purpose="service", fields=["phone"])
    few = queries_for_page()
    for _ in range(10):
        read_record(resident, reader=officer, purpose="service", fields=["phone"])

    assert queries_for_page() == few
