"""The staff back office: the inbox, a case page, its actions, escalations.

Social-assistance appeals from the resident's community go to the officer's
department, civil affairs of Jinjiang district. The outsider works for
civil affairs in Xichang and must never see or change them.
"""

import io
import re
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from appeals.models import Appeal, AppealEvent, EventKind, RoutingRule, Status
from appeals.routing import department_above
from appeals.services import sweeps, workflow
from commons.accounts.models import Role
from commons.ledger.models import LedgerEntry
from commons.regions.models import Department, Level, Region
from tests.personas import make_user

PHONE_BACKEND = "commons.accounts.backends.PhoneCodeBackend"
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}
SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Monday morning well after the fixtures' grants start.
MONDAY = datetime(2031, 3, 3, 9, 0, tzinfo=SHANGHAI)


def unique_text() -> str:
    """A description no other one resembles, so no appeal joins another."""
    return f"需要帮助 {uuid.uuid4().hex}"


@pytest.fixture
def social(file_for, resident):
    """File a social-assistance appeal: it lands in the officer's inbox."""

    def file(**options) -> Appeal:
        options.setdefault("text", unique_text())
        return file_for(resident, category="social-assistance", **options)

    return file


@pytest.fixture
def health_officer(sichuan):
    department = Department.objects.get(code="health-510104")
    return make_user("health-officer", Role.STAFF, department=department)


def inbox_html(client, user, **filters) -> str:
    client.force_login(user)
    response = client.get(reverse("appeals:inbox"), filters, **ENGLISH)
    assert response.status_code == 200
    return response.content.decode()


def case_url(appeal: Appeal) -> str:
    return reverse("appeals:case", kwargs={"tracking_number": appeal.tracking_number})


def action_url(appeal: Appeal, action: str) -> str:
    return reverse(
        f"appeals:case-{action}", kwargs={"tracking_number": appeal.tracking_number}
    )


def post_action(client, appeal: Appeal, action: str, version=None, **fields):
    """Post an action form as the case page renders it (fields prefixed)."""
    prefix = action.replace("-", "_")
    data = {f"{prefix}-version": version or appeal.version}
    data.update({f"{prefix}-{name}": value for name, value in fields.items()})
    return client.post(action_url(appeal, action), data, follow=True, **ENGLISH)


def snapshot(appeal: Appeal) -> tuple:
    appeal.refresh_from_db()
    events = AppealEvent.objects.filter(appeal=appeal).count()
    return appeal.status, appeal.version, appeal.department_id, events


def tracking_numbers_in(html: str) -> list[str]:
    return re.findall(r">(SC\d{6}[0-9A-Z]{6})</a>", html)


def photo_upload(name: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), "red").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


# The inbox


def test_the_inbox_shows_the_department_s_appeals_and_not_the_outsider_s(
    client, social, officer, outsider
):
    appeal = social()

    assert appeal.tracking_number in inbox_html(client, officer)
    assert appeal.tracking_number not in inbox_html(client, outsider)


def test_the_inbox_refuses_residents_and_analysts_and_sends_strangers_to_sign_in(
    client, resident, analyst
):
    anonymous = client.get(reverse("appeals:inbox"))
    client.force_login(resident.account, backend=PHONE_BACKEND)
    as_resident = client.get(reverse("appeals:inbox"))
    client.force_login(analyst)
    as_analyst = client.get(reverse("appeals:inbox"))

    assert anonymous.status_code == 302
    assert reverse("accounts:staff-login") in anonymous["Location"]
    assert as_resident.status_code == 403
    assert as_analyst.status_code == 403


def test_a_row_shows_category_place_priority_status_due_time_and_language_flag(
    client, social, officer, resident
):
    resident.preferred_language = "bo"
    resident.save(update_fields=["preferred_language"])
    appeal = social()

    html = inbox_html(client, officer)

    assert appeal.answer_language == "bo"
    assert "Social assistance" in html
    assert resident.home_community.name in html
    assert "High" in html
    assert "Waiting for the department" in html
    assert "Answer in Tibetan or arrange an interpreter" in html


