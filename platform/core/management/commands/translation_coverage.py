from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import to_language

from commons.core.coverage import Coverage, language_coverage

COLUMNS = (
    "Language",
    "Entries",
    "Translated",
    "%",
    "Fuzzy",
    "Untranslated",
    "Reviewed",
    "%",
)


class Command(BaseCommand):
    help = (
        "Show, for each language, how many catalogue entries are translated "
        "and how many a native speaker has reviewed."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--fail-under",
            type=float,
            metavar="PERCENT",
            help="Exit with an error if a language has less translated than this.",
        )
        parser.add_argument(
            "--language",
            metavar="CODE",
            help="Report only this language and list its unreviewed entries.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        languages = None
        if options["language"]:
            languages = [self.known_language(options["language"])]
        report = language_coverage(languages)

        self.stdout.write(table(report))
        if options["language"]:
            self.list_unreviewed(report[0])
        self.check_threshold(report, options["fail_under"])

    def known_language(self, code: str) -> str:
        # Accept the locale spelling (zh_Hans) as well as the language code.
        language = to_language(code)
        known = [known_code for known_code, _name in settings.LANGUAGES]
        if language not in known:
            raise CommandError(
                f"Unknown language {code!r}; choose one of {', '.join(known)}."
            )
        return language

    def list_unreviewed(self, coverage: Coverage) -> None:
        self.stdout.write("")
        self.stdout.write(f"Unreviewed entries in {coverage.path}:")
        for entry in coverage.unreviewed:
            context = f"[{entry.msgctxt}] " if entry.msgctxt else ""
            self.stdout.write(f"  {context}{entry.msgid!r} -> {entry.msgstr!r}")

    def check_threshold(self, report: list[Coverage], threshold: float | None) -> None:
        if threshold is None:
            return
        below = [c.language for c in report if c.translated_percent < threshold]
        if below:
            raise CommandError(
                f"Translated share below {threshold:g}% for: {', '.join(below)}."
            )


def table(report: list[Coverage]) -> str:
    rows = [COLUMNS] + [row(coverage) for coverage in report]
    widths = [max(len(cells[i]) for cells in rows) for i in range(len(COLUMNS))]
    lines = []
    for cells in rows:
        # The language name reads left-aligned, the numbers right-aligned.
        first = cells[0].ljust(widths[0])
        rest = [
            cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True)
        ]
        lines.append("  ".join([first, *rest]))
    return "\n".join(lines)


def row(coverage: Coverage) -> tuple[str, ...]:
    if not coverage.exists:
        return (coverage.language, "missing", "", "", "", "", "", "")
    return (
        coverage.language,
        str(coverage.total),
        str(coverage.translated),
        f"{coverage.translated_percent:.1f}",
        str(coverage.fuzzy),
        str(coverage.untranslated),
        str(coverage.reviewed),
        f"{coverage.reviewed_percent:.1f}",
    )
