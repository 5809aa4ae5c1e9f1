"""The demo's volunteers, and what administrators see of consent."""

import pytest
from django.urls import reverse

from commons.accounts.models import Role
from commons.core.demo import seed_people
from intermediaries import seeds
from intermediaries.models import Consent, Intermediary, VolunteerStatus
from tests.intermediaries.conftest import signed_consent
from tests.personas import make_user


def test_the_demo_volunteers_are_active_in_their_communities(sichuan):
    seed_people()

    seeds.seed_demo()
    seeds.seed_demo()

    served = {
        profile.user.username: [region.code for region in profile.communities.all()]
        for profile in Intermediary.objects.all()
    }
    assert served == {
        "volunteer-xichang": ["513401001003"],
        "volunteer-kangding": ["513301001001"],
    }
    assert set(Intermediary.objects.values_list("status", flat=True)) == {
        VolunteerStatus.ACTIVE
    }


@pytest.fixture
def admin_client(client, sichuan):
    admin = make_user("root", Role.ADMIN, is_staff=True, is_superuser=True)
    client.force_login(admin)
    return client


def test_the_admin_shows_a_signature_and_changes_nothing(
    admin_client, volunteer, resident, file_assisted
):
    file_assisted(volunteer.user, resident, consent=signed_consent())
    consent = Consent.objects.get()
    url = reverse("admin:intermediaries_consent_change", args=[consent.pk])

    page = admin_client.get(url).content.decode()
    posted = admin_client.post(url, {"attestation": "rewritten"})

    assert 'src="data:image/png;base64,' in page
    assert posted.status_code == 403
    consent.refresh_from_db()
    assert consent.attestation == ""


def test_the_admin_lists_volunteers(admin_client, volunteer):
    response = admin_client.get(reverse("admin:intermediaries_intermediary_changelist"))

    assert response.status_code == 200
    assert "张志愿" in response.content.decode()
