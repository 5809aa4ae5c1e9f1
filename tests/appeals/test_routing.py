"""Routing: which office answers, how urgently, in which language, and duplicates."""

from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone

from appeals.models import (
    Appeal,
    EventKind,
    Notification,
    Priority,
    RoutingRule,
    Status,
)
from appeals.services import routing, workflow
from commons.accounts.models import Role, SmsMessage
from commons.ledger.models import Action, LedgerEntry
from commons.regions.models import Department, Level, Region, Sector
from commons.registry.identity import make_id_number
from commons.registry.models import Purpose, Resident
from commons.registry.services import NewResident, register_resident
from tests.personas import OTHER_COMMUNITY, make_user

NEIGHBOUR_PHONE = "13900000002"
STREET_LIGHT = "小区东门的路灯坏了，晚上很黑，老人出门不方便"
# The same problem in another reporter's words.
STREET_LIGHT_AGAIN = "东门的路灯坏了，晚上很黑，出门不方便"


def neighbour(
    community: Region,
    *,
    born: date = date(1985, 6, 1),
    serial: int = 2,
    phone: str = NEIGHBOUR_PHONE,
    **details,
) -> Resident:
    """Another resident of the community, with an account of their own."""
    account = make_user(f"resident-{phone}", Role.RESIDENT, phone=phone)
    record, _created = register_resident(
        NewResident(
            full_name="李建国",
            id_number=make_id_number(community.code, born, serial),
            home_community=community,
            phone=phone,
            account=account,
            **details,
        ),
        actor=None,
    )
    return record


def department_of(appeal: Appeal) -> str:
    return appeal.department.code


@pytest.mark.parametrize(
    ("category", "department"),
    [
        ("roads", "housing-510104"),
        ("water-power", "housing-510104"),
        ("housing-safety", "housing-510104"),
        ("social-assistance", "civil-affairs-510104"),
        ("health", "health-510104"),
        ("neighbourhood-safety", "public-security-510104"),
        ("sanitation", "general-510104017"),
    ],
)
def test_a_category_goes_to_the_office_of_its_level_serving_the_place(
    category, department, resident, file_for
):
    appeal = file_for(resident, category=category)

    assert appeal.status == Status.ROUTED
    assert department_of(appeal) == department
    assert appeal.department.serves(appeal.location)
    assert appeal.events.get(kind=EventKind.ROUTED).department == appeal.department


def test_elderly_care_in_jinjiang_goes_to_the_social_organisation(resident, file_for):
    appeal = file_for(resident, category="elderly-care")

    assert department_of(appeal) == "elder-care-org-510104"


def test_elderly_care_elsewhere_goes_to_that_countys_civil_affairs(resident, file_for):
    xichang = Region.objects.get(code=OTHER_COMMUNITY)

    appeal = file_for(resident, category="elderly-care", location=xichang)

    assert department_of(appeal) == "civil-affairs-513401"


def test_a_category_without_a_rule_goes_to_the_township_service_centre(
    resident, file_for
):
    appeal = file_for(resident, category="other")

    assert department_of(appeal) == "general-510104017"
    assert appeal.events.get(kind=EventKind.ROUTED).note == "dispatcher"


def test_a_rule_naming_an_office_that_does_not_exist_falls_back_to_the_service_centre(
    resident, taxonomy, file_for
):
    # No city in Sichuan has a social organisation in the standard offices.
    RoutingRule.objects.filter(category=taxonomy["schools"]).update(
        sector=Sector.SOCIAL_ORGANISATION, level=Level.PREFECTURE
    )

    appeal = file_for(resident, category="schools")

    assert department_of(appeal) == "general-510104017"
    assert appeal.events.get(kind=EventKind.ROUTED).note == "dispatcher"


def test_a_closed_office_is_skipped_for_the_service_centre(resident, file_for):
    Department.objects.filter(code="housing-510104").update(is_active=False)

    appeal = file_for(resident, category="roads")

    assert department_of(appeal) == "general-510104017"


