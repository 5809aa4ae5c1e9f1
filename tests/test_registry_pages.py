"""The registry's pages and API: who sees what, and the refusals."""

import pytest
from django.urls import reverse

from commons.ledger.models import LedgerEntry
from commons.registry.identity import make_id_number
from commons.registry.models import Resident
from tests.personas import COMMUNITY

PHONE_BACKEND = "commons.accounts.backends.PhoneCodeBackend"

pytestmark = pytest.mark.django_db


def id_number_of(resident: Resident) -> str:
    return make_id_number(COMMUNITY, resident.birth_date, 1)


def lookup(client, resident, fields, purpose="service"):
    return client.post(
        reverse("registry:lookup"),
        {"id_number": id_number_of(resident), "purpose": purpose, "fields": fields},
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_a_resident_sees_their_record_and_who_read_it(
    client, resident, officer, service_grant
):
    client.force_login(officer)
    lookup(client, resident, ["full_name", "phone"])
    client.force_login(resident.account, backend=PHONE_BACKEND)

    record_page = client.get(reverse("registry:my-record"), HTTP_ACCEPT_LANGUAGE="en")
    ledger_page = client.get(reverse("registry:my-ledger"), HTTP_ACCEPT_LANGUAGE="en")

    assert "王秀英" in record_page.content.decode()
    html = ledger_page.content.decode()
    assert "Civil affairs" in html or "民政" in html
    assert "Answering the resident" in html


def test_the_ledger_is_shown_in_the_resident_s_language(
    client, resident, officer, service_grant
):
    client.force_login(officer)
    lookup(client, resident, ["phone"])
    client.force_login(resident.account, backend=PHONE_BACKEND)

    html = client.get(
        reverse("registry:my-ledger"), HTTP_ACCEPT_LANGUAGE="bo"
    ).content.decode()

    assert "锦江区" in html  # the department, named with its county
    assert any("\u0f00" <= char <= "\u0fff" for char in html)


def test_staff_look_up_a_record_within_their_grant(
    client, resident, officer, service_grant
):
    client.force_login(officer)
    before = LedgerEntry.objects.count()

    response = lookup(client, resident, ["full_name", "phone"])

    assert "13900000001" in response.content.decode()
    assert LedgerEntry.objects.count() == before + 1


def test_staff_are_refused_fields_outside_their_grant(
    client, resident, officer, service_grant
):
    client.force_login(officer)
    before = LedgerEntry.objects.count()

    response = lookup(client, resident, ["birth_date"])

    assert "no grant" in response.content.decode()
    assert "1942" not in response.content.decode()
    assert LedgerEntry.objects.count() == before


def test_staff_of_another_county_are_refused(client, resident, outsider):
    client.force_login(outsider)

    response = lookup(client, resident, ["full_name"])

    assert "outside your department" in response.content.decode()
    assert "王秀英" not in response.content.decode()


@pytest.mark.parametrize("persona", ["resident_account", "analyst", "intermediary"])
def test_other_roles_cannot_open_the_look_up_page(client, request, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user, backend=PHONE_BACKEND if user.is_resident else None)

    assert client.get(reverse("registry:lookup")).status_code == 403


def test_staff_cannot_open_a_resident_s_own_pages(client, officer):
    client.force_login(officer)

    assert client.get(reverse("registry:my-record")).status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client, db):
    response = client.get(reverse("registry:my-ledger"))

    assert response.status_code == 302


def test_registering_an_existing_person_makes_no_second_record(
    client, resident, officer
):
    client.force_login(officer)

    response = client.post(
        reverse("registry:register"),
        {
            "full_name": "王秀英",
            "id_number": id_number_of(resident),
            "gender": "female",
            "preferred_language": "zh-hans",
            "home_community": resident.home_community_id,
        },
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )

    assert "already registered" in response.content.decode()
    assert Resident.objects.count() == 1


def test_the_api_refuses_a_read_outside_the_grant(
    client, resident, officer, service_grant
):
    client.force_login(officer)

    response = client.post(
        reverse("api-lookup"),
        {
            "id_number": id_number_of(resident),
            "purpose": "service",
            "fields": ["birth_date"],
        },
        content_type="application/json",
    )

    assert response.status_code == 403


def test_the_api_returns_the_granted_fields(client, resident, officer, service_grant):
    client.force_login(officer)

    response = client.post(
        reverse("api-lookup"),
        {
            "id_number": id_number_of(resident),
            "purpose": "service",
            "fields": ["phone"],
        },
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.json() == [{"label": "Phone number", "value": "13900000001"}]


def test_the_api_gives_a_resident_their_ledger_and_refuses_staff(
    client, resident, officer
):
    client.force_login(resident.account, backend=PHONE_BACKEND)
    assert client.get(reverse("api-my-ledger")).status_code == 200

    client.force_login(officer)
    assert client.get(reverse("api-my-ledger")).status_code == 403


def test_the_openapi_schema_is_served(client, officer):
    client.force_login(officer)

    response = client.get(reverse("api-schema"))

    assert response.status_code == 200
    assert b"/api/registry/lookup/" in response.content