def test_the_inbox_puts_overdue_appeals_first_and_paused_ones_last(
    client, social, officer, time_machine
):
    time_machine.move_to(MONDAY, tick=False)
    paused = social()
    workflow.request_info(
        paused.pk, actor=officer, version=paused.version, question="门牌号是多少？"
    )
    time_machine.move_to(MONDAY + timedelta(hours=1), tick=False)
    accepted = social()
    workflow.accept(accepted.pk, actor=officer, version=accepted.version)
    time_machine.move_to(MONDAY + timedelta(hours=2), tick=False)
    unanswered = social()

    # A day later the last appeal has had no first response: it is overdue,
    # although the accepted one is due sooner.
    time_machine.move_to(MONDAY + timedelta(hours=27), tick=False)
    html = inbox_html(client, officer)

    assert tracking_numbers_in(html) == [
        unanswered.tracking_number,
        accepted.tracking_number,
        paused.tracking_number,
    ]
    assert html.count(">Overdue</strong>") == 1


def test_the_inbox_filters_by_status_category_priority_region_and_overdue(
    client, social, file_for, resident, officer, civil_affairs, taxonomy, time_machine
):
    time_machine.move_to(MONDAY, tick=False)
    jinjiang = civil_affairs.jurisdiction
    RoutingRule.objects.create(
        category=taxonomy["jobs-pensions"], region=jinjiang, department=civil_affairs
    )
    home_township = resident.home_community.parent
    elsewhere = (
        Region.objects.within(jinjiang)
        .filter(level=Level.VILLAGE)
        .exclude(tree_code__startswith=home_township.tree_code)
        .first()
    )
    late = social()
    time_machine.move_to(MONDAY + timedelta(hours=20), tick=False)
    accepted = social()
    workflow.accept(accepted.pk, actor=officer, version=accepted.version)
    far = social(location=elsewhere)
    pension = file_for(resident, category="jobs-pensions", text=unique_text())
    time_machine.move_to(MONDAY + timedelta(hours=25), tick=False)

    def listed(**filters) -> set[str]:
        return set(tracking_numbers_in(inbox_html(client, officer, **filters)))

    assert listed(status="accepted") == {accepted.tracking_number}
    assert listed(category="jobs-pensions") == {pension.tracking_number}
    assert listed(region=home_township.code) == {
        late.tracking_number,
        accepted.tracking_number,
        pension.tracking_number,
    }
    assert listed(region=elsewhere.code) == {far.tracking_number}
    assert listed(overdue="on") == {late.tracking_number}
    assert listed(priority="1") == set()
    assert len(listed(priority="2")) == 4


def test_the_inbox_counts_the_department_s_appeals_per_status_and_overdue(
    client, social, officer, outsider, time_machine
):
    time_machine.move_to(MONDAY, tick=False)
    social()
    social()
    accepted = social()
    workflow.accept(accepted.pk, actor=officer, version=accepted.version)
    time_machine.move_to(MONDAY + timedelta(hours=25), tick=False)

    html = inbox_html(client, officer, status="accepted")
    outsider_html = inbox_html(client, outsider)

    assert 'data-count="routed">2<' in html
    assert 'data-count="accepted">1<' in html
    assert 'data-count="overdue">2<' in html
    assert 'data-count="routed">0<' in outsider_html


def test_the_inbox_runs_the_same_queries_for_one_or_thirty_appeals(
    client, social, officer
):
    social()
    client.force_login(officer)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("appeals:inbox"))
    for _index in range(29):
        social()

    # session, user, department, jurisdiction, the area choices, the
    # category choices, the page's count and rows, the status counts.
    with CaptureQueriesContext(connection) as thirty:
        response = client.get(reverse("appeals:inbox"))

    assert len(response.context["page"].object_list) == 25
    assert len(thirty) == len(one) == 9


def test_the_inbox_keeps_its_filters_on_the_next_page(client, social, officer):
    for _index in range(26):
        social()

    html = inbox_html(client, officer, status="routed")

    assert "?status=routed&amp;page=2" in html


# The case page


