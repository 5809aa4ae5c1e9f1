"""Who may see which dashboards.

- Analysts see the KPIs, resources and evaluation runs of their area
  (``user.region``); an analyst without an area sees nothing.
- Administrators see the whole province.
- Staff and supervisors see the KPI pages of their department's
  jurisdiction, read-only, but not the evaluation runs nor the API: those
  compare offices and are for the analysts who commission them.
- Residents, volunteers and anonymous visitors see the public county page.
"""

from commons.accounts.models import Role, User
from commons.regions.models import Level, Region


def analysis_root(user: User) -> Region | None:
    """The area whose runs and dashboards the user may see, if any."""
    if not user.is_authenticated:
        return None
    if user.role == Role.ADMIN or user.is_superuser:
        return Region.objects.filter(level=Level.PROVINCE).first()
    if user.role == Role.ANALYST:
        return user.region
    return None


def kpi_root(user: User) -> Region | None:
    """The area whose KPI pages the user may see, if any."""
    root = analysis_root(user)
    if root is None and user.is_authenticated and user.works_for_department:
        return user.jurisdiction()
    return root


def is_analyst(user: User) -> bool:
    return analysis_root(user) is not None
