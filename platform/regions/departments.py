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


def translated_names(region: Region, sector: Sector) -> dict[str, str]:
    names = {}
    for code, _label in settings.LANGUAGES:
        field = f"name_{code.replace('-', '_')}"
        with translation.override(code):
            region_name = getattr(region, field) or region.name_zh_hans
            names[field] = bureau_name(region_name, sector, region.level)
    return names


def seed_departments() -> int:
    """Create the missing standard departments; return how many were made."""
    existing = set(Department.objects.values_list("code", flat=True))
    upper = Region.objects.filter(level__lte=Level.COUNTY)
    townships = Region.objects.filter(level=Level.TOWNSHIP, is_administrative=True)
    wanted = [(region, sector) for region in upper for sector in LINE_SECTORS]
    wanted += [(township, Sector.GENERAL) for township in townships]

    new = []
    for region, sector in wanted:
        code = f"{sector.value.replace('_', '-')}-{region.code}"
        if code in existing:
            continue
        new.append(
            Department(
                code=code,
                sector=sector,
                jurisdiction=region,
                **translated_names(region, sector),
            )
        )
    with transaction.atomic():
        Department.objects.bulk_create(new, batch_size=BATCH_SIZE)
    logger.info("Created %s departments", len(new))
    return len(new)
