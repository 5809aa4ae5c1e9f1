"""Read-only queries of the staff back office: the inbox, a case, escalations.

Each helper joins or prefetches what its page shows, so a page runs the same
number of queries whether it lists one appeal or a thousand.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
    prefetch_related_objects,
)

from appeals.models import OPEN_STATUSES, Appeal, AppealEvent, Category, Status
from commons.accounts.models import DEPARTMENT_ROLES, User
from commons.regions.models import Department, Region

# The inbox's order: late work first, then running work, then work paused
# while the resident is asked for information, then everything finished.
RANK_OVERDUE, RANK_RUNNING, RANK_PAUSED, RANK_FINISHED = range(4)


@dataclass(frozen=True)
class InboxFilter:
    status: str = ""
    category: Category | None = None
    priority: int | None = None
    region: Region | None = None
    overdue_only: bool = False


def overdue_condition(now: datetime) -> Q:
    """The database form of ``Appeal.is_overdue``."""
    late_answer = Q(resolution_due__lt=now)
    late_first = Q(first_responded_at__isnull=True, first_response_due__lt=now)
    running = Q(status__in=OPEN_STATUSES, paused_at__isnull=True)
    return running & (late_answer | late_first)


def by_urgency(appeals: QuerySet[Appeal], now: datetime) -> QuerySet[Appeal]:
    """Annotate ``urgency`` and ``is_late``, and order by them."""
    running = Q(status__in=OPEN_STATUSES, paused_at__isnull=True)
    urgency = Case(
        When(overdue_condition(now), then=Value(RANK_OVERDUE)),
        When(running, then=Value(RANK_RUNNING)),
        When(status__in=OPEN_STATUSES, then=Value(RANK_PAUSED)),
        default=Value(RANK_FINISHED),
        output_field=IntegerField(),
    )
    is_late = ExpressionWrapper(overdue_condition(now), output_field=BooleanField())
    return appeals.annotate(urgency=urgency, is_late=is_late).order_by(
        "urgency", F("resolution_due").asc(nulls_last=True), "created_at", "pk"
    )


def inbox(
    department: Department, filters: InboxFilter, now: datetime
) -> QuerySet[Appeal]:
    """One department's appeals; without a status filter, the open ones."""
    appeals = Appeal.objects.filter(department=department)
    if filters.status:
        appeals = appeals.filter(status=filters.status)
    else:
        appeals = appeals.filter(status__in=OPEN_STATUSES)
    if filters.category is not None:
        appeals = appeals.filter(category=filters.category)
    if filters.priority is not None:
        appeals = appeals.filter(priority=filters.priority)
    if filters.region is not None:
        appeals = appeals.filter(
            location__tree_code__startswith=filters.region.tree_code
        )
    if filters.overdue_only:
        appeals = appeals.filter(overdue_condition(now))

    return by_urgency(appeals.select_related("category", "location"), now)


def inbox_counts(department: Department, now: datetime) -> dict[str, int]:
    """Appeals per status and overdue ones, in a single aggregate query."""
    per_status = {
        status: Count("pk", filter=Q(status=status)) for status in Status.values
    }
    return Appeal.objects.filter(department=department).aggregate(
        **per_status, overdue=Count("pk", filter=overdue_condition(now))
    )


def escalations(department: Department, now: datetime) -> QuerySet[Appeal]:
    """Open appeals escalated to the department, and its own late ones."""
    escalated_here = Q(escalated_to=department, status__in=OPEN_STATUSES)
    late_here = Q(department=department) & overdue_condition(now)
    appeals = Appeal.objects.filter(escalated_here | late_here).select_related(
        "category", "location", "department"
    )
    return by_urgency(appeals, now).order_by(
        "-escalation_level",
        "urgency",
        F("resolution_due").asc(nulls_last=True),
        "pk",
    )


def case_for(tracking_number: str) -> Appeal | None:
    """The appeal with everything its header shows, in one query."""
    return (
        Appeal.objects.select_related(
            "category",
            "location",
            "department",
            "assignee",
            "escalated_to",
            "duplicate_of",
            "resident__home_community",
        )
        .filter(tracking_number=tracking_number)
        .first()
    )


def load_case_details(appeal: Appeal) -> None:
    """Fetch the timeline, the joined duplicates and the photos: three queries."""
    events = AppealEvent.objects.select_related("actor", "department")
    duplicates = Appeal.objects.only(
        "pk", "tracking_number", "status", "created_at", "duplicate_of"
    ).order_by("created_at", "pk")
    prefetch_related_objects(
        [appeal],
        Prefetch("events", queryset=events),
        Prefetch("duplicates", queryset=duplicates),
        "photos",
    )


def departments_serving(location: Region) -> QuerySet[Department]:
    """Active departments whose jurisdiction contains the location.

    An ancestor's tree code is a prefix of the location's, so every prefix is
    a candidate and only real ancestors match.
    """
    prefixes = [
        location.tree_code[:size] for size in range(1, len(location.tree_code) + 1)
    ]
    return (
        Department.objects.filter(is_active=True, jurisdiction__tree_code__in=prefixes)
        .select_related("jurisdiction")
        .order_by("-jurisdiction__tree_code", "code")
    )


def officers_of(departments: QuerySet[Department]) -> QuerySet[User]:
    return (
        User.objects.filter(
            department__in=departments, role__in=DEPARTMENT_ROLES, is_active=True
        )
        .select_related("department")
        .order_by("department__code", "username")
    )
