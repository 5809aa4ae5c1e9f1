"""Playwright driving Debian's Chromium, headless, against the live server."""

import os

import pytest

from tests.appeals.conftest import taxonomy  # noqa: F401 - shared fixture

CHROMIUM = "/usr/bin/chromium"
# Without these, Chromium keeps trying to reach Google's hosts, which this
# closed network refuses; the test pages are all on localhost.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 360, "height": 740}
TABLET = {"width": 800, "height": 1280}


# Modules of other test folders import the fixture below, and pytest then keeps
# one copy of it per folder; Playwright's synchronous API cannot start twice in
# one thread, so the copies share the first browser launched.
RUNNING_BROWSERS: list = []


@pytest.fixture(scope="session")
def browser():
    if RUNNING_BROWSERS:
        yield RUNNING_BROWSERS[0]
        return
    if not os.path.exists(CHROMIUM):
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing; install Debian's chromium package")
        pytest.skip(f"{CHROMIUM} is missing; install Debian's chromium package")
    from playwright.sync_api import sync_playwright

    # Playwright's synchronous API keeps an event loop in this thread; the
    # tests' own database calls stay synchronous and safe. Set only while the
    # browser runs, so subprocesses of other tests do not inherit it.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            RUNNING_BROWSERS.append(chromium)
            try:
                yield chromium
            finally:
                RUNNING_BROWSERS.clear()
            chromium.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    yield context.new_page()
    context.close()


def sign_in(context, live_server, user, backend=None) -> None:
    """Give a browser context the session of ``user``."""
    from django.test import Client

    client = Client()
    client.force_login(user, backend=backend)
    session = client.cookies["sessionid"].value
    context.add_cookies(
        [{"name": "sessionid", "value": session, "url": live_server.url}]
    )