def test_the_case_page_shows_description_timeline_deadlines_and_the_record(
    client, social, officer, service_grant
):
    appeal = social(text="低保申请材料不知道怎么交 " + uuid.uuid4().hex)
    client.force_login(officer)

    html = client.get(case_url(appeal), **ENGLISH).content.decode()

    assert "低保申请材料不知道怎么交" in html
    assert "Filed" in html and "Sent to a department" in html
    assert "Resolution due" in html
    assert "王秀英" in html and "13900000001" in html


def test_each_view_of_the_case_page_is_written_to_the_resident_s_ledger(
    client, social, officer, service_grant, resident
):
    appeal = social()
    client.force_login(officer)
    before = LedgerEntry.objects.filter(resident=resident).count()

    client.get(case_url(appeal))
    client.get(case_url(appeal))

    entries = LedgerEntry.objects.filter(resident=resident).order_by("position")
    assert entries.count() == before + 2
    assert entries.last().actor == officer
    assert entries.last().purpose == "service"


def test_without_a_grant_the_case_page_says_so_and_still_shows_the_appeal(
    client, social, officer, resident
):
    appeal = social()
    client.force_login(officer)
    before = LedgerEntry.objects.count()

    html = client.get(case_url(appeal), **ENGLISH).content.decode()

    assert "has no grant to see this resident" in html
    assert appeal.description in html
    assert "王秀英" not in html
    assert LedgerEntry.objects.count() == before


def test_the_outsider_cannot_open_or_act_on_the_case_and_nothing_changes(
    client, social, outsider, resident
):
    appeal = social()
    before = snapshot(appeal)
    ledger_before = LedgerEntry.objects.count()
    client.force_login(outsider)

    page = client.get(case_url(appeal))
    accepted = client.post(
        action_url(appeal, "accept"), {"accept-version": appeal.version}
    )
    declined = client.post(
        action_url(appeal, "decline"),
        {"decline-version": appeal.version, "decline-reason": "不归我们管"},
    )

    assert page.status_code == accepted.status_code == declined.status_code == 404
    assert appeal.tracking_number not in page.content.decode()
    assert snapshot(appeal) == before
    assert LedgerEntry.objects.count() == ledger_before


def test_the_case_page_lists_joined_duplicates_and_links_back(
    client, file_for, resident, officer
):
    text = "社区低保申请一直没有回音，请帮忙查一下进度"
    primary = file_for(resident, category="social-assistance", text=text)
    duplicate = file_for(resident, category="social-assistance", text=text)
    client.force_login(officer)

    primary_html = client.get(case_url(primary)).content.decode()
    duplicate_html = client.get(case_url(duplicate)).content.decode()

    assert duplicate.duplicate_of_id == primary.pk
    assert f">{duplicate.tracking_number}</a>" in primary_html
    assert f">{primary.tracking_number}</a>" in duplicate_html


