"""How much of each translation catalogue is translated, and how much reviewed.

Translations into Tibetan and Nuosu Yi start as drafts. A native speaker who
has checked an entry marks it with a translator comment line

    # reviewed: <reviewer>, <YYYY-MM-DD>

Translator comments are the one kind of comment that makemessages (msgmerge)
carries over unchanged, so the mark lives with the entry it vouches for.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import polib
from django.conf import settings
from django.utils.translation import to_locale

REVIEWED = re.compile(
    r"^reviewed:\s*(?P<reviewer>[^,]+?)\s*,\s*(?P<date>\d{4}-\d{2}-\d{2})\s*$"
)


@dataclass(frozen=True)
class Entry:
    """One message, as a reviewer finds it in the catalogue."""

    msgid: str
    msgctxt: str | None
    msgstr: str


@dataclass(frozen=True)
class Coverage:
    """Counts for one language's catalogue; a missing file counts as empty."""

    language: str
    path: Path
    exists: bool
    total: int = 0
    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    reviewed: int = 0
    unreviewed: tuple[Entry, ...] = field(default=(), repr=False)

    @property
    def translated_percent(self) -> float:
        return percent(self.translated, self.total)

    @property
    def reviewed_percent(self) -> float:
        return percent(self.reviewed, self.total)


def percent(part: int, total: int) -> float:
    return 100.0 * part / total if total else 0.0


def reviewer_of(entry: polib.POEntry) -> str | None:
    """The reviewer named on the entry, or None if it carries no valid mark."""
    for line in (entry.tcomment or "").splitlines():
        match = REVIEWED.match(line.strip())
        if match:
            return match["reviewer"]
    return None


def is_reviewed(entry: polib.POEntry) -> bool:
    # A fuzzy or emptied entry no longer says what the reviewer approved.
    return entry.translated() and reviewer_of(entry) is not None


def first_form(entry: polib.POEntry) -> str:
    if entry.msgid_plural:
        return entry.msgstr_plural.get(0, "")
    return entry.msgstr


def catalogue_coverage(path: Path, language: str) -> Coverage:
    """Count the entries of one .po file; obsolete entries do not count."""
    if not path.exists():
        return Coverage(language=language, path=path, exists=False)

    entries = [entry for entry in polib.pofile(str(path)) if not entry.obsolete]
    translated = sum(1 for entry in entries if entry.translated())
    fuzzy = sum(1 for entry in entries if "fuzzy" in entry.flags)
    unreviewed = tuple(
        Entry(entry.msgid, entry.msgctxt, first_form(entry))
        for entry in entries
        if not is_reviewed(entry)
    )

    return Coverage(
        language=language,
        path=path,
        exists=True,
        total=len(entries),
        translated=translated,
        fuzzy=fuzzy,
        untranslated=len(entries) - translated - fuzzy,
        reviewed=len(entries) - len(unreviewed),
        unreviewed=unreviewed,
    )


def catalogue_path(language: str, locale_dir: Path, domain: str = "django") -> Path:
    return locale_dir / to_locale(language) / "LC_MESSAGES" / f"{domain}.po"


def language_coverage(
    languages: Iterable[str] | None = None,
    locale_dir: Path | None = None,
    domain: str = "django",
) -> list[Coverage]:
    """Coverage of the project's catalogues, by default for every language."""
    if languages is None:
        languages = [code for code, _name in settings.LANGUAGES]
    if locale_dir is None:
        locale_dir = Path(settings.LOCALE_PATHS[0])
    return [
        catalogue_coverage(catalogue_path(code, locale_dir, domain), code)
        for code in languages
    ]
