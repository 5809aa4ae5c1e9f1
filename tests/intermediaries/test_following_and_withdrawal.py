"""After filing: the volunteer follows, relays, and the resident may withdraw."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation

from appeals.models import Appeal, AppealPhoto, Rating, Status
from appeals.services import feedback, workflow
from commons.accounts.models import Role, User
from commons.regions.models import Department
from intermediaries import services
from intermediaries.models import Consent
from intermediaries.services import Code, Refused
from intermediaries.tokens import resident_token
from tests.intermediaries.conftest import spoken_consent
from tests.personas import make_user

PHONE_BACKEND = "commons.accounts.backends.PhoneCodeBackend"


def answered(appeal: Appeal, officer) -> Appeal:
    """The department accepts and answers the appeal."""
    appeal = workflow.accept(appeal.pk, actor=officer, version=appeal.version)
    return workflow.resolve(
        appeal.pk,
        actor=officer,
        version=appeal.version,
        reply="路灯已经修好了。",
    )


@pytest.fixture
def housing_officer(sichuan) -> User:
    return make_user(
        "housing-officer",
        Role.STAFF,
        department=Department.objects.get(code="housing-510104"),
    )


@pytest.fixture
def assisted(volunteer, resident, file_assisted) -> Appeal:
    return file_assisted(volunteer.user, resident, consent=spoken_consent())


def test_the_volunteer_reads_the_answer_back(
    client, volunteer, assisted, housing_officer
):
    answered(assisted, housing_officer)
    client.force_login(volunteer.user)

    page = client.get(
        reverse("intermediaries:appeal", args=[assisted.tracking_number])
    ).content.decode()

    assert "路灯已经修好了。" in page
    assert (
        reverse("intermediaries:relay-rating", args=[assisted.tracking_number]) in page
    )


def test_a_relayed_rating_is_marked_as_relayed(volunteer, assisted, housing_officer):
    answered(assisted, housing_officer)

    rating = services.relay_rating(volunteer.user, assisted.tracking_number, 4, "满意")

    assert rating.relayed_by == volunteer.user
    assisted.refresh_from_db()
    assert assisted.status == Status.CLOSED


def test_the_home_page_lists_answers_to_read_back(
    client, volunteer, assisted, housing_officer
):
    answered(assisted, housing_officer)
    client.force_login(volunteer.user)

    with translation.override("en"):
        response = client.get(reverse("intermediaries:home"), HTTP_ACCEPT_LANGUAGE="en")

    work = response.context["work"]
    assert [link.appeal for link in work.answered] == [assisted]
    assert work.waiting == []
    assert [resident for resident, _token in response.context["residents"]] == [
        assisted.resident
    ]


def test_the_volunteer_relays_information_the_office_asked_for(
    volunteer, assisted, housing_officer
):
    appeal = workflow.accept(
        assisted.pk, actor=housing_officer, version=assisted.version
    )
    workflow.request_info(
        appeal.pk, actor=housing_officer, version=appeal.version, question="哪栋楼？"
    )

    services.relay_information(volunteer.user, assisted.tracking_number, "3栋")

    assisted.refresh_from_db()
    assert assisted.status == Status.ACCEPTED


def test_a_volunteer_never_sees_appeals_they_did_not_file(
    client, volunteer, resident, file_for
):
    own = file_for(resident)
    client.force_login(volunteer.user)

    response = client.get(reverse("intermediaries:appeal", args=[own.tracking_number]))
    slip = client.get(reverse("intermediaries:slip", args=[own.tracking_number]))

    assert response.status_code == slip.status_code == 404
    with pytest.raises(Refused) as refusal:
        services.relay_rating(volunteer.user, own.tracking_number, 5)
    assert refusal.value.code == Code.NOT_YOURS


def test_a_colleague_cannot_follow_or_rate_the_appeal(
    client, other_volunteer, assisted, housing_officer
):
    answered(assisted, housing_officer)
    client.force_login(other_volunteer.user)

    response = client.post(
        reverse("intermediaries:relay-rating", args=[assisted.tracking_number]),
        {"score": 1},
    )

    assert response.status_code == 404
    assert not Rating.objects.exists()


def test_the_resident_withdraws_and_the_volunteer_loses_sight(
    client, volunteer, resident, assisted
):
    client.force_login(resident.account, backend=PHONE_BACKEND)

    client.post(reverse("intermediaries:withdraw", args=[volunteer.pk]))

    consent = Consent.objects.get()
    assert consent.withdrawn_at is not None
    assert consent.withdrawn_by == resident.account
    with pytest.raises(Refused):
        services.assisted_appeal_for(volunteer.user, assisted.tracking_number)
    client.force_login(volunteer.user)
    page = client.get(reverse("intermediaries:appeal", args=[assisted.tracking_number]))
    assert page.status_code == 404


def test_after_withdrawal_the_volunteer_cannot_rate_or_see_photos(
    client, volunteer, resident, assisted, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    photo = AppealPhoto.objects.create(
        appeal=assisted,
        image=ContentFile(b"not shown", name="p.jpg"),
        width=1,
        height=1,
    )
    client.force_login(volunteer.user)
    assert client.get(reverse("appeals:photo", args=[photo.pk])).status_code == 200

    services.withdraw_authorisation(
        resident=resident, profile=volunteer, by=volunteer.user
    )

    assert client.get(reverse("appeals:photo", args=[photo.pk])).status_code == 404
    assert not feedback.may_act_for(volunteer.user, Appeal.objects.get(pk=assisted.pk))


def test_withdrawal_leaves_the_appeal_going(client, volunteer, resident, assisted):
    client.force_login(resident.account, backend=PHONE_BACKEND)

    client.post(reverse("intermediaries:withdraw", args=[volunteer.pk]))

    assisted.refresh_from_db()
    assert assisted.status == Status.ROUTED


def test_the_resident_sees_their_volunteers_and_consents(
    client, volunteer, resident, assisted
):
    client.force_login(resident.account, backend=PHONE_BACKEND)

    with translation.override("en"):
        page = client.get(
            reverse("intermediaries:authorisations"), HTTP_ACCEPT_LANGUAGE="en"
        ).content.decode()

    assert "Community volunteer 张志愿" in page
    assert assisted.tracking_number in page
    assert reverse("intermediaries:withdraw", args=[volunteer.pk]) in page


def test_the_volunteer_records_a_withdrawal_the_resident_asks_for(
    client, volunteer, resident, assisted
):
    client.force_login(volunteer.user)

    client.post(
        reverse(
            "intermediaries:withdraw-for-resident",
            args=[resident_token(volunteer.user, resident.pk)],
        )
    )

    assert Consent.objects.get().withdrawn_by == volunteer.user


def test_another_resident_cannot_withdraw_someone_else_s_authorisation(
    volunteer, resident, assisted, far_resident
):
    stranger = User.objects.create(username="stranger", role=Role.RESIDENT)

    with pytest.raises(Refused):
        services.withdraw_authorisation(
            resident=resident, profile=volunteer, by=stranger
        )

    assert Consent.objects.get().withdrawn_at is None


def test_after_withdrawal_a_new_filing_needs_new_consent(
    volunteer, resident, assisted, file_assisted
):
    services.withdraw_authorisation(
        resident=resident, profile=volunteer, by=volunteer.user
    )

    with pytest.raises(Refused):
        file_assisted(volunteer.user, resident, consent=None)
    again = file_assisted(volunteer.user, resident, consent=spoken_consent())

    assert services.assisted_appeal_for(volunteer.user, again.tracking_number)
