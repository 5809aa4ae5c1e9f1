"""The four languages are served, chosen by the browser or by the reader."""

import re
import subprocess
import sys

import pytest
from django.urls import reverse

from commons.registry.models import Resident

pytestmark = pytest.mark.django_db

# What each language's home page must contain: its own script.
SCRIPTS = {
    "zh-hans": re.compile(r"[\u4e00-\u9fff]"),
    "bo": re.compile(r"[\u0f00-\u0fff]"),
    "ii": re.compile(r"[\ua000-\ua4cf]"),
    "en": re.compile(r"Your community, one step away"),
}


def heading(html: str) -> str:
    return re.search(r"<h1>(.*?)</h1>", html, re.S).group(1)


@pytest.mark.parametrize("language", SCRIPTS)
def test_the_browser_language_chooses_the_page_language(client, language):
    response = client.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE=language)
    html = response.content.decode()

    assert f'<html lang="{language}">' in html
    assert SCRIPTS[language].search(heading(html))


def test_a_tibetan_browser_gets_tibetan_without_choosing(client):
    response = client.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="bo,zh;q=0.5")

    assert response.headers["Content-Language"] == "bo"


def test_an_unknown_language_falls_back_to_chinese(client):
    response = client.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="fr")

    assert SCRIPTS["zh-hans"].search(heading(response.content.decode()))


def test_the_switcher_sets_the_language(client):
    client.post(reverse("core:set-language"), {"language": "ii", "next": "/"})

    response = client.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="en")

    assert SCRIPTS["ii"].search(heading(response.content.decode()))


def test_a_signed_in_resident_s_choice_is_saved_on_the_record(client, resident):
    client.force_login(
        resident.account, backend="commons.accounts.backends.PhoneCodeBackend"
    )

    client.post(reverse("core:set-language"), {"language": "bo", "next": "/"})

    assert Resident.objects.get(pk=resident.pk).preferred_language == "bo"


def test_every_page_offers_the_four_languages(client):
    html = client.get(reverse("accounts:staff-login")).content.decode()

    for code in SCRIPTS:
        assert f'value="{code}"' in html


def test_the_standard_library_platform_module_still_works_in_project_processes():
    script = "import django, platform; django.setup(); print(platform.system())"
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env={"DJANGO_SETTINGS_MODULE": "commons.settings", "PATH": ""},
        check=True,
    )

    assert result.stdout.strip() in {"Linux", "Darwin", "Windows"}