def test_a_place_without_a_service_centre_is_served_by_the_county_office(
    resident, file_for
):
    # The living quarter of a nature reserve: its township-level unit is not
    # an administrative division, so no service centre was set up there.
    reserve = Region.objects.get(code="510822400598")

    appeal = file_for(resident, category="other", location=reserve)

    assert appeal.status == Status.ROUTED
    assert department_of(appeal) == "general-510822"


@pytest.mark.parametrize(
    ("details", "priority"),
    [
        ({"born": date(1942, 3, 8), "lives_alone": True}, Priority.HIGH),
        ({"has_disability": True}, Priority.HIGH),
        ({"born": date(1942, 3, 8), "lives_alone": False}, Priority.NORMAL),
        ({"lives_alone": True}, Priority.NORMAL),
        ({"low_income": True}, Priority.NORMAL),
    ],
    ids=[
        "elderly living alone",
        "disability",
        "elderly with family",
        "young living alone",
        "low income",
    ],
)
def test_the_registry_record_sets_the_priority(details, priority, community, file_for):
    reporter = neighbour(community, **details)

    appeal = file_for(reporter, category="roads")

    assert appeal.priority == priority


def test_a_high_priority_appeal_gets_half_the_time(resident, community, file_for):
    usual = file_for(neighbour(community), category="roads", text="路面有个大坑")
    urgent = file_for(resident, category="roads", text="楼道灯坏了")

    def hours(due, start) -> float:
        return (due - start).total_seconds() / 3600

    assert hours(usual.first_response_due, usual.routed_at) == 48
    assert hours(usual.resolution_due, usual.routed_at) == 240
    assert hours(urgent.first_response_due, urgent.routed_at) == 24
    assert hours(urgent.resolution_due, urgent.routed_at) == 120


@pytest.mark.parametrize(
    ("language", "answer_language"), [("bo", "bo"), ("ii", "ii"), ("zh-hans", "")]
)
def test_tibetan_and_yi_speakers_are_answered_in_their_language(
    language, answer_language, community, file_for
):
    reporter = neighbour(community, preferred_language=language)

    appeal = file_for(reporter, category="health")

    assert appeal.answer_language == answer_language


def test_the_routing_read_is_written_to_the_residents_ledger(resident, file_for):
    appeal = file_for(resident, category="roads")

    entry = LedgerEntry.objects.filter(resident=resident).last()
    assert entry.action == Action.READ
    assert entry.actor is None
    assert entry.purpose == Purpose.SERVICE
    assert sorted(entry.fields) == ["preferred_language", "vulnerability"]
    assert appeal.tracking_number in entry.detail


def test_routing_twice_changes_nothing(
    resident, file_for, django_capture_on_commit_callbacks
):
    appeal = file_for(resident, category="roads")
    ledger_entries = LedgerEntry.objects.count()
    notifications = Notification.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        again = routing.route(appeal.pk)

    stored = Appeal.objects.get(pk=appeal.pk)
    assert again.pk == appeal.pk
    assert (stored.status, stored.version, stored.routed_at) == (
        Status.ROUTED,
        appeal.version,
        appeal.routed_at,
    )
    assert stored.events.filter(kind=EventKind.ROUTED).count() == 1
    assert LedgerEntry.objects.count() == ledger_entries
    assert Notification.objects.count() == notifications


def test_the_resident_hears_where_the_appeal_went(resident, file_for):
    appeal = file_for(resident, category="roads")

    notice = Notification.objects.get(recipient=resident.account)
    assert (notice.appeal, notice.kind) == (appeal, EventKind.ROUTED)
    text = SmsMessage.objects.get(phone=resident.phone).body
    assert appeal.tracking_number in text
    assert str(appeal.department) in text


@pytest.fixture
def housing_officer(sichuan):
    return make_user(
        "housing-officer",
        Role.STAFF,
        department=Department.objects.get(code="housing-510104"),
    )


