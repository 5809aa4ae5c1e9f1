"""Deadlines, the paused clock, escalation up the ladder, and the periodic sweeps."""

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings

from appeals import tasks
from appeals.models import Appeal, EventKind, Status
from appeals.routing import department_above
from appeals.services import feedback, sweeps, workflow
from commons.accounts.models import Role
from commons.regions.models import Department, Region
from commons.registry.identity import make_id_number
from commons.registry.models import Resident
from commons.registry.services import NewResident, register_resident
from tests.personas import make_user

START = datetime(2025, 5, 6, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def hours(count: float) -> timedelta:
    return timedelta(hours=count)


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def resident_without_needs(community: Region) -> Resident:
    """A working-age neighbour: nothing in the record raises the priority."""
    account = make_user("resident-13900000002", Role.RESIDENT, phone="13900000002")
    record, _created = register_resident(
        NewResident(
            full_name="李建国",
            id_number=make_id_number(community.code, date(1985, 6, 1), 2),
            home_community=community,
            phone="13900000002",
            account=account,
        ),
        actor=None,
    )
    return record


def reloaded(appeal: Appeal) -> Appeal:
    appeal.refresh_from_db()
    return appeal


def escalation_events(appeal: Appeal) -> list[tuple[str, str]]:
    events = appeal.events.filter(kind=EventKind.ESCALATED).order_by("pk")
    return [(event.department.code, event.note) for event in events]


@pytest.mark.parametrize(
    ("category", "vulnerable", "first_response", "resolution"),
    [
        ("roads", False, 48, 240),
        ("roads", True, 24, 120),
        ("water-power", False, 24, 120),
        ("neighbourhood-safety", False, 12, 72),
        ("neighbourhood-safety", True, 6, 36),
    ],
)
def test_deadlines_follow_the_category_and_the_priority(
    category,
    vulnerable,
    first_response,
    resolution,
    resident,
    community,
    file_for,
    clock,
):
    reporter = resident if vulnerable else resident_without_needs(community)

    appeal = file_for(reporter, category=category)

    assert appeal.routed_at == START
    assert appeal.first_response_due == START + hours(first_response)
    assert appeal.resolution_due == START + hours(resolution)


def test_waiting_for_the_residents_information_stops_the_clock(
    resident, officer, file_for, clock
):
    appeal = file_for(resident, category="social-assistance")
    clock.shift(hours(2))
    asked = workflow.request_info(
        appeal.pk, actor=officer, version=appeal.version, question="低保证号码是多少？"
    )
    clock.shift(hours(30))

    answered = feedback.provide_info(
        appeal.pk, user=resident.account, answer="号码是 5101040170012。"
    )

    assert asked.paused_at == START + hours(2)
    assert answered.status == Status.ACCEPTED
    assert answered.paused_at is None
    assert answered.first_response_due == appeal.first_response_due + hours(30)
    assert answered.resolution_due == appeal.resolution_due + hours(30)


def test_an_appeal_waiting_for_the_resident_is_not_escalated(
    resident, officer, file_for, clock
):
    appeal = file_for(resident, category="social-assistance")
    workflow.request_info(
        appeal.pk, actor=officer, version=appeal.version, question="住在几楼？"
    )
    clock.shift(hours(500))

    assert sweeps.escalate_overdue() == 0

    waiting = reloaded(appeal)
    assert (waiting.escalation_level, waiting.escalated_to) == (0, None)
    assert escalation_events(waiting) == []


def test_an_appeal_nobody_answered_in_time_goes_one_level_up(resident, file_for, clock):
    appeal = file_for(resident, category="social-assistance")
    clock.shift(hours(24) + timedelta(minutes=1))

    assert sweeps.escalate_overdue() == 1

    late = reloaded(appeal)
    assert late.escalated_to.code == "civil-affairs-510100"
    assert late.escalated_to == department_above(appeal.department)
    assert late.escalation_level == 1
    assert late.escalated_at == START + hours(24) + timedelta(minutes=1)
    assert late.department.code == "civil-affairs-510104"
    assert escalation_events(late) == [("civil-affairs-510100", "1")]


def test_a_late_appeal_climbs_again_only_after_the_repeat_period(
    resident, file_for, clock
):
    repeat = hours(settings.APPEAL_ESCALATION_REPEAT_HOURS)
    appeal = file_for(resident, category="social-assistance")
    clock.shift(hours(25))
    sweeps.escalate_overdue()

    clock.shift(repeat - hours(1))
    assert sweeps.escalate_overdue() == 0
    assert reloaded(appeal).escalation_level == 1

    clock.shift(hours(2))
    assert sweeps.escalate_overdue() == 1
    assert reloaded(appeal).escalated_to.code == "civil-affairs-510000"

    # The province is the top of the ladder.
    clock.shift(repeat * 2)
    assert sweeps.escalate_overdue() == 0
    assert escalation_events(reloaded(appeal)) == [
        ("civil-affairs-510100", "1"),
        ("civil-affairs-510000", "2"),
    ]


def test_an_appeal_answered_in_time_is_not_escalated(
    resident, officer, file_for, clock
):
    appeal = file_for(resident, category="social-assistance")
    clock.shift(hours(3))
    accepted = workflow.accept(appeal.pk, actor=officer, version=appeal.version)
    clock.shift(hours(20))
    workflow.resolve(
        appeal.pk, actor=officer, version=accepted.version, reply="已经办理。"
    )
    clock.shift(hours(500))

    assert sweeps.escalate_overdue() == 0
    assert reloaded(appeal).escalation_level == 0


def test_an_accepted_appeal_escalates_only_once_its_resolution_time_passes(
    resident, officer, file_for, clock
):
    appeal = file_for(resident, category="social-assistance")
    clock.shift(hours(1))
    workflow.accept(appeal.pk, actor=officer, version=appeal.version)

    clock.shift(hours(100))
    assert sweeps.escalate_overdue() == 0

    clock.shift(hours(20))
    assert sweeps.escalate_overdue() == 1
    assert reloaded(appeal).escalated_to.code == "civil-affairs-510100"


def test_a_late_appeal_at_the_service_centre_goes_to_the_county_office(
    resident, file_for, clock
):
    appeal = file_for(resident, category="sanitation")
    clock.shift(hours(13))

    sweeps.escalate_overdue()

    assert reloaded(appeal).escalated_to.code == "general-510104"


def test_a_late_appeal_at_the_social_organisation_goes_to_the_city_office(
    resident, file_for, clock
):
    appeal = file_for(resident, category="elderly-care")
    assert appeal.department.code == "elder-care-org-510104"
    clock.shift(hours(13))

    assert sweeps.escalate_overdue() == 1

    assert reloaded(appeal).escalated_to.code == "general-510100"


def test_an_appeal_at_the_top_does_not_hold_back_other_late_appeals(
    resident, file_for, clock, monkeypatch
):
    monkeypatch.setattr(sweeps, "BATCH_SIZE", 1)
    at_top = file_for(resident, category="social-assistance", text="低保停发了")
    for _step in range(2):
        clock.shift(hours(25))
        sweeps.escalate_overdue()
    assert reloaded(at_top).escalated_to.code == "civil-affairs-510000"
    later = file_for(resident, category="social-assistance", text="临时救助怎么申请")
    clock.shift(hours(30))

    assert sweeps.escalate_overdue() == 1

    assert reloaded(later).escalated_to.code == "civil-affairs-510100"


def test_a_supervisor_of_the_office_above_can_act_on_an_escalated_appeal(
    resident, file_for, clock
):
    appeal = file_for(resident, category="social-assistance")
    clock.shift(hours(25))
    sweeps.escalate_overdue()
    city = Department.objects.get(code="civil-affairs-510100")
    city_supervisor = make_user("city-supervisor", Role.SUPERVISOR, department=city)
    city_officer = make_user("city-officer", Role.STAFF, department=city)
    current = reloaded(appeal)

    with pytest.raises(workflow.ActionRefused):
        workflow.accept(appeal.pk, actor=city_officer, version=current.version)
    accepted = workflow.accept(
        appeal.pk, actor=city_supervisor, version=current.version
    )

    assert accepted.status == Status.ACCEPTED
    assert accepted.assignee == city_supervisor


def test_an_answer_nobody_rated_closes_after_the_feedback_window(
    resident, officer, file_for, clock
):
    appeal = file_for(resident, category="social-assistance")
    workflow.resolve(appeal.pk, actor=officer, version=appeal.version, reply="已办理。")
    window = timedelta(days=settings.APPEAL_FEEDBACK_DAYS)

    clock.shift(window - timedelta(minutes=1))
    assert sweeps.close_unrated() == 0
    assert reloaded(appeal).status == Status.RESOLVED

    clock.shift(timedelta(minutes=2))
    assert sweeps.close_unrated() == 1

    closed = reloaded(appeal)
    assert closed.status == Status.CLOSED
    assert closed.closed_at == START + window + timedelta(minutes=1)
    assert closed.events.filter(kind=EventKind.CLOSED).count() == 1
    assert sweeps.close_unrated() == 0


def test_an_appeal_whose_routing_was_lost_is_routed_by_the_sweep(
    resident, taxonomy, file_for, clock, monkeypatch, django_capture_on_commit_callbacks
):
    with monkeypatch.context() as broker_down:
        broker_down.setattr(
            tasks.route_appeal_task, "apply_async", lambda *args, **options: None
        )
        lost = file_for(resident, category="roads")
    assert lost.status == Status.SUBMITTED

    clock.shift(sweeps.UNROUTED_AFTER - timedelta(seconds=1))
    assert sweeps.unrouted_ids() == []

    clock.shift(timedelta(seconds=2))
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.reenqueue_unrouted() == 1

    routed = reloaded(lost)
    assert routed.status == Status.ROUTED
    assert routed.department.code == "housing-510104"
    assert sweeps.unrouted_ids() == []
