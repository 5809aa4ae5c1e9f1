import logging
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from commons.accounts.models import Role, SmsMessage, User
from tests.personas import PASSWORD, RESIDENT_PHONE

pytestmark = pytest.mark.django_db


def last_code() -> str:
    body = SmsMessage.objects.latest("created_at").body
    return next(word for word in body.split() if word.rstrip(".").isdigit()).rstrip(".")


def ask_for_code(client, phone=RESIDENT_PHONE):
    return client.post(reverse("accounts:resident-sign-in"), {"phone": phone})


def test_a_resident_signs_in_with_the_code_sent_by_sms(client, resident):
    ask_for_code(client)

    response = client.post(reverse("accounts:resident-code"), {"code": last_code()})

    assert response.status_code == 302
    assert response.url == reverse("registry:my-record")
    page = client.get(reverse("registry:my-record"))
    assert "王秀英" in page.content.decode()


def test_a_wrong_code_is_refused_with_a_clear_message(client, resident):
    ask_for_code(client)
    wrong = "000000" if last_code() != "000000" else "111111"

    response = client.post(
        reverse("accounts:resident-code"), {"code": wrong}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert "not right" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_expired_code_is_refused(client, resident):
    ask_for_code(client)
    code = last_code()

    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        response = client.post(
            reverse("accounts:resident-code"), {"code": code}, HTTP_ACCEPT_LANGUAGE="en"
        )

    assert "expired" in response.content.decode()


def test_a_code_works_only_once(client, resident):
    ask_for_code(client)
    code = last_code()
    client.post(reverse("accounts:resident-code"), {"code": code})
    client.logout()
    client.session["sign_in_phone"] = RESIDENT_PHONE

    ask_for_code(client)  # refused: asked again within the minute
    response = client.post(
        reverse("accounts:resident-code"), {"code": code}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 302)


def test_a_malformed_phone_number_gets_an_error_and_no_text(client):
    response = client.post(
        reverse("accounts:resident-sign-in"),
        {"phone": "12345"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert "11-digit" in response.content.decode()
    assert not SmsMessage.objects.exists()


def test_the_log_never_holds_the_full_phone_number(client, caplog):
    with caplog.at_level(logging.INFO):
        ask_for_code(client)

    assert "139****0001" in caplog.text
    assert RESIDENT_PHONE not in caplog.text


def test_first_sign_in_creates_a_resident_account(client):
    ask_for_code(client, "13712345678")
    client.post(reverse("accounts:resident-code"), {"code": last_code()})

    account = User.objects.get(phone="13712345678")
    assert account.role == Role.RESIDENT
    assert not account.has_usable_password()


def test_staff_sign_in_with_a_password(client, officer):
    response = client.post(
        reverse("accounts:staff-login"), {"username": "officer", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(officer.pk)


def test_repeated_failures_lock_the_account(client, officer, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        client.post(
            reverse("accounts:staff-login"),
            {"username": "officer", "password": "wrong"},
        )

    response = client.post(
        reverse("accounts:staff-login"),
        {"username": "officer", "password": PASSWORD},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert "locked" in response.content.decode()
    assert "_auth_user_id" not in client.session
    officer.refresh_from_db()
    assert officer.is_locked()


def test_the_lock_lifts_after_the_lockout_time(client, officer, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        client.post(
            reverse("accounts:staff-login"),
            {"username": "officer", "password": "wrong"},
        )

    later = timezone.now() + timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES + 1)
    with time_machine.travel(later):
        client.post(
            reverse("accounts:staff-login"),
            {"username": "officer", "password": PASSWORD},
        )

    assert client.session["_auth_user_id"] == str(officer.pk)


def test_a_resident_cannot_sign_in_with_a_password(client, resident_account):
    resident_account.set_password(PASSWORD)
    resident_account.save()

    client.post(
        reverse("accounts:staff-login"),
        {"username": resident_account.username, "password": PASSWORD},
    )

    assert "_auth_user_id" not in client.session
