"""The volunteer's tablet in Chromium: offline filing, sync, and both orientations.

The live server routes each appeal as it is filed: tests/conftest.py runs
Celery tasks in-process for every test, with or without REDIS_URL.
"""

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from appeals.models import Appeal, Channel, Status
from commons.registry.identity import make_id_number
from intermediaries.models import AssistedAppeal, Intermediary, VolunteerStatus
from tests.browser.conftest import TABLET, browser  # noqa: F401 - shared fixture
from tests.personas import COMMUNITY, PASSWORD, RESIDENT_PHONE

pytestmark = pytest.mark.browser

LANDSCAPE = {"width": TABLET["height"], "height": TABLET["width"]}
# Sync waits for the browser's "online" event and a round trip per filing.
SYNC_TIMEOUT_MS = 20_000


@pytest.fixture
def field_volunteer(
    sichuan, taxonomy, intermediary, community, civil_affairs, resident
):
    profile = Intermediary.objects.create(
        user=intermediary, department=civil_affairs, status=VolunteerStatus.ACTIVE
    )
    profile.communities.set([community])
    return profile


def signed_in_tablet(browser, live_server, viewport) -> Page:  # noqa: F811
    context = browser.new_context(viewport=viewport, locale="en-US")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/staff/sign-in/")
    page.fill("input[name=username]", "volunteer")
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    return page


def open_filing_for_the_resident(page: Page, live_server) -> None:
    page.goto(f"{live_server.url}/volunteer/find/")
    page.fill("input[name=phone]", RESIDENT_PHONE)
    with page.expect_navigation():
        page.click("form.find-form button[type=submit]")
    with page.expect_navigation():
        page.click("[data-open-resident]")
    with page.expect_navigation():
        page.click("[data-file-for-resident]")


def give_consent(page: Page, how: str) -> None:
    page.check("input[name=files_on_behalf]")
    page.check("input[name=shares_record]")
    page.check(f"input[name=method][value={how}]")
    if how == "signed":
        pad = page.locator("[data-signature-pad]").bounding_box()
        page.mouse.move(pad["x"] + 30, pad["y"] + 120)
        page.mouse.down()
        page.mouse.move(pad["x"] + 160, pad["y"] + 40, steps=8)
        page.mouse.move(pad["x"] + 300, pad["y"] + 150, steps=8)
        page.mouse.up()
    else:
        page.fill("textarea[name=attestation]", "Read aloud in Chinese; she agreed.")


def describe(page: Page, category: str, text: str) -> None:
    page.check(f"input[name=category][value={category}]")
    page.fill("textarea[name=description]", text)
    page.click("button.send")


def test_two_appeals_filed_offline_are_sent_once_each_when_back_online(
    browser,  # noqa: F811
    live_server,
    field_volunteer,
):
    page = signed_in_tablet(browser, live_server, TABLET)
    open_filing_for_the_resident(page, live_server)
    waiting = page.locator("[data-waiting-count]")

    page.context.set_offline(True)
    give_consent(page, "signed")
    describe(page, "roads", "The street light at gate 3 is out.")
    expect(waiting).to_have_text("1")
    give_consent(page, "spoken")
    describe(page, "water-power", "No water since yesterday.")
    expect(waiting).to_have_text("2")
    assert not Appeal.objects.exists()

    page.context.set_offline(False)

    expect(waiting).to_have_text("0", timeout=SYNC_TIMEOUT_MS)
    expect(page.locator("[data-sent] li")).to_have_count(2)
    appeals = list(Appeal.objects.select_related("department"))
    assert len(appeals) == 2
    assert {appeal.channel for appeal in appeals} == {Channel.ASSISTED}
    assert {appeal.status for appeal in appeals} == {Status.ROUTED}
    assert all(appeal.department is not None for appeal in appeals)
    assert AssistedAppeal.objects.filter(intermediary=field_volunteer).count() == 2
    page.context.close()


def test_a_filing_rejected_after_a_suspension_stays_on_the_tablet_with_the_reason(
    browser,  # noqa: F811
    live_server,
    field_volunteer,
):
    page = signed_in_tablet(browser, live_server, TABLET)
    open_filing_for_the_resident(page, live_server)
    page.context.set_offline(True)
    give_consent(page, "spoken")
    describe(page, "roads", "The bridge railing is broken.")
    expect(page.locator("[data-waiting-count]")).to_have_text("1")
    Intermediary.objects.filter(pk=field_volunteer.pk).update(
        status=VolunteerStatus.SUSPENDED
    )

    page.context.set_offline(False)

    rejected = page.locator("[data-rejected] li")
    expect(rejected).to_have_count(1, timeout=SYNC_TIMEOUT_MS)
    expect(rejected).to_contain_text("suspended")
    expect(page.locator("[data-waiting-count]")).to_have_text("0")
    page.reload()
    expect(page.locator("[data-rejected] li")).to_have_count(1)
    assert not Appeal.objects.exists()
    page.context.close()


@pytest.mark.parametrize("viewport", [TABLET, LANDSCAPE], ids=["portrait", "landscape"])
def test_the_filing_page_fits_a_tablet_held_either_way(
    browser,  # noqa: F811
    live_server,
    field_volunteer,
    viewport,
):
    page = signed_in_tablet(browser, live_server, viewport)
    open_filing_for_the_resident(page, live_server)

    fits = page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    small_targets = page.evaluate(
        """[...document.querySelectorAll(
            "main button, main .button, main .choices label, main label.check"
        )].filter(node => node.offsetParent !== null)
          .filter(node => node.getBoundingClientRect().height < 48)
          .map(node => node.textContent.trim())"""
    )
    columns = page.evaluate(
        """new Set([...document.querySelectorAll("fieldset.step")]
            .map(node => Math.round(node.getBoundingClientRect().left))).size"""
    )

    assert fits
    assert small_targets == []
    assert columns == (2 if viewport == LANDSCAPE else 1)
    page.context.close()


def test_the_filing_page_opens_without_a_network_and_files_by_id_number(
    browser,  # noqa: F811
    live_server,
    field_volunteer,
    resident,
):
    page = signed_in_tablet(browser, live_server, TABLET)
    page.goto(f"{live_server.url}/volunteer/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")

    page.context.set_offline(True)
    page.goto(f"{live_server.url}/volunteer/file/")
    page.fill("input[name=id_number]", make_id_number(COMMUNITY, date(1942, 3, 8), 1))
    give_consent(page, "spoken")
    describe(page, "health", "Needs a home visit from the family doctor.")
    expect(page.locator("[data-waiting-count]")).to_have_text("1")
    page.context.set_offline(False)

    expect(page.locator("[data-sent] li")).to_have_count(1, timeout=SYNC_TIMEOUT_MS)
    appeal = Appeal.objects.get()
    assert appeal.resident == resident
    assert appeal.status == Status.ROUTED
    page.context.close()
