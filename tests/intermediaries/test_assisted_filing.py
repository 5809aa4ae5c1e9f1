"""Filing for a resident: consent first, in the volunteer's communities only."""

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from appeals.models import Appeal, Channel, Status
from commons.regions.models import Region
from intermediaries import services
from intermediaries.models import AssistedAppeal, Consent, VolunteerStatus
from intermediaries.services import Code, Refused
from tests.intermediaries.conftest import signature_png, signed_consent, spoken_consent
from tests.personas import OTHER_COMMUNITY

PHONE_BACKEND = "commons.accounts.backends.PhoneCodeBackend"


def nothing_stored() -> bool:
    return not Appeal.objects.exists() and not Consent.objects.exists()


def test_without_consent_nothing_is_filed(volunteer, resident, file_assisted):
    with pytest.raises(Refused) as refusal:
        file_assisted(volunteer.user, resident, consent=None)

    assert refusal.value.code == Code.NO_CONSENT
    assert nothing_stored()


@pytest.mark.parametrize("scope", ["files_on_behalf", "shares_record"])
def test_consent_missing_either_scope_files_nothing(
    volunteer, resident, file_assisted, scope
):
    with pytest.raises(Refused) as refusal:
        file_assisted(
            volunteer.user, resident, consent=spoken_consent(**{scope: False})
        )

    assert refusal.value.code == Code.NO_CONSENT
    assert nothing_stored()


def test_signed_consent_without_a_stroke_files_nothing(
    volunteer, resident, file_assisted
):
    blank = signed_consent()
    blank.signature_png = signature_png(blank=True)

    with translation.override("en"), pytest.raises(Refused, match="empty"):
        file_assisted(volunteer.user, resident, consent=blank)

    assert nothing_stored()


def test_spoken_consent_must_be_attested(volunteer, resident, file_assisted):
    with pytest.raises(Refused) as refusal:
        file_assisted(
            volunteer.user, resident, consent=spoken_consent(attestation="  ")
        )

    assert refusal.value.code == Code.BAD_CONSENT
    assert nothing_stored()


def test_consent_dated_weeks_ago_is_taken_again(volunteer, resident, file_assisted):
    stale = spoken_consent(consented_at=timezone.now() - timedelta(days=45))

    with pytest.raises(Refused) as refusal:
        file_assisted(volunteer.user, resident, consent=stale)

    assert refusal.value.code == Code.BAD_CONSENT
    assert nothing_stored()


def test_the_appeal_names_both_people_and_the_assisted_channel(
    volunteer, resident, file_assisted
):
    consent = signed_consent()

    appeal = file_assisted(volunteer.user, resident, consent=consent)

    assert appeal.channel == Channel.ASSISTED
    assert appeal.resident == resident
    assert appeal.filed_by == volunteer.user
    link = AssistedAppeal.objects.get(appeal=appeal)
    assert link.intermediary == volunteer
    stored = link.consent
    assert (stored.resident, stored.intermediary) == (resident, volunteer)
    assert stored.files_on_behalf and stored.shares_record
    assert bytes(stored.signature_png) == consent.signature_png
    assert stored.consented_at <= stored.recorded_at


def test_an_assisted_appeal_is_routed_like_any_other(
    volunteer, resident, file_assisted
):
    appeal = file_assisted(volunteer.user, resident, consent=spoken_consent())

    assert appeal.status == Status.ROUTED
    assert appeal.department.code == "housing-510104"


def test_the_resident_sees_who_filed_for_them(
    client, volunteer, resident, file_assisted
):
    appeal = file_assisted(volunteer.user, resident, consent=spoken_consent())
    client.force_login(resident.account, backend=PHONE_BACKEND)

    with translation.override("en"):
        page = client.get(
            reverse("appeals:detail", args=[appeal.tracking_number]),
            HTTP_ACCEPT_LANGUAGE="en",
        ).content.decode()

    assert "Community volunteer 张志愿, for you" in page
    assert reverse("intermediaries:authorisations") in page


def test_a_resident_outside_the_communities_is_refused(
    volunteer, far_resident, file_assisted
):
    with pytest.raises(Refused) as refusal:
        file_assisted(volunteer.user, far_resident, consent=spoken_consent())

    assert refusal.value.code == Code.OUTSIDE
    assert nothing_stored()


def test_a_place_outside_the_communities_is_refused(volunteer, resident, file_assisted):
    elsewhere = Region.objects.get(code=OTHER_COMMUNITY)

    with pytest.raises(Refused) as refusal:
        file_assisted(
            volunteer.user, resident, consent=spoken_consent(), location=elsewhere
        )

    assert refusal.value.code == Code.OUTSIDE
    assert nothing_stored()


def test_a_suspended_volunteer_is_refused(volunteer, resident, file_assisted):
    volunteer.status = VolunteerStatus.SUSPENDED
    volunteer.save()

    with pytest.raises(Refused) as refusal:
        file_assisted(volunteer.user, resident, consent=spoken_consent())

    assert refusal.value.code == Code.SUSPENDED
    assert nothing_stored()


def test_a_volunteer_not_yet_activated_is_refused(volunteer, resident, file_assisted):
    volunteer.status = VolunteerStatus.PENDING
    volunteer.save()

    with pytest.raises(Refused) as refusal:
        file_assisted(volunteer.user, resident, consent=spoken_consent())

    assert refusal.value.code == Code.NOT_ACTIVE
    assert nothing_stored()


def test_an_account_without_a_volunteer_profile_is_refused(
    intermediary, resident, file_assisted
):
    with pytest.raises(Refused) as refusal:
        file_assisted(intermediary, resident, consent=spoken_consent())

    assert refusal.value.code == Code.NOT_A_VOLUNTEER
    assert nothing_stored()


def test_the_same_filing_sent_twice_is_stored_once(volunteer, resident, file_assisted):
    key = uuid.uuid4().hex
    consent = spoken_consent()

    first = file_assisted(volunteer.user, resident, consent=consent, key=key)
    again = file_assisted(volunteer.user, resident, consent=consent, key=key)

    assert again.pk == first.pk
    assert Appeal.objects.count() == 1
    assert Consent.objects.count() == 1
    assert AssistedAppeal.objects.count() == 1


def test_a_filing_stored_before_a_suspension_is_still_answered(
    volunteer, resident, file_assisted
):
    key = uuid.uuid4().hex
    first = file_assisted(volunteer.user, resident, consent=spoken_consent(), key=key)
    volunteer.status = VolunteerStatus.SUSPENDED
    volunteer.save()

    again = file_assisted(volunteer.user, resident, consent=spoken_consent(), key=key)

    assert again.pk == first.pk
    assert Appeal.objects.count() == 1


def test_a_filing_the_appeals_service_refuses_leaves_no_consent_behind(
    volunteer, resident, file_assisted, taxonomy
):
    taxonomy["roads"].is_active = False
    taxonomy["roads"].save()

    with translation.override("en"), pytest.raises(ValidationError, match="categor"):
        file_assisted(volunteer.user, resident, consent=spoken_consent())

    assert nothing_stored()


def test_a_colleague_cannot_reuse_another_volunteer_s_consent(
    volunteer, other_volunteer, resident, file_assisted
):
    consent = spoken_consent()
    file_assisted(volunteer.user, resident, consent=consent)

    with pytest.raises(Refused):
        services.record_consent(other_volunteer.user, resident, consent)

    assert Consent.objects.count() == 1
