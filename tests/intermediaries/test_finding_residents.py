"""Finding and registering residents: inside the communities, ledgered, rate-limited."""

from datetime import date

import pytest
from django.urls import reverse

from commons.ledger.models import Action, LedgerEntry
from commons.registry.access import AccessRefused
from commons.registry.identity import make_id_number
from commons.registry.models import Purpose, Resident
from commons.registry.services import NewResident, read_record
from intermediaries import services
from intermediaries.models import VolunteerStatus
from intermediaries.ratelimit import LOOKUP_LIMIT
from intermediaries.services import Code, Refused
from intermediaries.tokens import resident_token
from tests.personas import COMMUNITY, OTHER_COMMUNITY, RESIDENT_PHONE

RESIDENT_ID = make_id_number(COMMUNITY, date(1942, 3, 8), 1)


def ledger_of(resident: Resident) -> list[LedgerEntry]:
    return list(LedgerEntry.objects.filter(resident=resident).order_by("position"))


def test_the_registry_lets_a_volunteer_read_a_few_fields_in_their_community(
    volunteer, resident
):
    values = read_record(
        resident, reader=volunteer.user, purpose=Purpose.SERVICE, fields=["full_name"]
    )

    assert values == {"full_name": "王秀英"}


@pytest.mark.parametrize(
    ("purpose", "fields"),
    [
        (Purpose.SERVICE, ["vulnerability"]),
        (Purpose.SERVICE, ["birth_date"]),
        (Purpose.ELIGIBILITY, ["full_name"]),
        (Purpose.EMERGENCY, ["phone"]),
    ],
)
def test_the_registry_refuses_a_volunteer_anything_more(
    volunteer, resident, purpose, fields
):
    before = LedgerEntry.objects.count()

    with pytest.raises(AccessRefused):
        read_record(resident, reader=volunteer.user, purpose=purpose, fields=fields)

    assert LedgerEntry.objects.count() == before


def test_the_registry_refuses_a_volunteer_outside_their_communities(
    volunteer, far_resident
):
    with pytest.raises(AccessRefused):
        read_record(
            far_resident,
            reader=volunteer.user,
            purpose=Purpose.SERVICE,
            fields=["full_name"],
        )


def test_the_registry_refuses_a_suspended_volunteer(volunteer, resident):
    volunteer.status = VolunteerStatus.SUSPENDED
    volunteer.save()

    with pytest.raises(AccessRefused):
        read_record(
            resident,
            reader=volunteer.user,
            purpose=Purpose.SERVICE,
            fields=["full_name"],
        )


def test_without_a_scope_hook_volunteers_serve_nowhere(settings, volunteer, resident):
    settings.REGISTRY_SCOPE_HOOK = ""

    with pytest.raises(AccessRefused):
        read_record(
            resident,
            reader=volunteer.user,
            purpose=Purpose.SERVICE,
            fields=["full_name"],
        )


def test_finding_by_id_number_is_written_to_the_ledger(volunteer, resident):
    before = len(ledger_of(resident))

    found = services.find_resident(volunteer.user, id_number=RESIDENT_ID)

    assert [item.resident for item in found] == [resident]
    entry = ledger_of(resident)[-1]
    assert len(ledger_of(resident)) == before + 1
    assert (entry.action, entry.actor, entry.actor_role) == (
        Action.READ,
        volunteer.user,
        "intermediary",
    )
    assert entry.purpose == Purpose.SERVICE


def test_finding_by_phone_is_written_to_the_ledger(volunteer, resident):
    before = len(ledger_of(resident))

    found = services.find_resident(volunteer.user, phone=RESIDENT_PHONE)

    assert [item.resident for item in found] == [resident]
    assert len(ledger_of(resident)) == before + 1


def test_a_volunteer_never_receives_a_full_id_number(volunteer, resident):
    found = services.find_resident(volunteer.user, id_number=RESIDENT_ID)

    assert RESIDENT_ID not in str(found[0].values)
    assert found[0].values["id_number_last4"] == RESIDENT_ID[-4:]


def test_a_resident_of_another_community_is_not_found_nor_read(volunteer, far_resident):
    before = len(ledger_of(far_resident))
    number = make_id_number(OTHER_COMMUNITY, date(1956, 6, 2), 7)

    by_number = services.find_resident(volunteer.user, id_number=number)
    by_phone = services.find_resident(volunteer.user, phone=far_resident.phone)

    assert by_number == by_phone == []
    assert len(ledger_of(far_resident)) == before


