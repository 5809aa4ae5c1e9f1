"""The tablet's sync endpoint: a tracking number, or a reason the tablet shows."""

import uuid
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from appeals.models import Appeal, Channel, Status
from commons.registry.identity import make_id_number
from intermediaries.models import AssistedAppeal, Consent, VolunteerStatus
from intermediaries.signatures import as_data_url
from intermediaries.tokens import resident_token
from tests.intermediaries.conftest import signature_png
from tests.personas import COMMUNITY, OTHER_COMMUNITY

URL = "/volunteer/api/filings/"
PHONE_BACKEND = "commons.accounts.backends.PhoneCodeBackend"


def queued(volunteer, record, **overrides) -> dict:
    """A filing as the tablet's queue holds it."""
    payload = {
        "idempotency_key": uuid.uuid4().hex,
        "resident": resident_token(volunteer.user, record.pk),
        "category": "roads",
        "description": "村口的桥栏杆断了",
        "location": "",
        "notify_by": "sms",
        "consent": {
            "key": uuid.uuid4().hex,
            "files_on_behalf": True,
            "shares_record": True,
            "method": "signed",
            "signature": as_data_url(signature_png()),
            "attestation": "",
            "consented_at": timezone.now().isoformat(),
        },
    }
    payload.update(overrides)
    return payload


@pytest.fixture
def tablet(client, volunteer, taxonomy, django_capture_on_commit_callbacks):
    """The volunteer's signed-in tablet; routing runs as at a commit."""
    client.force_login(volunteer.user)

    def send(payload: dict, language: str = "en"):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                URL,
                payload,
                content_type="application/json",
                HTTP_ACCEPT_LANGUAGE=language,
            )

    return send


def test_a_queued_filing_returns_its_tracking_number(tablet, volunteer, resident):
    response = tablet(queued(volunteer, resident))

    assert response.status_code == 201
    appeal = Appeal.objects.get()
    assert response.json()["tracking_number"] == appeal.tracking_number
    assert response.json()["slip_url"] == reverse(
        "intermediaries:slip", args=[appeal.tracking_number]
    )
    assert appeal.channel == Channel.ASSISTED
    assert appeal.status == Status.ROUTED
    assert Consent.objects.get().method == "signed"


def test_a_filing_sent_twice_is_stored_once(tablet, volunteer, resident):
    payload = queued(volunteer, resident)

    first = tablet(payload)
    second = tablet(payload)

    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["tracking_number"] == second.json()["tracking_number"]
    assert Appeal.objects.count() == Consent.objects.count() == 1


def test_a_filing_without_consent_is_rejected_with_a_reason(
    tablet, volunteer, resident
):
    response = tablet(queued(volunteer, resident, consent=None))

    assert response.status_code == 422
    assert response.json()["code"] == "no_consent"
    assert "consent" in response.json()["reason"]
    assert not Appeal.objects.exists()


def test_a_filing_queued_before_a_suspension_is_rejected_with_the_reason(
    tablet, volunteer, resident
):
    payload = queued(volunteer, resident)
    volunteer.status = VolunteerStatus.SUSPENDED
    volunteer.save()

    response = tablet(payload)

    assert response.status_code == 403
    assert response.json()["code"] == "suspended"
    assert "suspended" in response.json()["reason"]
    assert not Appeal.objects.exists()
    assert not Consent.objects.exists()


def test_a_filing_for_a_resident_elsewhere_is_rejected(tablet, volunteer, far_resident):
    number = make_id_number(OTHER_COMMUNITY, date(1956, 6, 2), 7)

    response = tablet(queued(volunteer, far_resident, resident="", id_number=number))

    assert response.status_code == 422
    assert response.json()["code"] == "unknown_resident"
    assert "阿苏拉则" not in response.content.decode()
    assert not Appeal.objects.exists()


def test_a_filing_named_by_id_number_finds_the_resident(tablet, volunteer, resident):
    number = make_id_number(COMMUNITY, date(1942, 3, 8), 1)

    response = tablet(queued(volunteer, resident, resident="", id_number=number))

    assert response.status_code == 201
    assert Appeal.objects.get().resident == resident


def test_a_link_made_for_another_volunteer_is_rejected(
    tablet, volunteer, other_volunteer, resident
):
    foreign = resident_token(other_volunteer.user, resident.pk)

    response = tablet(queued(volunteer, resident, resident=foreign))

    assert response.status_code == 422
    assert response.json()["code"] == "unknown_resident"
    assert not Appeal.objects.exists()


def test_a_malformed_filing_is_rejected_with_a_readable_reason(
    tablet, volunteer, resident
):
    response = tablet(queued(volunteer, resident, category="no-such-thing"))

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert response.json()["reason"] == "Choose one of the listed categories."


def test_a_blank_signature_is_rejected(tablet, volunteer, resident):
    payload = queued(volunteer, resident)
    payload["consent"]["signature"] = as_data_url(signature_png(blank=True))

    response = tablet(payload)

    assert response.status_code == 422
    assert response.json()["code"] == "bad_consent"
    assert not AssistedAppeal.objects.exists()


@pytest.mark.parametrize("persona", ["officer", "resident_account"])
def test_only_volunteers_may_sync(client, request, persona, volunteer, resident):
    user = request.getfixturevalue(persona)
    client.force_login(user, backend=PHONE_BACKEND if user.is_resident else None)

    response = client.post(
        URL, queued(volunteer, resident), content_type="application/json"
    )

    assert response.status_code == 403
    assert not Appeal.objects.exists()


def test_a_signed_out_tablet_keeps_its_filings(client, volunteer, resident):
    response = client.post(
        URL, queued(volunteer, resident), content_type="application/json"
    )

    assert response.status_code == 403
    assert "reason" not in response.json()  # the tablet keeps it waiting
