from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import translation

from commons.ledger.models import Action, LedgerEntry
from commons.registry.access import AccessRefused
from commons.registry.identity import make_id_number
from commons.registry.models import Purpose, Resident, ResidentRevision
from commons.registry.services import (
    NewResident,
    StaleRecord,
    change_record,
    find_by_id_number,
    read_record,
    register_resident,
)
from tests.personas import COMMUNITY


def test_registering_the_same_id_number_twice_finds_the_first_record(
    resident, community
):
    again, created = register_resident(
        NewResident(
            full_name="王秀英 (again)",
            id_number=make_id_number(COMMUNITY, date(1942, 3, 8), 1),
            home_community=community,
        ),
        actor=None,
    )

    assert not created
    assert again.pk == resident.pk
    assert Resident.objects.count() == 1


def test_the_database_itself_refuses_a_second_record(resident, community):
    duplicate = Resident(
        full_name="x",
        id_number_hash=resident.id_number_hash,
        id_number_last4=resident.id_number_last4,
        birth_date=resident.birth_date,
        gender="female",
        home_community=community,
    )

    with pytest.raises(IntegrityError):
        duplicate.save()


def test_only_a_hash_and_the_last_four_digits_are_stored(resident):
    number = make_id_number(COMMUNITY, date(1942, 3, 8), 1)
    stored = Resident.objects.filter(pk=resident.pk).values().get()

    assert number not in str(stored)
    assert stored["id_number_last4"] == number[-4:]
    assert find_by_id_number(number) == resident


def test_birth_date_and_gender_come_from_the_id_number(resident):
    assert resident.birth_date == date(1942, 3, 8)
    assert resident.gender == "male"  # serial 001: odd
    assert resident.is_elderly


@pytest.mark.parametrize(
    "number", ["12345", "51010419420308001A", "510104194203080010"]
)
def test_a_malformed_id_number_is_refused(number, community):
    with pytest.raises(ValidationError):
        register_resident(
            NewResident(full_name="x", id_number=number, home_community=community),
            actor=None,
        )
    assert not Resident.objects.exists()


def test_a_read_within_the_grant_returns_the_fields_and_writes_one_entry(
    resident, officer, service_grant
):
    before = LedgerEntry.objects.count()

    values = read_record(
        resident, reader=officer, purpose=Purpose.SERVICE, fields=["full_name", "phone"]
    )

    assert values == {"full_name": "王秀英", "phone": "13900000001"}
    entry = LedgerEntry.objects.order_by("position").last()
    assert LedgerEntry.objects.count() == before + 1
    assert entry.action == Action.READ
    assert entry.actor == officer
    assert entry.department == officer.department
    assert entry.fields == ["full_name", "phone"]
    assert entry.purpose == Purpose.SERVICE


def test_a_field_outside_the_grant_is_refused_and_not_logged_as_read(
    resident, officer, service_grant
):
    before = LedgerEntry.objects.count()

    with translation.override("en"), pytest.raises(AccessRefused, match="no grant"):
        read_record(
            resident, reader=officer, purpose=Purpose.SERVICE, fields=["birth_date"]
        )

    assert LedgerEntry.objects.count() == before


def test_a_purpose_without_a_grant_is_refused(resident, officer, service_grant):
    with pytest.raises(AccessRefused):
        read_record(
            resident, reader=officer, purpose=Purpose.ELIGIBILITY, fields=["full_name"]
        )


def test_an_expired_grant_opens_nothing(resident, officer, service_grant):
    service_grant.valid_until = date(2020, 1, 1)
    service_grant.save()

    with pytest.raises(AccessRefused):
        read_record(resident, reader=officer, purpose=Purpose.SERVICE, fields=["phone"])


def test_staff_of_another_county_cannot_read_the_record(resident, outsider):
    before = LedgerEntry.objects.count()

    with translation.override("en"), pytest.raises(AccessRefused, match="jurisdiction"):
        read_record(
            resident, reader=outsider, purpose=Purpose.SERVICE, fields=["full_name"]
        )

    assert LedgerEntry.objects.count() == before


@pytest.mark.parametrize("persona", ["analyst", "intermediary"])
def test_roles_without_a_department_cannot_read_records(request, resident, persona):
    reader = request.getfixturevalue(persona)

    with pytest.raises(AccessRefused):
        read_record(resident, reader=reader, purpose=Purpose.SERVICE, fields=["phone"])


def test_a_change_keeps_history_and_everyone_reads_the_new_value(
    resident, officer, service_grant, civil_affairs
):
    service_grant.pk = None
    service_grant.purpose = Purpose.CORRECTION
    service_grant.may_change = True
    service_grant.save()
    before = LedgerEntry.objects.count()

    change_record(
        resident,
        actor=officer,
        purpose=Purpose.CORRECTION,
        changes={"phone": "13911112222"},
        expected_version=1,
    )

    revision = ResidentRevision.objects.get(resident=resident)
    assert revision.changes == {"phone": ["13900000001", "13911112222"]}
    assert revision.version == 2
    entry = LedgerEntry.objects.order_by("position").last()
    assert LedgerEntry.objects.count() == before + 1
    assert (entry.action, entry.fields) == (Action.CHANGE, ["phone"])
    seen = read_record(
        resident, reader=officer, purpose=Purpose.SERVICE, fields=["phone"]
    )
    assert seen == {"phone": "13911112222"}


def test_a_change_made_on_an_old_version_is_refused(resident, resident_account):
    change_record(
        resident,
        actor=resident_account,
        purpose=Purpose.SELF,
        changes={"preferred_language": "bo"},
    )

    with pytest.raises(StaleRecord):
        change_record(
            resident,
            actor=resident_account,
            purpose=Purpose.SELF,
            changes={"preferred_language": "ii"},
            expected_version=1,
        )

    assert Resident.objects.get(pk=resident.pk).preferred_language == "bo"


def test_a_grant_to_read_is_not_a_grant_to_change(resident, officer, service_grant):
    with pytest.raises(AccessRefused):
        change_record(
            resident,
            actor=officer,
            purpose=Purpose.SERVICE,
            changes={"phone": "13911112222"},
        )

    assert Resident.objects.get(pk=resident.pk).phone == "13900000001"


def test_a_resident_cannot_change_what_needs_an_office(resident, resident_account):
    with pytest.raises(AccessRefused):
        change_record(
            resident,
            actor=resident_account,
            purpose=Purpose.SELF,
            changes={"low_income": True},
        )
