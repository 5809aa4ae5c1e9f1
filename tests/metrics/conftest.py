"""Hand-built appeal histories: appeals stored directly with chosen times."""

import itertools
import uuid
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from appeals.models import Appeal, Category, Channel, Rating, Status
from commons.accounts.models import Role, User
from commons.regions.models import Department, Level, Region
from commons.registry.models import Resident
from metrics import services
from metrics.models import EvaluationRun, PeriodKind, ResourceRecord
from metrics.periods import Period
from metrics.services import take_snapshot
from tests.personas import COMMUNITY, make_user

SHANGHAI = ZoneInfo("Asia/Shanghai")
JINJIANG = "510104"
XICHANG_COMMUNITY = "513401001003"
_serial = itertools.count(1)


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=SHANGHAI)


@pytest.fixture
def category(db) -> Category:
    category, _created = Category.objects.get_or_create(
        code="roads",
        defaults={
            "name": "Roads",
            "first_response_hours": 48,
            "resolution_hours": 240,
        },
    )
    return category


@pytest.fixture
def filer(sichuan) -> User:
    return make_user(
        "filer", Role.INTERMEDIARY, region=Region.objects.get(code=COMMUNITY)
    )


@pytest.fixture
def make_resident(sichuan) -> Callable[..., Resident]:
    def make(
        community: str = COMMUNITY,
        birth_date: date = date(1985, 1, 1),
        **flags: bool,
    ) -> Resident:
        number = next(_serial)
        return Resident.objects.create(
            full_name=f"Resident {number}",
            id_number_hash=uuid.uuid4().hex,
            id_number_last4=f"{number:04d}"[-4:],
            birth_date=birth_date,
            gender="female",
            home_community=Region.objects.get(code=community),
            **flags,
        )

    return make


@pytest.fixture
def make_appeal(category, filer) -> Callable[..., Appeal]:
    """Store an appeal as if its history had happened at the given times."""

    def make(
        resident: Resident,
        filed: datetime,
        *,
        first_response_hours: float | None = None,
        resolution_hours: float | None = None,
        due_hours: float = 240,
        location: str | None = None,
        department: str = "civil-affairs-510104",
        rating: int | None = None,
        **fields: object,
    ) -> Appeal:
        fields.setdefault("channel", Channel.WEB)
        fields.setdefault(
            "status", Status.RESOLVED if resolution_hours is not None else Status.ROUTED
        )
        appeal = Appeal.objects.create(
            tracking_number=f"SCT{next(_serial):08d}",
            idempotency_key=uuid.uuid4().hex,
            resident=resident,
            filed_by=filer,
            category=category,
            description="路灯坏了",
            location=(
                Region.objects.get(code=location)
                if location
                else resident.home_community
            ),
            department=Department.objects.get(code=department),
            created_at=filed,
            routed_at=filed,
            resolution_due=filed + timedelta(hours=due_hours),
            first_responded_at=after(filed, first_response_hours),
            resolved_at=after(filed, resolution_hours),
            **fields,
        )
        if rating is not None:
            Rating.objects.create(appeal=appeal, score=rating)
        return appeal

    return make


def after(start: datetime, hours: float | None) -> datetime | None:
    return None if hours is None else start + timedelta(hours=hours)


SNAPSHOT_REGIONS = ["510000", "510100", "510104", "510105", "513400", "513401"]
MONTHS = [(date(2025, 5, 1), date(2025, 5, 31)), (date(2025, 6, 1), date(2025, 6, 30))]


@pytest.fixture
def snapshots(make_resident, make_appeal) -> list:
    """May and June 2025 snapshots of the province down to two districts."""
    jinjiang = make_resident(birth_date=date(1950, 1, 1))
    qingyang = make_resident(community="510105002002")
    xichang = make_resident(community=XICHANG_COMMUNITY, low_income=True)
    for month, hours in ((5, 20), (6, 40)):
        make_appeal(
            jinjiang, local(2025, month, 3, 9), resolution_hours=hours, rating=4
        )
        make_appeal(
            qingyang,
            local(2025, month, 4, 9),
            resolution_hours=hours * 2,
            department="civil-affairs-510105",
        )
        make_appeal(
            xichang,
            local(2025, month, 5, 9),
            resolution_hours=hours,
            department="civil-affairs-513401",
            channel=Channel.ASSISTED,
        )
    taken = []
    for start, end in MONTHS:
        period = Period(start, end)
        for code in SNAPSHOT_REGIONS:
            region = Region.objects.get(code=code)
            taken.append(take_snapshot(region, period, PeriodKind.MONTH))
        civil = Department.objects.get(code="civil-affairs-510104")
        taken.append(take_snapshot(civil.jurisdiction, period, PeriodKind.MONTH, civil))
    return taken


@pytest.fixture
def chengdu_analyst(sichuan) -> User:
    return make_user(
        "chengdu-analyst", Role.ANALYST, region=Region.objects.get(code="510100")
    )


# A quarter of Chengdu districts to evaluate.

Q2 = Period(date(2025, 4, 1), date(2025, 6, 30))
YEAR = Period(date(2025, 1, 1), date(2025, 12, 31))
CHENGDU = "510100"
# district: (staff, budget for the record's period, coverage, answered on
# time, answered late)
DISTRICTS = {
    "510104": (10, 1_000_000, 90, 6, 2),
    "510105": (20, 2_000_000, 80, 4, 4),
    "510106": (5, 600_000, 95, 5, 0),
    "510107": (15, 1_000_000, 60, 3, 3),
    "510108": (8, 1_200_000, 50, 1, 2),
    "510112": (12, 900_000, 70, 0, 0),
}


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(local(2025, 7, 10, 9), tick=False) as traveller:
        yield traveller


def first_community(county: str) -> str:
    region = Region.objects.get(code=county)
    return (
        Region.objects.filter(
            tree_code__startswith=region.tree_code, level=Level.VILLAGE
        )
        .order_by("tree_code")
        .values_list("code", flat=True)
        .first()
    )


@pytest.fixture
def chengdu(clock, make_resident, make_appeal) -> dict[str, str]:
    """Resource records and a quarter of answered appeals per district."""
    communities = {}
    for county, (staff, budget, coverage, on_time, late) in DISTRICTS.items():
        community = first_community(county)
        communities[county] = community
        resident = make_resident(community=community)
        # The quarter's appeals, spread over its three months.
        for number in range(on_time + late):
            make_appeal(
                resident,
                local(2025, 4 + number % 3, 3 + number, 10),
                first_response_hours=2,
                resolution_hours=30,
                due_hours=240 if number < on_time else 20,
                department=f"civil-affairs-{county}",
            )
        ResourceRecord.objects.create(
            region=Region.objects.get(code=county),
            period_start=YEAR.start,
            period_end=YEAR.end,
            staff=Decimal(staff),
            budget=Decimal(budget),
            digital_coverage=Decimal(coverage),
            imported_at=timezone.now(),
        )
    # Jinjiang also has a record for the quarter alone, which is preferred.
    ResourceRecord.objects.create(
        region=Region.objects.get(code="510104"),
        period_start=Q2.start,
        period_end=Q2.end,
        staff=Decimal(11),
        budget=Decimal(300_000),
        digital_coverage=Decimal(90),
        imported_at=timezone.now(),
    )
    return communities


def evaluate(orientation: str = "input") -> EvaluationRun:
    request = services.EvaluationRequest(
        scope=Region.objects.get(code=CHENGDU), period=Q2, orientation=orientation
    )
    run = services.create_run(request)
    return services.run_evaluation(run.pk)