def test_look_ups_stop_at_the_limit(volunteer, resident):
    for _attempt in range(LOOKUP_LIMIT):
        services.find_resident(volunteer.user, phone="13912345678")
    before = len(ledger_of(resident))

    with pytest.raises(Refused) as refusal:
        services.find_resident(volunteer.user, id_number=RESIDENT_ID)

    assert refusal.value.code == Code.TOO_MANY_LOOKUPS
    assert len(ledger_of(resident)) == before


def test_each_volunteer_has_a_budget_of_their_own(volunteer, other_volunteer, resident):
    for _attempt in range(LOOKUP_LIMIT):
        services.find_resident(volunteer.user, phone="13912345678")

    found = services.find_resident(other_volunteer.user, id_number=RESIDENT_ID)

    assert [item.resident for item in found] == [resident]


def test_the_look_up_page_answers_too_many_with_429(client, volunteer, resident):
    client.force_login(volunteer.user)
    for _attempt in range(LOOKUP_LIMIT):
        client.post(reverse("intermediaries:find"), {"phone": "13912345678"})

    response = client.post(reverse("intermediaries:find"), {"id_number": RESIDENT_ID})

    assert response.status_code == 429
    assert "王秀英" not in response.content.decode()


def new_resident(community, serial: int = 21, **overrides) -> NewResident:
    details = {
        "full_name": "李秀兰",
        "id_number": make_id_number(community.code, date(1950, 5, 1), serial),
        "home_community": community,
        "phone": "13900000021",
        "gender": "female",
        "preferred_language": "zh-hans",
    }
    return NewResident(**{**details, **overrides})


def test_a_new_resident_is_registered_once_and_ledgered(volunteer, community):
    resident, created = services.register_for(volunteer.user, new_resident(community))

    assert created
    entry = ledger_of(resident)[-1]
    assert (entry.action, entry.actor, entry.purpose) == (
        Action.CREATE,
        volunteer.user,
        Purpose.REGISTRATION,
    )


def test_an_existing_resident_is_found_not_duplicated(volunteer, resident, community):
    again, created = services.register_for(
        volunteer.user,
        new_resident(community, full_name="王秀英（重复）", id_number=RESIDENT_ID),
    )

    assert not created
    assert again.pk == resident.pk
    assert Resident.objects.count() == 1
    assert Resident.objects.get().full_name == "王秀英"


def test_a_person_registered_elsewhere_is_neither_doubled_nor_shown(
    volunteer, far_resident, community
):
    number = make_id_number(OTHER_COMMUNITY, date(1956, 6, 2), 7)

    with pytest.raises(Refused) as refusal:
        services.register_for(volunteer.user, new_resident(community, id_number=number))

    assert refusal.value.code == Code.REGISTERED_ELSEWHERE
    assert "阿苏拉则" not in str(refusal.value)
    assert Resident.objects.count() == 1


def test_registering_into_an_unserved_community_is_refused(volunteer, far_resident):
    with pytest.raises(Refused) as refusal:
        services.register_for(
            volunteer.user,
            new_resident(far_resident.home_community, serial=33),
        )

    assert refusal.value.code == Code.OUTSIDE
    assert Resident.objects.count() == 1


def test_a_colleague_s_link_to_a_resident_opens_nothing(
    client, volunteer, other_volunteer, resident
):
    token = resident_token(volunteer.user, resident.pk)
    client.force_login(other_volunteer.user)
    before = len(ledger_of(resident))

    response = client.get(reverse("intermediaries:resident", args=[token]))

    assert response.status_code == 404
    assert len(ledger_of(resident)) == before


def test_opening_a_resident_s_page_is_ledgered_and_masks_the_id_number(
    client, volunteer, resident
):
    client.force_login(volunteer.user)
    before = len(ledger_of(resident))
    token = resident_token(volunteer.user, resident.pk)

    page = client.get(reverse("intermediaries:resident", args=[token])).content.decode()

    assert "王秀英" in page
    assert RESIDENT_ID not in page
    assert RESIDENT_ID[:14] not in page
    assert len(ledger_of(resident)) == before + 1
