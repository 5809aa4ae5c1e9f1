import re

import pytest

from tests.browser.conftest import PHONE

pytestmark = pytest.mark.browser

HEADINGS = {
    "zh-hans": re.compile(r"[\u4e00-\u9fff]"),
    "bo": re.compile(r"[\u0f00-\u0fff]"),
    "ii": re.compile(r"[\ua000-\ua4cf]"),
    "en": re.compile(r"^Your community"),
}
BROWSER_LOCALES = {"zh-hans": "zh-CN", "bo": "bo", "ii": "ii", "en": "en-US"}


@pytest.mark.parametrize("language", HEADINGS)
def test_the_home_page_speaks_the_browser_s_language(browser, live_server, language):
    context = browser.new_context(viewport=PHONE, locale=BROWSER_LOCALES[language])
    page = context.new_page()

    page.goto(live_server.url)

    assert page.locator("html").get_attribute("lang") == language
    assert HEADINGS[language].search(page.locator("h1").inner_text())
    context.close()


def test_the_switcher_changes_the_language_without_a_mouse(phone_page, live_server):
    phone_page.goto(live_server.url)

    phone_page.focus("#language-select")
    with phone_page.expect_navigation():
        phone_page.keyboard.press("ArrowDown")

    assert phone_page.locator("html").get_attribute("lang") == "bo"
    assert HEADINGS["bo"].search(phone_page.locator("h1").inner_text())


def test_tibetan_is_drawn_with_the_served_web_font(phone_page, live_server):
    phone_page.goto(live_server.url)
    with phone_page.expect_navigation():
        phone_page.select_option("#language-select", "bo")

    loaded = phone_page.evaluate(
        """document.fonts.ready.then(() => [...document.fonts].some(
            face => face.family.includes("Platform Tibetan") && face.status === "loaded"
        ))"""
    )
    fits = phone_page.evaluate("document.documentElement.scrollWidth <= 360")

    assert loaded
    assert fits  # nothing wider than a 360 px phone
