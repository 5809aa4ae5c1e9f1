"""Tables shown on the dashboards and exported as CSV from the same rows.

A table holds raw values; the page formats them for the reader's language
and the CSV keeps them as they are, under stable column keys, so that a
file exported in Tibetan reads the same into a spreadsheet as one exported
in Chinese.
"""

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpResponse
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from metrics.models import KpiSnapshot

TEXT, COUNT, NUMBER, HOURS, RATE, SCORE, EFFICIENCY = (
    "text",
    "count",
    "number",
    "hours",
    "rate",
    "score",
    "efficiency",
)
EMPTY = "—"
# Spreadsheets run a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    key: str
    label: str | Promise
    kind: str = TEXT


@dataclass(frozen=True)
class Cell:
    text: str
    url: str = ""
    numeric: bool = False


@dataclass
class Table:
    slug: str
    title: str | Promise
    columns: list[Column]
    rows: list[dict[str, Any]] = field(default_factory=list)
    csv_url: str = ""
    # Row key holding the URL the first cell links to.
    link_key: str = "_url"

    def display_rows(self) -> list[list[Cell]]:
        shown = []
        for row in self.rows:
            cells = [
                Cell(
                    formatted(row.get(column.key), column.kind),
                    numeric=column.kind != TEXT,
                )
                for column in self.columns
            ]
            if row.get(self.link_key) and cells:
                cells[0] = Cell(cells[0].text, url=row[self.link_key])
            shown.append(cells)
        return shown


KPI_COLUMNS = [
    Column("appeals", _("Appeals"), COUNT),
    Column("appeals_per_10k", _("Appeals per 10,000 residents"), NUMBER),
    Column("first_response_median_hours", _("First response, median (h)"), HOURS),
    Column("first_response_p90_hours", _("First response, 90th percentile (h)"), HOURS),
    Column("first_response_mean_hours", _("First response, mean (h)"), HOURS),
    Column("resolution_median_hours", _("Answer, median (h)"), HOURS),
    Column("resolution_p90_hours", _("Answer, 90th percentile (h)"), HOURS),
    Column("resolution_mean_hours", _("Answer, mean (h)"), HOURS),
    Column("resolution_rate", _("Answered"), RATE),
    Column("on_time_rate", _("Answered on time"), RATE),
    Column("reopen_rate", _("Reopened"), RATE),
    Column("satisfaction_index", _("Satisfaction (0–100)"), SCORE),
    Column("inclusion_score", _("Digital inclusion (0–100)"), SCORE),
    Column("inclusion_parity", _("Inclusion: vulnerable residents served"), RATE),
    Column("inclusion_language", _("Inclusion: answered in own language"), RATE),
    Column("inclusion_assisted", _("Inclusion: filed by a volunteer"), RATE),
]

# The counts behind the rates, shown in a region's own summary.
COUNT_COLUMNS = [
    Column("population", _("Registered residents"), COUNT),
    Column("vulnerable_population", _("Registered vulnerable residents"), COUNT),
    Column("handled", _("Appeals handled (not joined to another)"), COUNT),
    Column("resolved", _("Appeals answered"), COUNT),
    Column("resolved_on_time", _("Appeals answered on time"), COUNT),
    Column("answered_ever", _("Appeals answered at least once"), COUNT),
    Column("reopened", _("Appeals reopened"), COUNT),
    Column("ratings", _("Ratings"), COUNT),
    Column("served_vulnerable", _("Answers to vulnerable residents"), COUNT),
    Column("minority_language", _("Appeals to answer in Tibetan or Yi"), COUNT),
    Column(
        "minority_language_answered",
        _("Answered on time in Tibetan or Yi"),
        COUNT,
    ),
    Column("vulnerable_appeals", _("Appeals from vulnerable residents"), COUNT),
    Column("vulnerable_assisted", _("Of those, filed by a volunteer"), COUNT),
]


def formatted(value: Any, kind: str) -> str:
    if value is None or value == "":
        return EMPTY
    if kind == COUNT:
        return number_format(value, 0, force_grouping=True)
    if kind == RATE:
        return f"{number_format(100 * value, 1)} %"
    if kind in (HOURS, SCORE, NUMBER):
        return number_format(value, 1, force_grouping=True)
    if kind == EFFICIENCY:
        return number_format(value, 3)
    return str(value)


def snapshot_row(snapshot: KpiSnapshot, **extra: Any) -> dict[str, Any]:
    row = {column.key: getattr(snapshot, column.key) for column in KPI_COLUMNS}
    row.update(extra)
    return row


def summary_table(snapshot: KpiSnapshot | None, csv_url: str) -> Table:
    """One region's KPIs and counts, one per line."""
    table = Table(
        slug="summary",
        title=_("This region"),
        columns=[Column("kpi", _("Indicator")), Column("value", _("Value"), TEXT)],
        csv_url=csv_url,
    )
    if snapshot is None:
        return table
    for column in KPI_COLUMNS + COUNT_COLUMNS:
        value = getattr(snapshot, column.key)
        table.rows.append(
            {
                "kpi": column.label,
                "value": formatted(value, column.kind),
                "_key": column.key,
                "_raw": value,
            }
        )
    return table


def csv_response(table: Table, filename: str) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    keys = csv_keys(table)
    writer.writerow(keys)
    for row in table.rows:
        writer.writerow([csv_value(row_value(table, row, key)) for key in keys])

    # The byte-order mark lets spreadsheet programs read the file as UTF-8.
    response = HttpResponse(
        "\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_keys(table: Table) -> list[str]:
    if table.slug == "summary":
        return ["kpi", "value"]
    return [column.key for column in table.columns]


def row_value(table: Table, row: dict[str, Any], key: str) -> Any:
    # The summary exports the machine key and the raw value, not the
    # translated label and the formatted text.
    if table.slug == "summary":
        return row["_key"] if key == "kpi" else row["_raw"]
    return row.get(key)


def csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        return repr(value) if isinstance(value, float) else str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def joined(values: Iterable[str]) -> str:
    return "; ".join(values)
