"""Catalogues, formats and fonts for Chinese, Tibetan, Nuosu Yi and English."""

import re
from datetime import date
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import CommandError, call_command
from django.utils import formats, translation

from commons.core.coverage import catalogue_coverage, language_coverage

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
STATIC_DIR = Path(settings.STATICFILES_DIRS[0])

REVIEWED_CATALOGUE = """\
msgid ""
msgstr ""
"Language: bo\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=1; plural=0;\\n"

# reviewed: Tenzin Dolma, 2025-03-14
msgid "Sign in"
msgstr "ནང་འཛུལ"

msgid "Sign out"
msgstr "ཕྱིར་འཐེན"

# reviewed: Tenzin Dolma, 2025-03-14
#, fuzzy
msgid "Language"
msgstr "སྐད་ཡིག"

msgid "Change"
msgstr ""
"""


@pytest.fixture
def reviewed_catalogue(tmp_path: Path) -> Path:
    path = tmp_path / "bo" / "LC_MESSAGES" / "django.po"
    path.parent.mkdir(parents=True)
    path.write_text(REVIEWED_CATALOGUE, encoding="utf-8")
    return path


@pytest.mark.parametrize("language", ["zh-hans", "bo", "ii", "en"])
def test_every_message_is_translated(language):
    """A string added to the code and left untranslated fails here."""
    (coverage,) = language_coverage([language])

    untranslated = [entry.msgid for entry in coverage.unreviewed if not entry.msgstr]
    assert coverage.exists
    assert coverage.total > 0
    assert coverage.translated == coverage.total, untranslated
    assert coverage.translated_percent == 100.0


def test_reviewed_entries_are_counted_from_translator_comments(reviewed_catalogue):
    coverage = catalogue_coverage(reviewed_catalogue, "bo")

    assert (coverage.total, coverage.translated) == (4, 2)
    assert (coverage.fuzzy, coverage.untranslated) == (1, 1)
    # The fuzzy entry's mark vouches for a text that has since changed.
    assert coverage.reviewed == 1
    assert coverage.reviewed_percent == 25.0
    assert [entry.msgid for entry in coverage.unreviewed] == [
        "Sign out",
        "Language",
        "Change",
    ]


def test_a_missing_catalogue_counts_as_empty(tmp_path):
    (coverage,) = language_coverage(["bo"], locale_dir=tmp_path)

    assert not coverage.exists
    assert coverage.translated_percent == 0.0


def test_the_command_prints_a_row_per_language(capsys):
    call_command("translation_coverage", "--fail-under", "100")

    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == [
        "Language",
        "Entries",
        "Translated",
        "%",
        "Fuzzy",
        "Untranslated",
        "Reviewed",
        "%",
    ]
    assert [line.split()[0] for line in lines[1:]] == ["zh-hans", "bo", "ii", "en"]
    assert all(line.split()[3] == "100.0" for line in lines[1:])


def test_the_command_fails_under_the_threshold(settings, reviewed_catalogue):
    settings.LOCALE_PATHS = [reviewed_catalogue.parents[2]]

    with pytest.raises(CommandError, match="below 90% for: zh-hans, bo, ii, en"):
        call_command("translation_coverage", "--fail-under", "90")


def test_the_command_lists_a_language_s_unreviewed_entries(
    settings, reviewed_catalogue, capsys
):
    settings.LOCALE_PATHS = [reviewed_catalogue.parents[2]]

    call_command("translation_coverage", "--language", "bo")

    out = capsys.readouterr().out
    assert "'Sign out' -> 'ཕྱིར་འཐེན'" in out
    assert "'Sign in'" not in out


def test_the_command_refuses_an_unknown_language():
    with pytest.raises(CommandError, match="Unknown language 'fr'"):
        call_command("translation_coverage", "--language", "fr")


@pytest.mark.parametrize("language", ["zh_Hans", "bo", "ii"])
def test_chinese_tibetan_and_yi_have_a_single_plural_form(language):
    catalogue = polib.pofile(str(LOCALE_DIR / language / "LC_MESSAGES" / "django.po"))

    assert catalogue.metadata["Plural-Forms"] == "nplurals=1; plural=0;"
    assert catalogue.metadata["Language"] == language


def test_english_has_two_plural_forms():
    catalogue = polib.pofile(str(LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"))

    assert catalogue.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"


@pytest.mark.parametrize("language", ["bo", "ii"])
def test_short_dates_read_year_month_day(language):
    with translation.override(language):
        short = formats.date_format(date(2025, 1, 5), "SHORT_DATE_FORMAT")
        short_datetime = formats.get_format("SHORT_DATETIME_FORMAT")

    assert short == "2025-01-05"
    assert short_datetime == "Y-m-d H:i"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("bo", "སྤྱི་ལོ་2025 ཟླ་བ་དང་པོའི་ཚེས་5"),
        ("ii", "2025 ꋍꆪ 5"),
        ("zh-hans", "2025年1月5日"),
    ],
)
def test_long_dates_use_the_language_s_own_month_names(language, expected):
    with translation.override(language):
        assert formats.date_format(date(2025, 1, 5)) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [("bo", "གཟའ་ཉི་མ་"), ("ii", "ꑬꆏꑍ"), ("zh-hans", "星期日")],
)
def test_weekday_names_are_translated(language, expected):
    with translation.override(language):
        assert formats.date_format(date(2025, 1, 5), "l") == expected


@pytest.mark.parametrize("language", ["bo", "ii"])
def test_input_accepts_year_month_day(language):
    with translation.override(language):
        assert "%Y-%m-%d" in formats.get_format("DATE_INPUT_FORMATS")
        assert formats.get_format("FIRST_DAY_OF_WEEK") == 1


def test_interface_strings_come_out_in_tibetan():
    with translation.override("bo"):
        assert translation.gettext("Sign in") == "ནང་འཛུལ"
        assert translation.gettext("Community services") == "སྡོད་ཁུལ་ཞབས་ཞུ"


def test_the_autonyms_come_from_the_language_info():
    assert translation.get_language_info("bo")["name_local"] == "བོད་སྐད་"
    assert translation.get_language_info("ii")["name_local"] == "ꆈꌠꉙ"


FACES = {
    "Platform Tibetan": ("U+0F00-0FFF", "NotoSerifTibetan-Regular.woff2"),
    "Platform Yi": ("U+A000-A4CF", "NotoSansYi-Regular.woff2"),
}


def font_faces() -> list[str]:
    css = (STATIC_DIR / "css" / "fonts.css").read_text(encoding="utf-8")
    return re.findall(r"@font-face\s*\{(.*?)\}", css, re.S)


@pytest.mark.parametrize("family", FACES)
def test_each_script_has_a_face_limited_to_its_own_block(family):
    unicode_range, file_name = FACES[family]
    faces = [face for face in font_faces() if f'font-family: "{family}"' in face]

    assert faces
    assert all(f"unicode-range: {unicode_range};" in face for face in faces)
    assert all("font-display: swap;" in face for face in faces)
    assert any(file_name in face for face in faces)


def test_every_font_the_css_names_is_served():
    urls = [url for face in font_faces() for url in re.findall(r'url\("(.*?)"\)', face)]

    assert len(urls) == 3
    for url in urls:
        found = finders.find(url.removeprefix("../"))
        assert found, url
        assert Path(found).read_bytes()[:4] == b"wOF2"


def test_the_font_licence_ships_beside_the_fonts():
    licence = (STATIC_DIR / "fonts" / "OFL.txt").read_text(encoding="utf-8")

    assert "SIL OPEN FONT LICENSE Version 1.1" in licence
    assert "Google" in licence
