"""Administrative divisions of Sichuan and the departments that serve them."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Level(models.IntegerChoices):
    PROVINCE = 1, _("Province")
    PREFECTURE = 2, _("Prefecture")
    COUNTY = 3, _("County")
    TOWNSHIP = 4, _("Township")
    VILLAGE = 5, _("Village or community")
    GRID = 6, _("Grid")


class EconomicZone(models.TextChoices):
    CHENGDU_PLAIN = "chengdu_plain", _("Chengdu Plain")
    SOUTH = "south", _("South Sichuan")
    NORTHEAST = "northeast", _("Northeast Sichuan")
    PANXI = "panxi", _("Panxi")
    NORTHWEST = "northwest", _("Northwest Sichuan")


class EthnicAutonomy(models.TextChoices):
    NONE = "", pgettext_lazy("autonomous area", "None")
    TIBETAN = "tibetan", pgettext_lazy("autonomous area", "Tibetan")
    TIBETAN_QIANG = (
        "tibetan_qiang",
        pgettext_lazy("autonomous area", "Tibetan and Qiang"),
    )
    YI = "yi", pgettext_lazy("autonomous area", "Yi")
    QIANG = "qiang", pgettext_lazy("autonomous area", "Qiang")


class RegionQuerySet(models.QuerySet):
    def within(self, region: "Region") -> "RegionQuerySet":
        """The region itself and every division below it."""
        return self.filter(tree_code__startswith=region.tree_code)


class Region(models.Model):
    """One division of the tree, from the province down to a grid.

    ``tree_code`` is the official code cut to the digits that matter at its
    level (51, 5101, 510104, 510104017, 510104017001, then three digits more
    for a grid), so every descendant's tree code starts with its ancestor's
    and a subtree is one indexed prefix query.
    """

    code = models.CharField(_("official code"), max_length=15, unique=True)
    tree_code = models.CharField(max_length=15, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=100)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    kind = models.CharField(_("kind"), max_length=40, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    economic_zone = models.CharField(
        _("economic zone"), max_length=20, choices=EconomicZone.choices, blank=True
    )
    ethnic_autonomy = models.CharField(
        _("ethnic autonomous area"),
        max_length=20,
        choices=EthnicAutonomy.choices,
        blank=True,
    )
    is_administrative = models.BooleanField(
        _("administrative division"),
        default=True,
        help_text=_("False for state farms, forestry bureaus and reserves."),
    )
    is_invented = models.BooleanField(
        _("invented for the demo"),
        default=False,
        help_text=_("Grids are invented: Sichuan publishes none."),
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["tree_code"]
        indexes = [
            models.Index(
                fields=["tree_code"],
                name="region_tree_prefix",
                opclasses=["varchar_pattern_ops"],
            ),
            models.Index(fields=["level", "tree_code"], name="region_level_tree"),
        ]

    def __str__(self) -> str:
        return self.name

    def contains(self, other: "Region") -> bool:
        return other.tree_code.startswith(self.tree_code)

    def ancestor_at(self, level: int) -> "Region | None":
        region: Region | None = self
        while region is not None and region.level > level:
            region = region.parent
        return region if region is not None and region.level == level else None

    @property
    def speaks_minority_language(self) -> str:
        """'bo' or 'ii' where the area is Tibetan or Yi autonomous, else ''."""
        if self.ethnic_autonomy in (
            EthnicAutonomy.TIBETAN,
            EthnicAutonomy.TIBETAN_QIANG,
        ):
            return "bo"
        if self.ethnic_autonomy == EthnicAutonomy.YI:
            return "ii"
        return ""


def tree_code_for(code: str, level: int) -> str:
    """Cut an official code to the digits that identify it at its level."""
    digits = {
        Level.PROVINCE: 2,
        Level.PREFECTURE: 4,
        Level.COUNTY: 6,
        Level.TOWNSHIP: 9,
        Level.VILLAGE: 12,
        Level.GRID: 15,
    }[Level(level)]
    return code[:digits]


class Sector(models.TextChoices):
    CIVIL_AFFAIRS = "civil_affairs", _("Civil affairs")
    HEALTH = "health", _("Health")
    SOCIAL_SECURITY = "social_security", _("Human resources and social security")
    HOUSING = "housing", _("Housing and urban-rural development")
    PUBLIC_SECURITY = "public_security", _("Public security")
    ECOLOGY = "ecology", _("Ecology and environment")
    EDUCATION = "education", _("Education")
    AGRICULTURE = "agriculture", _("Agriculture and rural affairs")
    GENERAL = "general", _("General office")
    SOCIAL_ORGANISATION = "social_organisation", _("Social organisation")


class Department(models.Model):
    """A government department or a social organisation that takes on services.

    It serves one region and everything below it: a county's civil affairs
    bureau answers for every township and village of the county.
    """

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    sector = models.CharField(_("sector"), max_length=30, choices=Sector.choices)
    is_government = models.BooleanField(_("government department"), default=True)
    jurisdiction = models.ForeignKey(
        Region,
        verbose_name=_("jurisdiction"),
        on_delete=models.PROTECT,
        related_name="departments",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["jurisdiction__tree_code", "code"]

    def __str__(self) -> str:
        return self.name

    def serves(self, region: Region) -> bool:
        return self.jurisdiction.contains(region)
