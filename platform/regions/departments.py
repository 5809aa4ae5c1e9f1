"""The standard departments of every level, created in bulk.

The province, each prefecture and each county have the same line bureaus and
a general office; every township has a service centre that takes what no
bureau claims. Escalations climb this ladder one level at a time. Names are
built per language from the translated sector name and the region's name.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from commons.regions.models import Department, Level, Region, Sector

logger = logging.getLogger(__name__)

LINE_SECTORS = [
    Sector.CIVIL_AFFAIRS,
    Sector.HEALTH,
    Sector.SOCIAL_SECURITY,
    Sector.HOUSING,
    Sector.PUBLIC_SECURITY,
    Sector.ECOLOGY,
    Sector.EDUCATION,
    Sector.AGRICULTURE,
    Sector.GENERAL,
]
BATCH_SIZE = 2000


def bureau_name(region_name: str, sector: Sector, level: int) -> str:
    if sector == Sector.GENERAL and level == Level.TOWNSHIP:
        return _("%(region)s service centre") % {"region": region_name}
    if sector == Sector.GENERAL:
        return _("%(region)s government office") % {"region": region_name}
    return _("%(region)s %(sector)s bureau") % {
        "region": region_name,
        "sector": sector.label,
    }


NAME_FIELDS = tuple(
    f"name_{code.replace('-', '_')}" for code, _label in settings.LANGUAGES
)


def translated_names(region: Region, sector: Sector) -> dict[str, str]:
    names = {}
    for code, _label in settings.LANGUAGES:
        field = f"name_{code.replace('-', '_')}"
        with translation.override(code):
            region_name = getattr(region, field) or region.name_zh_hans
            names[field] = bureau_name(region_name, sector, region.level)
    return names


def seed_departments() -> int:
    """Create the missing standard departments; return how many were made.

    Existing ones get their names rebuilt, so a reviewed translation of a
    sector or a region reaches every department at the next deployment.
    """
    existing = {
        department.code: department
        for department in Department.objects.filter(code__in=wanted_codes())
    }
    upper = Region.objects.filter(level__lte=Level.COUNTY)
    townships = Region.objects.filter(level=Level.TOWNSHIP, is_administrative=True)
    wanted = [(region, sector) for region in upper for sector in LINE_SECTORS]
    wanted += [(township, Sector.GENERAL) for township in townships]

    new, renamed = [], []
    for region, sector in wanted:
        names = translated_names(region, sector)
        current = existing.get(standard_code(region, sector))
        if current is None:
            new.append(
                Department(
                    code=standard_code(region, sector),
                    sector=sector,
                    jurisdiction=region,
                    **names,
                )
            )
        elif any(getattr(current, field) != name for field, name in names.items()):
            for field, name in names.items():
                setattr(current, field, name)
            renamed.append(current)

    with transaction.atomic():
        Department.objects.bulk_create(new, batch_size=BATCH_SIZE)
        Department.objects.bulk_update(
            renamed, list(NAME_FIELDS), batch_size=BATCH_SIZE
        )
    logger.info("Created %s departments, renamed %s", len(new), len(renamed))
    return len(new)


def standard_code(region: Region, sector: Sector) -> str:
    return f"{sector.value.replace('_', '-')}-{region.code}"


def wanted_codes() -> list[str]:
    """Codes of the standard departments; a social organisation is not one."""
    prefixes = {sector.value.replace("_", "-") for sector in LINE_SECTORS}
    codes = Department.objects.values_list("code", flat=True)
    return [code for code in codes if code.rsplit("-", 1)[0] in prefixes]
