"""Which department answers an appeal: the most specific rule wins."""

from dataclasses import dataclass

from appeals.models import Category, RoutingRule
from commons.regions.models import Department, Level, Region, Sector


@dataclass
class Route:
    department: Department
    rule: RoutingRule | None

    @property
    def is_dispatcher(self) -> bool:
        """No rule matched: the township's service centre sorts it out."""
        return self.rule is None


class NoRoute(Exception):
    """Not even a township service centre serves this location."""


def matching_rule(category: Category, location: Region) -> RoutingRule | None:
    """The rule whose region is the smallest containing the location."""
    rules = RoutingRule.objects.filter(category=category).select_related(
        "region", "department"
    )
    best: RoutingRule | None = None
    for rule in rules:
        if rule.region is not None and not rule.region.contains(location):
            continue
        if best is None or specificity(rule) > specificity(best):
            best = rule
    return best


def specificity(rule: RoutingRule) -> int:
    return len(rule.region.tree_code) if rule.region is not None else 0


def department_for(sector: str, level: int, location: Region) -> Department | None:
    region = location.ancestor_at(level)
    if region is None:
        return None
    return Department.objects.filter(
        sector=sector, jurisdiction=region, is_active=True
    ).first()


def dispatcher_for(location: Region) -> Department | None:
    """The township's service centre, or the county's office where there is none.

    State farms, forestry bureaus and reserves sit at township level without
    being administrative divisions, so no service centre was set up for them.
    """
    township = department_for(Sector.GENERAL, Level.TOWNSHIP, location)
    return township or department_for(Sector.GENERAL, Level.COUNTY, location)


def find_route(category: Category, location: Region) -> Route:
    rule = matching_rule(category, location)
    department = None
    if rule is not None:
        department = rule.department or department_for(
            rule.sector, rule.level, location
        )
    if department is not None:
        return Route(department, rule)

    dispatcher = dispatcher_for(location)
    if dispatcher is None:
        raise NoRoute(location.code)
    return Route(dispatcher, None)


def department_above(department: Department) -> Department | None:
    """The same kind of office one level up, where escalations go.

    Where that level has no such office (a social organisation has no office
    above it), the level's general office takes the escalation.
    """
    parent = department.jurisdiction.parent
    if parent is None:
        return None
    sector = department.sector
    if department.jurisdiction.level == Level.TOWNSHIP:
        sector = Sector.GENERAL
    offices = Department.objects.filter(jurisdiction=parent, is_active=True)
    same_kind = offices.filter(sector=sector).first()
    return same_kind or offices.filter(sector=Sector.GENERAL).first()
