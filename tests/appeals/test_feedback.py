"""The workflow staff drive and the resident's side: information, ratings, reopening."""

from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.utils import translation

from appeals.models import (
    Appeal,
    AppealEvent,
    Channel,
    EventKind,
    Notification,
    Priority,
    Rating,
    Status,
)
from appeals.services import feedback, workflow
from commons.accounts.models import Role, SmsMessage
from commons.regions.models import Department
from commons.registry.identity import make_id_number
from commons.registry.services import NewResident, register_resident
from tests.personas import make_user

START = datetime(2025, 9, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
Refusals = (workflow.ActionRefused, feedback.FeedbackRefused)


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def appeal(resident, file_for, clock) -> Appeal:
    """Routed to the officer's own office, civil affairs of Jinjiang."""
    return file_for(resident, category="social-assistance", text="低保金这个月没有到账")


@pytest.fixture
def health(sichuan) -> Department:
    return Department.objects.get(code="health-510104")


def state(appeal: Appeal) -> dict[str, Any]:
    """What a user could see of the appeal, read from the database."""
    stored = Appeal.objects.get(pk=appeal.pk)
    return {
        "status": stored.status,
        "version": stored.version,
        "department": stored.department_id,
        "assignee": stored.assignee_id,
        "reply": stored.reply,
        "priority": stored.priority,
        "resolution_due": stored.resolution_due,
        "events": list(stored.events.values_list("kind", flat=True)),
        "rated": Rating.objects.filter(appeal=stored).exists(),
        "notifications": Notification.objects.filter(appeal=stored).count(),
    }


def current(appeal: Appeal) -> Appeal:
    return Appeal.objects.get(pk=appeal.pk)


def accept(appeal: Appeal, officer) -> Appeal:
    return workflow.accept(appeal.pk, actor=officer, version=current(appeal).version)


def resolve(appeal: Appeal, officer, reply: str = "已补发，请查收。") -> Appeal:
    return workflow.resolve(
        appeal.pk, actor=officer, version=current(appeal).version, reply=reply
    )


def request_info(appeal: Appeal, officer) -> Appeal:
    return workflow.request_info(
        appeal.pk,
        actor=officer,
        version=current(appeal).version,
        question="请提供银行卡号后四位。",
    )


def last_event(appeal: Appeal) -> AppealEvent:
    return current(appeal).events.order_by("pk").last()


def test_an_officer_accepts_a_routed_appeal(appeal, officer, clock):
    clock.shift(timedelta(hours=2))

    accepted = accept(appeal, officer)

    assert accepted.status == Status.ACCEPTED
    assert accepted.assignee == officer
    assert accepted.first_responded_at == START + timedelta(hours=2)
    assert accepted.version == appeal.version + 1
    event = last_event(appeal)
    assert (event.kind, event.actor, event.department) == (
        EventKind.ACCEPTED,
        officer,
        appeal.department,
    )


@pytest.mark.parametrize("accepted_first", [False, True], ids=["routed", "accepted"])
def test_asking_for_information_waits_for_the_resident_and_tells_them(
    accepted_first, appeal, officer, resident, django_capture_on_commit_callbacks
):
    if accepted_first:
        accept(appeal, officer)

    with django_capture_on_commit_callbacks(execute=True):
        asking = request_info(appeal, officer)

    assert asking.status == Status.AWAITING_INFO
    assert asking.paused_at == START
    event = last_event(appeal)
    assert (event.kind, event.note) == (
        EventKind.INFO_REQUESTED,
        "请提供银行卡号后四位。",
    )
    assert Notification.objects.filter(
        recipient=resident.account, kind=EventKind.INFO_REQUESTED
    ).exists()


def test_the_residents_answer_returns_the_appeal_to_the_office(
    appeal, officer, resident
):
    request_info(appeal, officer)

    answered = feedback.provide_info(
        appeal.pk, user=resident.account, answer="  尾号 4821  "
    )

    assert answered.status == Status.ACCEPTED
    event = last_event(appeal)
    assert (event.kind, event.actor, event.note) == (
        EventKind.INFO_PROVIDED,
        resident.account,
        "尾号 4821",
    )


def test_a_transfer_gives_the_other_office_fresh_deadlines_and_tells_the_resident(
    appeal, officer, health, resident, clock, django_capture_on_commit_callbacks
):
    accept(appeal, officer)
    clock.shift(timedelta(hours=5))

    with django_capture_on_commit_callbacks(execute=True):
        moved = workflow.transfer(
            appeal.pk,
            actor=officer,
            version=current(appeal).version,
            to=health,
            reason="属于医保报销问题",
        )

    assert (moved.status, moved.department, moved.assignee) == (
        Status.ROUTED,
        health,
        None,
    )
    assert moved.resolution_due == START + timedelta(hours=5 + 120)
    event = last_event(appeal)
    assert (event.kind, event.department, event.note) == (
        EventKind.TRANSFERRED,
        health,
        "属于医保报销问题",
    )
    assert Notification.objects.filter(
        recipient=resident.account, kind=EventKind.TRANSFERRED
    ).exists()


def test_a_supervisor_reassigns_an_appeal_to_a_colleague(
    appeal, officer, supervisor, civil_affairs
):
    colleague = make_user("colleague", Role.STAFF, department=civil_affairs)
    accept(appeal, officer)

    moved = workflow.reassign(
        appeal.pk,
        actor=supervisor,
        version=current(appeal).version,
        to=civil_affairs,
        officer=colleague,
        reason="王科长休假",
    )

    assert (moved.status, moved.assignee) == (Status.ACCEPTED, colleague)
    event = last_event(appeal)
    assert (event.kind, event.actor, event.note) == (
        EventKind.REASSIGNED,
        supervisor,
        "王科长休假",
    )


def test_a_supervisor_reassigns_an_appeal_to_another_office(
    appeal, officer, supervisor, health
):
    accept(appeal, officer)

    moved = workflow.reassign(
        appeal.pk, actor=supervisor, version=current(appeal).version, to=health
    )

    assert (moved.status, moved.department, moved.assignee) == (
        Status.ROUTED,
        health,
        None,
    )


def test_the_answer_reaches_the_resident_by_text_and_in_the_app(
    appeal, officer, resident, clock, django_capture_on_commit_callbacks
):
    clock.shift(timedelta(hours=8))

    with django_capture_on_commit_callbacks(execute=True):
        answered = resolve(appeal, officer)

    assert answered.status == Status.RESOLVED
    assert answered.reply == "已补发，请查收。"
    assert answered.resolved_at == START + timedelta(hours=8)
    assert last_event(appeal).kind == EventKind.RESOLVED
    assert Notification.objects.filter(
        recipient=resident.account, kind=EventKind.RESOLVED
    ).exists()
    text = SmsMessage.objects.filter(phone=resident.phone).first().body
    assert appeal.tracking_number in text


def test_declining_closes_the_appeal_with_the_reason(appeal, officer):
    declined = workflow.decline(
        appeal.pk,
        actor=officer,
        version=appeal.version,
        reason="此事属于法院管辖",
    )

    assert declined.status == Status.DECLINED
    assert declined.reply == "此事属于法院管辖"
    assert declined.closed_at == START
    assert last_event(appeal).kind == EventKind.DECLINED


def test_rating_an_answer_closes_the_appeal(appeal, officer, resident):
    resolve(appeal, officer)

    rating = feedback.rate(
        appeal.pk, user=resident.account, score=4, comment=" 很及时 "
    )

    assert (rating.score, rating.comment, rating.relayed_by) == (4, "很及时", None)
    closed = current(appeal)
    assert closed.status == Status.CLOSED
    assert closed.closed_at == START
    kinds = list(closed.events.order_by("pk").values_list("kind", flat=True))
    assert kinds[-2:] == [EventKind.RATED, EventKind.CLOSED]


def closed_appeal(appeal, officer, resident) -> None:
    resolve(appeal, officer)
    feedback.rate(appeal.pk, user=resident.account, score=5)


def resolve_it(appeal, officer, resident) -> None:
    resolve(appeal, officer)


def accept_it(appeal, officer, resident) -> None:
    accept(appeal, officer)


def wait_for_info(appeal, officer, resident) -> None:
    request_info(appeal, officer)


def nothing(appeal, officer, resident) -> None:
    return None


Step = Callable[..., Any]
ILLEGAL: dict[str, tuple[Step, Step]] = {
    "resolve a closed appeal": (closed_appeal, resolve_it),
    "accept an accepted appeal": (accept_it, accept_it),
    "resolve while waiting for the resident": (wait_for_info, resolve_it),
    "ask for information on an answered appeal": (resolve_it, wait_for_info),
    "decline an answered appeal": (
        resolve_it,
        lambda appeal, officer, resident: workflow.decline(
            appeal.pk, actor=officer, version=current(appeal).version, reason="晚了"
        ),
    ),
    "rate an unanswered appeal": (
        accept_it,
        lambda appeal, officer, resident: feedback.rate(
            appeal.pk, user=resident.account, score=5
        ),
    ),
    "rate twice": (
        closed_appeal,
        lambda appeal, officer, resident: feedback.rate(
            appeal.pk, user=resident.account, score=1
        ),
    ),
    "reopen an unanswered appeal": (
        nothing,
        lambda appeal, officer, resident: feedback.reopen(
            appeal.pk, user=resident.account, reason="还没人管"
        ),
    ),
    "give information nobody asked for": (
        accept_it,
        lambda appeal, officer, resident: feedback.provide_info(
            appeal.pk, user=resident.account, answer="补充一下"
        ),
    ),
}


@pytest.mark.parametrize("action", ILLEGAL)
def test_an_action_not_allowed_in_the_current_state_is_refused_and_changes_nothing(
    action, appeal, officer, resident
):
    arrange, attempt = ILLEGAL[action]
    arrange(appeal, officer, resident)
    before = state(appeal)

    with pytest.raises(Refusals):
        attempt(appeal, officer, resident)

    assert state(appeal) == before


def test_an_action_on_a_version_someone_else_changed_is_refused(
    appeal, officer, civil_affairs
):
    colleague = make_user("colleague", Role.STAFF, department=civil_affairs)
    seen = appeal.version
    workflow.accept(appeal.pk, actor=colleague, version=seen)
    before = state(appeal)

    with (
        translation.override("en"),
        pytest.raises(workflow.ActionRefused, match="Reload"),
    ):
        workflow.resolve(appeal.pk, actor=officer, version=seen, reply="已处理")

    assert state(appeal) == before


STAFF_ACTIONS: dict[str, Step] = {
    "accept": lambda appeal, actor, to: workflow.accept(
        appeal.pk, actor=actor, version=appeal.version
    ),
    "ask for information": lambda appeal, actor, to: workflow.request_info(
        appeal.pk, actor=actor, version=appeal.version, question="地址？"
    ),
    "transfer": lambda appeal, actor, to: workflow.transfer(
        appeal.pk, actor=actor, version=appeal.version, to=to, reason="转办"
    ),
    "resolve": lambda appeal, actor, to: workflow.resolve(
        appeal.pk, actor=actor, version=appeal.version, reply="已处理"
    ),
    "decline": lambda appeal, actor, to: workflow.decline(
        appeal.pk, actor=actor, version=appeal.version, reason="不归我们管"
    ),
    "reassign": lambda appeal, actor, to: workflow.reassign(
        appeal.pk, actor=actor, version=appeal.version, to=to
    ),
}


@pytest.mark.parametrize("action", STAFF_ACTIONS)
def test_staff_of_another_county_cannot_act_on_the_appeal(
    action, appeal, outsider, health
):
    before = state(appeal)

    with pytest.raises(workflow.ActionRefused):
        STAFF_ACTIONS[action](appeal, outsider, health)

    assert state(appeal) == before


@pytest.mark.parametrize("action", STAFF_ACTIONS)
def test_a_resident_cannot_act_as_an_officer(action, appeal, resident, health):
    before = state(appeal)

    with pytest.raises(workflow.ActionRefused):
        STAFF_ACTIONS[action](appeal, resident.account, health)

    assert state(appeal) == before


def test_only_a_supervisor_may_reassign(appeal, officer, health):
    before = state(appeal)

    with (
        translation.override("en"),
        pytest.raises(workflow.ActionRefused, match="supervisor"),
    ):
        workflow.reassign(appeal.pk, actor=officer, version=appeal.version, to=health)

    assert state(appeal) == before


def test_reassigning_to_an_officer_of_another_office_is_refused(
    appeal, supervisor, outsider, health
):
    before = state(appeal)

    with pytest.raises(workflow.ActionRefused):
        workflow.reassign(
            appeal.pk,
            actor=supervisor,
            version=appeal.version,
            to=health,
            officer=outsider,
        )

    assert state(appeal) == before


@pytest.mark.parametrize(
    "destination",
    ["civil-affairs-510104", "civil-affairs-513401"],
    ids=["the same office", "an office of another county"],
)
def test_a_transfer_must_go_to_another_office_serving_the_place(
    destination, appeal, officer
):
    before = state(appeal)

    with pytest.raises(workflow.ActionRefused):
        workflow.transfer(
            appeal.pk,
            actor=officer,
            version=appeal.version,
            to=Department.objects.get(code=destination),
            reason="转办",
        )

    assert state(appeal) == before


@pytest.mark.parametrize("action", ["resolve", "decline", "ask for information"])
def test_an_empty_text_is_refused(action, appeal, officer):
    before = state(appeal)
    calls = {
        "resolve": lambda: workflow.resolve(
            appeal.pk, actor=officer, version=appeal.version, reply="  "
        ),
        "decline": lambda: workflow.decline(
            appeal.pk, actor=officer, version=appeal.version, reason=""
        ),
        "ask for information": lambda: workflow.request_info(
            appeal.pk, actor=officer, version=appeal.version, question="\n"
        ),
    }

    with pytest.raises(workflow.ActionRefused):
        calls[action]()

    assert state(appeal) == before


RESIDENT_ACTIONS: dict[str, Step] = {
    "rate": lambda appeal, user: feedback.rate(appeal.pk, user=user, score=1),
    "reopen": lambda appeal, user: feedback.reopen(
        appeal.pk, user=user, reason="不满意"
    ),
    "give information": lambda appeal, user: feedback.provide_info(
        appeal.pk, user=user, answer="补充"
    ),
}


@pytest.mark.parametrize("action", RESIDENT_ACTIONS)
def test_nobody_else_can_rate_reopen_or_answer_for_the_resident(
    action, appeal, officer, outsider
):
    resolve(appeal, officer)
    stranger = make_user("resident-13900000009", Role.RESIDENT, phone="13900000009")
    before = state(appeal)

    for user in (stranger, outsider, officer):
        with pytest.raises(feedback.FeedbackRefused):
            RESIDENT_ACTIONS[action](appeal, user)

    assert state(appeal) == before


@pytest.mark.parametrize("score", [0, 6, -1])
def test_a_rating_outside_one_to_five_is_refused(score, appeal, officer, resident):
    resolve(appeal, officer)
    before = state(appeal)

    with pytest.raises(feedback.FeedbackRefused):
        feedback.rate(appeal.pk, user=resident.account, score=score)

    assert state(appeal) == before


@pytest.mark.parametrize("score", [1, 5])
def test_ratings_from_one_to_five_are_kept(score, appeal, officer, resident):
    resolve(appeal, officer)

    feedback.rate(appeal.pk, user=resident.account, score=score)

    assert Rating.objects.get(appeal=appeal).score == score


def test_reopening_in_time_returns_the_appeal_to_its_office_more_urgently(
    appeal, officer, resident, clock
):
    resolve(appeal, officer)
    window = timedelta(days=settings.APPEAL_FEEDBACK_DAYS)
    clock.shift(window - timedelta(minutes=1))

    reopened = feedback.reopen(appeal.pk, user=resident.account, reason=" 钱还没到 ")

    now = START + window - timedelta(minutes=1)
    assert reopened.status == Status.ROUTED
    assert reopened.department == appeal.department
    assert (appeal.priority, reopened.priority) == (Priority.HIGH, Priority.URGENT)
    # Social assistance allows 48 and 240 hours; urgent cases get a quarter.
    assert reopened.first_response_due == now + timedelta(hours=12)
    assert reopened.resolution_due == now + timedelta(hours=60)
    assert (reopened.reopen_count, reopened.resolved_at) == (1, None)
    event = last_event(appeal)
    assert (event.kind, event.note, event.department) == (
        EventKind.REOPENED,
        "钱还没到",
        appeal.department,
    )


def test_a_reopened_appeal_is_the_offices_to_answer_again(appeal, officer, resident):
    resolve(appeal, officer)
    feedback.reopen(appeal.pk, user=resident.account, reason="钱还没到")

    accepted = accept(appeal, officer)
    answered = resolve(appeal, officer, reply="已核实并补发。")

    assert accepted.status == Status.ACCEPTED
    assert answered.status == Status.RESOLVED


def test_reopening_after_the_window_is_refused(appeal, officer, resident, clock):
    resolve(appeal, officer)
    clock.shift(timedelta(days=settings.APPEAL_FEEDBACK_DAYS) + timedelta(minutes=1))
    before = state(appeal)

    with pytest.raises(feedback.FeedbackRefused):
        feedback.reopen(appeal.pk, user=resident.account, reason="钱还没到")

    assert state(appeal) == before


def test_a_joined_report_reopened_becomes_a_case_of_its_own(
    resident, community, officer, file_for
):
    primary = file_for(resident, category="social-assistance", text="低保金没有到账")
    account = make_user("resident-13900000002", Role.RESIDENT, phone="13900000002")
    reporter, _created = register_resident(
        NewResident(
            full_name="李建国",
            id_number=make_id_number(community.code, date(1985, 6, 1), 2),
            home_community=community,
            phone="13900000002",
            account=account,
        ),
        actor=None,
    )
    joined = file_for(reporter, category="social-assistance", text="低保金没有到账")
    assert joined.duplicate_of == primary
    resolve(primary, officer)

    reopened = feedback.reopen(joined.pk, user=account, reason="我的还没到")

    assert reopened.status == Status.ROUTED
    assert reopened.duplicate_of is None
    assert reopened.department == primary.department
    assert current(primary).status == Status.RESOLVED


def test_a_volunteers_rating_is_marked_as_relayed(
    resident, intermediary, officer, file_for
):
    appeal = file_for(
        resident,
        category="social-assistance",
        by=intermediary,
        channel=Channel.ASSISTED,
    )
    resolve(appeal, officer)

    rating = feedback.rate(appeal.pk, user=intermediary, score=3, comment="老人说还行")

    assert rating.relayed_by == intermediary
    assert current(appeal).status == Status.CLOSED
