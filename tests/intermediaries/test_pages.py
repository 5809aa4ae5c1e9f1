"""The volunteer's pages, the office's, and the offline app's files."""

import json
import re
from datetime import date

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from appeals.models import Appeal, Channel
from commons.accounts.models import Role, User
from commons.regions.models import Region
from commons.registry.identity import make_id_number
from commons.registry.models import Resident
from intermediaries.models import Consent, Intermediary, VolunteerStatus
from intermediaries.tokens import resident_token
from tests.intermediaries.conftest import spoken_consent
from tests.personas import COMMUNITY, PASSWORD

PHONE_BACKEND = "commons.accounts.backends.PhoneCodeBackend"
VOLUNTEER_PAGES = ["intermediaries:home", "intermediaries:find", "intermediaries:file"]


@pytest.fixture
def signed_in(client, volunteer):
    client.force_login(volunteer.user)
    return client


def english(client, url: str, **data):
    if data:
        return client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    return client.get(url, HTTP_ACCEPT_LANGUAGE="en")


@pytest.mark.parametrize("persona", ["officer", "resident_account", "analyst"])
@pytest.mark.parametrize("page", VOLUNTEER_PAGES)
def test_only_volunteers_open_the_volunteer_pages(client, request, persona, page):
    user = request.getfixturevalue(persona)
    client.force_login(user, backend=PHONE_BACKEND if user.is_resident else None)

    assert client.get(reverse(page)).status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client, db):
    response = client.get(reverse("intermediaries:home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:staff-login"))


def test_a_suspended_volunteer_sees_why_and_nothing_else(
    signed_in, volunteer, resident, file_assisted
):
    file_assisted(volunteer.user, resident, consent=spoken_consent())
    volunteer.status = VolunteerStatus.SUSPENDED
    volunteer.save()

    home = english(signed_in, reverse("intermediaries:home"))
    filing = english(signed_in, reverse("intermediaries:file"))

    assert "suspended" in home.content.decode()
    assert "王秀英" not in home.content.decode()
    assert filing.status_code == 403


def test_the_home_page_runs_a_fixed_number_of_queries(
    signed_in, volunteer, resident, file_assisted
):
    for _appeal in range(3):
        file_assisted(volunteer.user, resident, consent=spoken_consent())

    with CaptureQueriesContext(connection) as queries:
        response = signed_in.get(reverse("intermediaries:home"))

    assert response.status_code == 200
    # Session, user, profile, three appeal lists, residents, the served
    # communities in the footer line.
    assert len(queries) == 8


def test_the_offline_page_carries_categories_and_the_served_places(
    signed_in, volunteer, taxonomy
):
    page = english(signed_in, reverse("intermediaries:file")).content.decode()

    assert 'name="id_number"' in page
    assert 'value="roads"' in page
    assert f'value="{COMMUNITY}"' in page
    assert 'value="513401001003"' not in page  # a community not served