def test_the_case_page_runs_the_same_queries_for_a_bare_or_a_busy_case(
    client, file_for, resident, officer, service_grant, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    bare = file_for(resident, category="social-assistance", text=unique_text())
    text = "楼道里的残疾人坡道被堵住了，轮椅过不去"
    photos = [photo_upload(f"ramp-{number}.png") for number in range(3)]
    busy = file_for(resident, category="social-assistance", text=text, photos=photos)
    for _index in range(4):
        file_for(resident, category="social-assistance", text=text)
    client.force_login(officer)

    with CaptureQueriesContext(connection) as for_bare:
        client.get(case_url(bare))
    # session, user, appeal with its header rows, events, duplicates, photos,
    # the grants, then read_record: department, jurisdiction, grants,
    # savepoint, record, ledger head, entry, head update, release; and the
    # transfer form's departments.
    with CaptureQueriesContext(connection) as for_busy:
        response = client.get(case_url(busy))

    assert len(response.context["duplicates"]) == 4
    assert len(response.context["photos"]) == 3
    assert len(response.context["events"]) == 6
    assert len(for_busy) == len(for_bare) == 17


def test_officers_open_photos_of_their_cases_and_the_outsider_cannot(
    client, file_for, resident, officer, outsider, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    appeal = file_for(
        resident,
        category="social-assistance",
        text=unique_text(),
        photos=[photo_upload("door.png")],
    )
    photo = appeal.photos.get()
    url = reverse(
        "appeals:case-photo",
        kwargs={"tracking_number": appeal.tracking_number, "photo_id": photo.pk},
    )

    client.force_login(officer)
    page = client.get(case_url(appeal)).content.decode()
    seen = client.get(url)
    client.force_login(outsider)
    refused = client.get(url)

    assert url in page
    assert seen.status_code == 200
    assert b"".join(seen.streaming_content).startswith(b"\x89PNG")
    assert refused.status_code == 404


# Actions


def test_an_officer_accepts_an_appeal(client, social, officer):
    appeal = social()
    client.force_login(officer)

    response = post_action(client, appeal, "accept")

    appeal.refresh_from_db()
    assert appeal.status == Status.ACCEPTED
    assert appeal.assignee == officer
    assert appeal.events.filter(kind=EventKind.ACCEPTED, actor=officer).exists()
    assert "You accepted the appeal." in response.content.decode()


def test_an_officer_asks_the_resident_and_the_clock_stops(client, social, officer):
    appeal = social()
    client.force_login(officer)

    post_action(client, appeal, "request-info", question="请提供户口本照片")

    appeal.refresh_from_db()
    assert appeal.status == Status.AWAITING_INFO
    assert appeal.paused_at is not None
    event = appeal.events.get(kind=EventKind.INFO_REQUESTED)
    assert event.note == "请提供户口本照片"


def test_an_officer_replies_and_resolves(client, social, officer):
    appeal = social()
    client.force_login(officer)

    response = post_action(client, appeal, "resolve", reply="已为您办理临时救助")

    appeal.refresh_from_db()
    assert appeal.status == Status.RESOLVED
    assert appeal.reply == "已为您办理临时救助"
    assert appeal.events.filter(kind=EventKind.RESOLVED, actor=officer).exists()
    assert "已为您办理临时救助" in response.content.decode()


def test_an_officer_declines_as_out_of_scope_with_a_reason(client, social, officer):
    appeal = social()
    client.force_login(officer)

    post_action(client, appeal, "decline", reason="这是私人合同纠纷，请咨询法律援助")

    appeal.refresh_from_db()
    assert appeal.status == Status.DECLINED
    event = appeal.events.get(kind=EventKind.DECLINED)
    assert event.note == "这是私人合同纠纷，请咨询法律援助"


def test_a_transfer_moves_the_appeal_to_the_other_department_s_inbox(
    client, social, officer, health_officer
):
    appeal = social()
    health = health_officer.department
    client.force_login(officer)

    page = client.get(case_url(appeal), **ENGLISH).content.decode()
    response = post_action(
        client, appeal, "transfer", department=health.pk, reason="是看病的问题"
    )

    appeal.refresh_from_db()
    assert f'value="{health.pk}"' in page
    assert response.redirect_chain[-1][0] == reverse("appeals:inbox")
    assert appeal.department == health
    assert appeal.events.get(kind=EventKind.TRANSFERRED).note == "是看病的问题"
    assert appeal.tracking_number not in inbox_html(client, officer)
    assert appeal.tracking_number in inbox_html(client, health_officer)


def test_a_transfer_without_a_reason_is_refused_and_changes_nothing(
    client, social, officer, health_officer
):
    appeal = social()
    before = snapshot(appeal)
    client.force_login(officer)

    response = post_action(
        client, appeal, "transfer", department=health_officer.department.pk, reason=""
    )

    assert "This field is required." in response.content.decode()
    assert snapshot(appeal) == before


def test_a_transfer_offers_only_departments_serving_the_place(
    client, social, officer, outsider
):
    appeal = social()
    before = snapshot(appeal)
    client.force_login(officer)

    page = client.get(case_url(appeal)).content.decode()
    response = post_action(
        client, appeal, "transfer", department=outsider.department_id, reason="试试"
    )

    assert f'value="{outsider.department_id}"' not in page
    assert (
        f'value="{officer.department_id}"' not in page.split("transfer-department")[1]
    )
    assert response.status_code == 200
    assert snapshot(appeal) == before


def test_a_stale_action_is_refused_and_changes_nothing(
    client, social, officer, supervisor
):
    appeal = social()
    seen_version = appeal.version
    workflow.accept(appeal.pk, actor=supervisor, version=seen_version)
    before = snapshot(appeal)
    client.force_login(officer)

    response = post_action(
        client, appeal, "resolve", version=seen_version, reply="已处理"
    )

    assert "Someone else changed this appeal a moment ago." in (
        response.content.decode()
    )
    assert snapshot(appeal) == before
    assert appeal.reply == ""


def test_resolving_a_declined_appeal_is_refused_and_changes_nothing(
    client, social, officer
):
    appeal = social()
    appeal = workflow.decline(
        appeal.pk, actor=officer, version=appeal.version, reason="不属于本部门"
    )
    before = snapshot(appeal)
    client.force_login(officer)

    response = post_action(client, appeal, "resolve", reply="已处理")

    assert "This cannot be done while the appeal is “Out of scope”." in (
        response.content.decode()
    )
    assert snapshot(appeal) == before


def test_a_declined_case_offers_no_actions(client, social, officer):
    appeal = social()
    workflow.decline(appeal.pk, actor=officer, version=appeal.version, reason="不管")
    client.force_login(officer)

    response = client.get(case_url(appeal))

    assert response.context["forms"] == {}


# Supervisors


def test_a_supervisor_reassigns_to_an_officer_of_another_department(
    client, social, supervisor, health_officer
):
    appeal = social()
    health = health_officer.department
    client.force_login(supervisor)

    post_action(
        client,
        appeal,
        "reassign",
        department=health.pk,
        officer=health_officer.pk,
        reason="卫健局更合适",
    )

    appeal.refresh_from_db()
    assert appeal.department == health
    assert appeal.assignee == health_officer
    assert appeal.events.get(kind=EventKind.REASSIGNED).actor == supervisor
    assert appeal.tracking_number in inbox_html(client, health_officer)


def test_a_reassignment_to_an_officer_of_another_department_is_refused(
    client, social, supervisor, officer, health_officer
):
    appeal = social()
    before = snapshot(appeal)
    client.force_login(supervisor)

    response = post_action(
        client,
        appeal,
        "reassign",
        department=health_officer.department_id,
        officer=officer.pk,
    )

    assert "That officer does not work in the chosen department." in (
        response.content.decode()
    )
    assert snapshot(appeal) == before


def test_officers_cannot_reassign(client, social, officer, health_officer):
    appeal = social()
    before = snapshot(appeal)
    client.force_login(officer)

    page = client.get(case_url(appeal))
    response = post_action(
        client, appeal, "reassign", department=health_officer.department_id
    )

    assert "reassign" not in page.context["forms"]
    assert "Only a supervisor can reassign an appeal." in response.content.decode()
    assert snapshot(appeal) == before


def test_late_appeals_reach_the_supervisors_above_and_their_escalations_page(
    client, social, civil_affairs, supervisor, officer, time_machine
):
    time_machine.move_to(MONDAY, tick=False)
    appeal = social()
    above = department_above(civil_affairs)
    boss = make_user("city-supervisor", Role.SUPERVISOR, department=above)

    time_machine.move_to(MONDAY + timedelta(hours=25), tick=False)
    sweeps.escalate_overdue()
    client.force_login(boss)
    escalated = client.get(reverse("appeals:escalations"), **ENGLISH)
    case_page = client.get(case_url(appeal), **ENGLISH)
    client.force_login(supervisor)
    own = client.get(reverse("appeals:escalations"), **ENGLISH)
    client.force_login(officer)
    refused = client.get(reverse("appeals:escalations"))

    appeal.refresh_from_db()
    assert appeal.escalated_to == above
    assert appeal.tracking_number in escalated.content.decode()
    assert "Level 1" in escalated.content.decode()
    assert case_page.status_code == 200
    assert "has no grant to see this resident" in case_page.content.decode()
    assert appeal.tracking_number in own.content.decode()
    assert refused.status_code == 403


def test_the_escalations_page_leaves_out_appeals_on_time(
    client, social, supervisor, time_machine
):
    time_machine.move_to(MONDAY, tick=False)
    appeal = social()
    client.force_login(supervisor)

    html = client.get(reverse("appeals:escalations")).content.decode()

    assert appeal.tracking_number not in html
