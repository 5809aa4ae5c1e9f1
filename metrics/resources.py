"""Reading resource records from CSV, with an error for every bad cell.

The file has a header row and one row per region and period:

    region_code,period_start,period_end,staff,budget,digital_coverage
    510104,2025-01-01,2025-03-31,42.5,3150000,87.5

``region_code`` is the official code of any region, dates are YYYY-MM-DD
(both days included), ``staff`` is in full-time equivalents, ``budget`` in
yuan for the period and ``digital_coverage`` a percentage from 0 to 100.
Parsing writes nothing: it returns every row or every error.
"""

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from commons.regions.models import Region

COLUMNS = (
    "region_code",
    "period_start",
    "period_end",
    "staff",
    "budget",
    "digital_coverage",
)
# Marks a line with more cells than the header has columns.
EXTRA_CELLS = "__extra__"
# Every village and community of Sichuan (34,412) fits with room to spare;
# a larger file is a mistake, and reading it whole would hold it in memory.
MAX_ROWS = 50_000
# The parser stops listing errors here: past this many, the file is the
# wrong file, and a page of a thousand errors helps nobody.
MAX_ERRORS = 200


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str


@dataclass(frozen=True)
class ResourceRow:
    line: int
    region: Region
    period_start: date
    period_end: date
    staff: Decimal
    budget: Decimal
    digital_coverage: Decimal


class ImportRefused(Exception):
    """The file has bad rows; ``errors`` lists each, and nothing was stored."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} errors in the resource file")
        self.errors = errors


# Django's form fields give the checks and their translated messages.
CELL_FIELDS = {
    "period_start": forms.DateField(input_formats=["%Y-%m-%d"]),
    "period_end": forms.DateField(input_formats=["%Y-%m-%d"]),
    "staff": forms.DecimalField(min_value=0, max_digits=9, decimal_places=1),
    "budget": forms.DecimalField(min_value=0, max_digits=15, decimal_places=2),
    "digital_coverage": forms.DecimalField(
        min_value=0, max_value=100, max_digits=5, decimal_places=2
    ),
}


def parse(content: bytes) -> list[ResourceRow]:
    """Every row of the file, or ImportRefused listing every bad one."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRefused(
            [RowError(1, "", _("The file is not UTF-8 text."))]
        ) from error

    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header_errors = check_header(reader.fieldnames)
        if header_errors:
            raise ImportRefused(header_errors)
        raw_rows = read_rows(reader)
    except csv.Error as error:
        raise ImportRefused(
            [RowError(reader.line_num, "", _("The file is not valid CSV."))]
        ) from error

    rows, errors = check_rows(raw_rows)
    if errors:
        raise ImportRefused(errors[:MAX_ERRORS])
    return rows


def check_header(fieldnames: list[str] | None) -> list[RowError]:
    names = [name.strip() for name in fieldnames or []]
    missing = [column for column in COLUMNS if column not in names]
    unknown = [name for name in names if name not in COLUMNS]
    errors = [RowError(1, column, _("This column is missing.")) for column in missing]
    errors += [RowError(1, name, _("This column is not known.")) for name in unknown]
    return errors


def read_rows(reader: csv.DictReader) -> list[tuple[int, dict[str, str]]]:
    rows = []
    for row in reader:
        if len(rows) == MAX_ROWS:
            raise ImportRefused(
                [
                    RowError(
                        reader.line_num,
                        "",
                        _("The file has more than %(count)s rows.")
                        % {"count": MAX_ROWS},
                    )
                ]
            )
        extra = row.pop(None, None)
        cells = {key.strip(): (value or "").strip() for key, value in row.items()}
        if extra:
            cells[EXTRA_CELLS] = "yes"
        if any(cells.values()):
            rows.append((reader.line_num, cells))
    if not rows:
        raise ImportRefused([RowError(2, "", _("The file has no rows."))])
    return rows


def check_rows(
    raw_rows: list[tuple[int, dict[str, str]]],
) -> tuple[list[ResourceRow], list[RowError]]:
    codes = {cells["region_code"] for _line, cells in raw_rows}
    regions = {region.code: region for region in Region.objects.filter(code__in=codes)}
    rows: list[ResourceRow] = []
    errors: list[RowError] = []
    first_line: dict[tuple[str, date, date], int] = {}

    for line, cells in raw_rows:
        row, row_errors = check_row(line, cells, regions)
        errors += row_errors
        if row is None:
            continue
        key = (row.region.code, row.period_start, row.period_end)
        if key in first_line:
            errors.append(
                RowError(
                    line,
                    "region_code",
                    _("Line %(line)s already gives this region and period.")
                    % {"line": first_line[key]},
                )
            )
            continue
        first_line[key] = line
        rows.append(row)
    return rows, errors


def check_row(
    line: int, cells: dict[str, str], regions: dict[str, Region]
) -> tuple[ResourceRow | None, list[RowError]]:
    values: dict[str, object] = {}
    errors = []
    if EXTRA_CELLS in cells:
        errors.append(
            RowError(line, "", _("This line has more cells than the header."))
        )
    region = regions.get(cells["region_code"])
    if region is None:
        errors.append(RowError(line, "region_code", _("No region has this code.")))
    for column, field in CELL_FIELDS.items():
        try:
            values[column] = field.clean(cells[column])
        except ValidationError as error:
            errors.append(RowError(line, column, " ".join(error.messages)))
    if not errors and values["period_end"] < values["period_start"]:
        errors.append(
            RowError(line, "period_end", _("The period ends before it starts."))
        )
    if errors:
        return None, errors
    return ResourceRow(line=line, region=region, **values), []
