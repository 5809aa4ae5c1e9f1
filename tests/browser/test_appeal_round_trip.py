"""A Tibetan-speaking resident files on a phone, an officer answers, she rates."""

import pytest

from appeals.models import Appeal, AppealEvent, EventKind, Status
from commons.accounts.models import Role, User
from commons.regions.models import Department
from commons.registry.models import Resident
from tests.browser.conftest import PHONE, TABLET, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_BACKEND = "commons.accounts.backends.PhoneCodeBackend"
TIBETAN = r"[\u0f00-\u0fff]"


@pytest.fixture
def tibetan_resident(resident):
    Resident.objects.filter(pk=resident.pk).update(preferred_language="bo")
    return resident


@pytest.fixture
def housing_officer(sichuan):
    department = Department.objects.get(code="housing-510104")
    return User.objects.create_user(
        username="housing-officer", role=Role.STAFF, department=department
    )


def test_a_resident_files_in_tibetan_and_rates_the_answer(
    browser, live_server, taxonomy, tibetan_resident, housing_officer
):
    phone = browser.new_context(viewport=PHONE, locale="bo")
    sign_in(phone, live_server, tibetan_resident.account, PHONE_BACKEND)
    page = phone.new_page()

    page.goto(f"{live_server.url}/appeals/new/")
    assert page.locator("html").get_attribute("lang") == "bo"
    page.locator('input[name="category"][value="roads"]').check()
    page.fill('textarea[name="description"]', "ལམ་སྒྲོན་ཆག་འདུག")
    page.locator('form[enctype] button[type="submit"]').last.click()
    tracking_number = page.locator("[data-tracking-number]").inner_text().strip()
    assert page.locator("h1").inner_text()  # the confirmation page is shown
    appeal = Appeal.objects.get(tracking_number=tracking_number)
    assert appeal.status == Status.ROUTED
    assert appeal.answer_language == "bo"

    office = browser.new_context(viewport=TABLET, locale="zh-CN")
    sign_in(office, live_server, housing_officer)
    desk = office.new_page()
    desk.goto(f"{live_server.url}/appeals/office/")
    desk.get_by_text(tracking_number).click()
    desk.locator('form[action$="/accept/"] button').click()
    desk.fill('textarea[name="resolve-reply"]', "路灯已修好。")
    desk.locator('form[action$="/resolve/"] button').click()
    assert Appeal.objects.get(pk=appeal.pk).status == Status.RESOLVED

    page.goto(f"{live_server.url}/appeals/mine/{tracking_number}/")
    page.locator('input[name="score"][value="5"]').check()
    page.locator('form[action$="/rating/"] button').click()

    appeal.refresh_from_db()
    assert appeal.status == Status.CLOSED
    assert appeal.rating.score == 5
    kinds = list(
        AppealEvent.objects.filter(appeal=appeal).values_list("kind", flat=True)
    )
    for kind in [
        EventKind.FILED,
        EventKind.ROUTED,
        EventKind.ACCEPTED,
        EventKind.RESOLVED,
        EventKind.RATED,
        EventKind.CLOSED,
    ]:
        assert kind in kinds
    page.goto(f"{live_server.url}/appeals/mine/{tracking_number}/")
    steps = page.locator("ol.timeline li")
    assert steps.count() == len(kinds)
    assert steps.first.inner_text()  # every step is listed, oldest first
    assert page.locator("ol.timeline").inner_text().count("路灯已修好") == 1
    phone.close()
    office.close()