def test_the_same_problem_reported_again_joins_the_open_case(
    resident, community, file_for
):
    primary = file_for(resident, category="roads", text=STREET_LIGHT)
    reporter = neighbour(community)

    repeat = file_for(reporter, category="roads", text=STREET_LIGHT_AGAIN)

    assert repeat.status == Status.LINKED
    assert repeat.duplicate_of == primary
    assert repeat.department == primary.department
    assert repeat.events.filter(kind=EventKind.LINKED).count() == 1
    assert not repeat.events.filter(kind=EventKind.ROUTED).exists()
    assert primary.events.get(kind=EventKind.LINKED).note == repeat.tracking_number
    assert Notification.objects.get(recipient=reporter.account).kind == (
        EventKind.LINKED
    )


def test_every_reporter_of_a_joined_case_hears_the_answer(
    resident, community, housing_officer, file_for, django_capture_on_commit_callbacks
):
    primary = file_for(resident, category="roads", text=STREET_LIGHT)
    reporters = [
        neighbour(community, serial=serial, phone=f"1390000001{serial}")
        for serial in (3, 4)
    ]
    repeats = [
        file_for(reporter, category="roads", text=STREET_LIGHT_AGAIN)
        for reporter in reporters
    ]
    SmsMessage.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        workflow.resolve(
            primary.pk,
            actor=housing_officer,
            version=primary.version,
            reply="路灯已于今天更换。",
        )

    for reporter, repeat in zip(reporters, repeats, strict=True):
        repeat.refresh_from_db()
        assert repeat.status == Status.RESOLVED
        assert repeat.reply == "路灯已于今天更换。"
        assert repeat.resolved_at is not None
        assert repeat.events.filter(kind=EventKind.RESOLVED).count() == 1
        assert Notification.objects.filter(
            recipient=reporter.account, appeal=repeat, kind=EventKind.RESOLVED
        ).exists()
        text = SmsMessage.objects.get(phone=reporter.phone).body
        assert repeat.tracking_number in text
    assert SmsMessage.objects.filter(phone=resident.phone).count() == 1


def other_text(resident, taxonomy) -> dict:
    return {"text": "社区医院周末不开门，看病要跑很远"}


def other_place(resident, taxonomy) -> dict:
    return {"location": Region.objects.get(code="510104017002")}


def other_category(resident, taxonomy) -> dict:
    return {"category": "water-power"}


@pytest.mark.parametrize(
    "difference",
    [other_text, other_place, other_category],
    ids=["dissimilar text", "another community", "another category"],
)
def test_a_different_problem_is_not_joined(
    difference, resident, community, taxonomy, file_for
):
    file_for(resident, category="roads", text=STREET_LIGHT)
    details = {"category": "roads", "text": STREET_LIGHT_AGAIN}

    appeal = file_for(
        neighbour(community), **{**details, **difference(resident, taxonomy)}
    )

    assert appeal.status == Status.ROUTED
    assert appeal.duplicate_of is None


def test_a_case_older_than_the_window_is_not_joined(resident, community, file_for):
    with time_machine.travel(timezone.now() - timedelta(days=15)):
        file_for(resident, category="roads", text=STREET_LIGHT)

    appeal = file_for(neighbour(community), category="roads", text=STREET_LIGHT_AGAIN)

    assert appeal.status == Status.ROUTED
    assert appeal.duplicate_of is None


def test_a_case_already_answered_is_not_joined(
    resident, community, housing_officer, file_for
):
    primary = file_for(resident, category="roads", text=STREET_LIGHT)
    workflow.resolve(
        primary.pk, actor=housing_officer, version=primary.version, reply="已修好。"
    )

    appeal = file_for(neighbour(community), category="roads", text=STREET_LIGHT_AGAIN)

    assert appeal.status == Status.ROUTED
    assert appeal.duplicate_of is None