def test_filing_without_javascript_ends_on_the_slip(
    signed_in, volunteer, resident, taxonomy, django_capture_on_commit_callbacks
):
    token = resident_token(volunteer.user, resident.pk)
    form = {
        "resident": token,
        "files_on_behalf": "on",
        "shares_record": "on",
        "method": "spoken",
        "attestation": "读给她听，她同意。",
        "consent_key": "consent-key-0001",
        "category": "roads",
        "description": "路灯坏了",
        "location": "",
        "notify_by": "sms",
        "idempotency_key": "filing-key-0001",
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(reverse("intermediaries:file"), form)

    appeal = Appeal.objects.get()
    assert appeal.channel == Channel.ASSISTED
    assert response["Location"] == reverse(
        "intermediaries:slip", args=[appeal.tracking_number]
    )
    slip = signed_in.get(response["Location"]).content.decode()
    assert appeal.tracking_number in slip
    assert "<svg" in slip
    assert "tracking_number=" + appeal.tracking_number in slip


def test_the_form_without_consent_files_nothing(
    signed_in, volunteer, resident, taxonomy
):
    form = {
        "resident": resident_token(volunteer.user, resident.pk),
        "method": "spoken",
        "attestation": "",
        "consent_key": "consent-key-0002",
        "category": "roads",
        "description": "路灯坏了",
        "notify_by": "sms",
        "idempotency_key": "filing-key-0002",
    }

    response = english(signed_in, reverse("intermediaries:file"), **form)

    assert response.status_code == 200
    assert "must agree" in response.content.decode()
    assert not Appeal.objects.exists()
    assert not Consent.objects.exists()


def test_registering_an_existing_person_opens_their_record(
    signed_in, volunteer, resident, community
):
    form = {
        "full_name": "王秀英",
        "id_number": make_id_number(COMMUNITY, date(1942, 3, 8), 1),
        "phone": "",
        "gender": "female",
        "ethnicity": "",
        "preferred_language": "zh-hans",
        "home_community": community.pk,
    }

    response = english(signed_in, reverse("intermediaries:register"), **form)

    assert response.status_code == 302
    assert Resident.objects.count() == 1
    page = signed_in.get(response["Location"]).content.decode()
    assert "王秀英" in page


def test_the_screen_switches_to_the_resident_s_language_and_back(
    signed_in, volunteer, resident
):
    resident.preferred_language = "bo"
    resident.save()
    page_url = reverse(
        "intermediaries:resident", args=[resident_token(volunteer.user, resident.pk)]
    )
    page = signed_in.get(page_url).content.decode()
    assert 'name="language" value="bo"' in page

    switched = signed_in.post(
        reverse("intermediaries:language"), {"language": "bo", "next": page_url}
    )
    assert switched.cookies[settings.LANGUAGE_COOKIE_NAME].value == "bo"
    in_tibetan = signed_in.get(page_url)
    assert in_tibetan.context["LANGUAGE_CODE"] == "bo"
    assert 'name="language" value="own"' in in_tibetan.content.decode()

    back = signed_in.post(
        reverse("intermediaries:language"), {"language": "own", "next": page_url}
    )
    assert back.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    assert back["Location"] == page_url


def test_the_language_switch_refuses_an_outside_address(signed_in, volunteer):
    response = signed_in.post(
        reverse("intermediaries:language"),
        {"language": "ii", "next": "https://example.com/"},
    )

    assert response["Location"] == reverse("intermediaries:home")


def test_the_service_worker_covers_the_whole_app(client, db):
    response = client.get("/volunteer/sw.js")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/volunteer/"
    config = json.loads(
        re.match(r"self\.VOLUNTEER_CONFIG = (.*?);\n", response.content.decode())[1]
    )
    assert config["scope"] == "/volunteer/"
    assert config["offlinePage"] == "/volunteer/file/"
    assert "/static/intermediaries/offline.js" in config["precache"]


def test_the_manifest_names_the_app_and_its_start_page(client, db):
    response = client.get(reverse("intermediaries:manifest"))

    manifest = response.json()
    assert response["Content-Type"] == "application/manifest+json"
    assert manifest["start_url"] == "/volunteer/file/"
    assert manifest["scope"] == "/volunteer/"
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200


# The office.


def test_the_office_registers_a_volunteer_who_starts_inactive(
    client, officer, community
):
    client.force_login(officer)

    response = client.post(
        reverse("intermediaries:office-register"),
        {
            "username": "new-volunteer",
            "full_name": "陈晓",
            "phone": "13900000099",
            "password": PASSWORD,
            "communities": [community.pk],
        },
    )

    profile = Intermediary.objects.get(user__username="new-volunteer")
    assert response.status_code == 302
    assert profile.status == VolunteerStatus.PENDING
    assert profile.user.role == Role.INTERMEDIARY
    assert profile.registered_by == officer
    assert list(profile.communities.all()) == [community]


def test_the_office_cannot_assign_a_community_of_another_county(
    client, officer, far_resident
):
    client.force_login(officer)

    response = client.post(
        reverse("intermediaries:office-register"),
        {
            "username": "far-volunteer",
            "full_name": "陈晓",
            "password": PASSWORD,
            "communities": [far_resident.home_community.pk],
        },
    )

    assert response.status_code == 200
    assert not User.objects.filter(username="far-volunteer").exists()


def test_the_office_activates_and_suspends(client, officer, volunteer):
    client.force_login(officer)
    suspend_url = reverse("intermediaries:office-suspend", args=[volunteer.pk])

    client.post(suspend_url, {"reason": "平板丢失"})
    volunteer.refresh_from_db()
    assert (volunteer.status, volunteer.status_note) == ("suspended", "平板丢失")

    client.post(reverse("intermediaries:office-activate", args=[volunteer.pk]))
    volunteer.refresh_from_db()
    assert volunteer.status == VolunteerStatus.ACTIVE


def test_another_county_s_office_cannot_suspend_the_volunteer(
    client, xichang_office, volunteer
):
    client.force_login(xichang_office)

    response = client.post(
        reverse("intermediaries:office-suspend", args=[volunteer.pk]), {"reason": "x"}
    )
    page = client.get(reverse("intermediaries:office-volunteer", args=[volunteer.pk]))

    assert response.status_code == page.status_code == 404
    volunteer.refresh_from_db()
    assert volunteer.status == VolunteerStatus.ACTIVE


def test_a_volunteer_cannot_manage_volunteers(client, volunteer, other_volunteer):
    client.force_login(volunteer.user)

    response = client.post(
        reverse("intermediaries:office-suspend", args=[other_volunteer.pk])
    )

    assert response.status_code == 403
    other_volunteer.refresh_from_db()
    assert other_volunteer.status == VolunteerStatus.ACTIVE


def test_the_office_reassigns_communities(client, officer, volunteer, sichuan):
    neighbour = Region.objects.get(code="510104017002")
    client.force_login(officer)

    client.post(
        reverse("intermediaries:office-volunteer", args=[volunteer.pk]),
        {"communities": [neighbour.pk]},
    )

    assert list(volunteer.communities.all()) == [neighbour]
