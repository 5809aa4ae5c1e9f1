"""Load Sichuan's administrative divisions from the CSV files in data/.

Loading is idempotent: a second run changes only what differs and creates
nothing twice. It works level by level with bulk queries, so the 37,000
divisions load in seconds rather than minutes.
"""

import csv
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import translation

from commons.regions.models import (
    EconomicZone,
    EthnicAutonomy,
    Level,
    Region,
    tree_code_for,
)

logger = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent / "data"
BATCH_SIZE = 2000  # keeps each INSERT well under SQLite's variable limit

LEVELS = {
    "province": Level.PROVINCE,
    "prefecture": Level.PREFECTURE,
    "county": Level.COUNTY,
    "township": Level.TOWNSHIP,
}
ZONES = {
    "成都平原经济区": EconomicZone.CHENGDU_PLAIN,
    "川南经济区": EconomicZone.SOUTH,
    "川东北经济区": EconomicZone.NORTHEAST,
    "攀西经济区": EconomicZone.PANXI,
    "川西北生态示范区": EconomicZone.NORTHWEST,
}
AUTONOMY = {
    "": EthnicAutonomy.NONE,
    "Tibetan": EthnicAutonomy.TIBETAN,
    "Tibetan+Qiang": EthnicAutonomy.TIBETAN_QIANG,
    "Yi": EthnicAutonomy.YI,
    "Qiang": EthnicAutonomy.QIANG,
}
# The township digits 400-499 are state farms, forestry bureaus and reserves.
NON_ADMINISTRATIVE_DIGIT = "4"
SYNCED_FIELDS = [
    "name_zh_hans",
    "name_en",
    "level",
    "kind",
    "parent",
    "economic_zone",
    "ethnic_autonomy",
    "is_administrative",
    "is_invented",
]


@dataclass
class Row:
    code: str
    name: str
    level: int
    parent_code: str
    kind: str = ""
    economic_zone: str = ""
    ethnic_autonomy: str = ""
    is_administrative: bool = True
    is_invented: bool = False
    name_en: str = ""


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def read_csv(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        yield from csv.DictReader(lines)


def division_rows(english_names: dict[str, str]) -> Iterator[Row]:
    for item in read_csv(DATA_DIR / "sichuan_divisions.csv"):
        level = LEVELS[item["level"]]
        zone_name = item["economic_zone"].split(" ")[0]
        yield Row(
            code=item["code"],
            name=item["name"],
            level=level,
            parent_code=item["parent_code"],
            kind=item["type"][:40],
            economic_zone=ZONES.get(zone_name, ""),
            ethnic_autonomy=AUTONOMY[item["ethnic_autonomy"]],
            is_administrative=not (
                level == Level.TOWNSHIP and item["code"][6] == NON_ADMINISTRATIVE_DIGIT
            ),
            name_en=english_names.get(item["code"], ""),
        )


def village_rows() -> Iterator[Row]:
    for item in read_csv(DATA_DIR / "sichuan_villages.csv"):
        kind = "社区" if "社区" in item["name"] else "村"
        yield Row(
            item["code"], item["name"], Level.VILLAGE, item["township_code"], kind
        )


def grid_rows() -> Iterator[Row]:
    for item in read_csv(DATA_DIR / "demo_grids.csv"):
        yield Row(
            item["code"],
            item["name"],
            Level.GRID,
            item["village_code"],
            kind="网格",
            is_invented=True,
            name_en=item["name_en"],
        )


def all_rows() -> list[Row]:
    english_names = {
        item["code"]: item["name_en"] for item in read_csv(DATA_DIR / "names_en.csv")
    }
    rows = sorted(
        [*division_rows(english_names), *village_rows(), *grid_rows()],
        key=lambda row: row.level,
    )
    by_code: dict[str, Row] = {}
    # A division inside an autonomous prefecture is part of that area even
    # where its own row is not marked (Xichang, in Liangshan, is Yi), unless
    # it is marked otherwise (Muli, in Liangshan, is Tibetan). Zones likewise
    # pass down to villages and grids.
    for row in rows:
        parent = by_code.get(row.parent_code)
        if parent is not None:
            row.economic_zone = row.economic_zone or parent.economic_zone
            row.ethnic_autonomy = row.ethnic_autonomy or parent.ethnic_autonomy
        by_code[row.code] = row
    return rows


def load_sichuan() -> LoadReport:
    """Create or update every division; return what changed."""
    rows = all_rows()
    report = LoadReport()

    with translation.override("zh-hans"), transaction.atomic():
        for level in Level:
            level_rows = [row for row in rows if row.level == level]
            if level_rows:
                sync_level(level_rows, report)

    logger.info(
        "Loaded regions: %s created, %s updated, %s unchanged",
        report.created,
        report.updated,
        report.unchanged,
    )
    return report


def sync_level(rows: list[Row], report: LoadReport) -> None:
    level = rows[0].level
    parent_ids = dict(Region.objects.values_list("code", "id"))
    existing = {region.code: region for region in Region.objects.filter(level=level)}
    to_create, to_update = [], []

    for row in rows:
        wanted = build_region(row, parent_ids.get(row.parent_code))
        current = existing.get(row.code)
        if current is None:
            to_create.append(wanted)
        elif copy_changes(wanted, current):
            to_update.append(current)
        else:
            report.unchanged += 1

    Region.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    Region.objects.bulk_update(to_update, SYNCED_FIELDS, batch_size=BATCH_SIZE)
    report.created += len(to_create)
    report.updated += len(to_update)


def build_region(row: Row, parent_id: int | None) -> Region:
    return Region(
        code=row.code,
        tree_code=tree_code_for(row.code, row.level),
        name=row.name,
        name_zh_hans=row.name,
        name_en=row.name_en or None,
        level=row.level,
        kind=row.kind,
        parent_id=parent_id,
        economic_zone=row.economic_zone,
        ethnic_autonomy=row.ethnic_autonomy,
        is_administrative=row.is_administrative,
        is_invented=row.is_invented,
    )


def copy_changes(wanted: Region, current: Region) -> bool:
    changed = False
    for field in SYNCED_FIELDS:
        attribute = "parent_id" if field == "parent" else field
        value = getattr(wanted, attribute)
        if getattr(current, attribute) != value:
            setattr(current, attribute, value)
            changed = True
    return changed
