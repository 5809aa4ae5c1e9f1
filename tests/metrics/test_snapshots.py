"""The periodic snapshot tasks: monthly and rolling, safe to run twice."""

from collections.abc import Iterator
from datetime import date

import pytest
import time_machine
from django.conf import settings
from django.core.management import CommandError, call_command

from commons.celery import app
from commons.regions.models import Level, Region
from metrics import tasks
from metrics.models import KpiSnapshot, PeriodKind
from tests.metrics.conftest import local

REGIONS_SNAPSHOTTED = 1 + 21 + 183  # the province, prefectures and counties


@pytest.fixture
def july(sichuan) -> Iterator[time_machine.Traveller]:
    with time_machine.travel(local(2025, 7, 1, 1, 10), tick=False) as traveller:
        yield traveller


@pytest.fixture
def june_appeals(make_resident, make_appeal) -> None:
    resident = make_resident()
    make_appeal(resident, local(2025, 6, 3, 9), resolution_hours=12)
    make_appeal(
        resident,
        local(2025, 6, 20, 9),
        resolution_hours=30,
        department="housing-510104",
    )


def test_the_monthly_task_snapshots_the_two_months_just_over(
    july, june_appeals
) -> None:
    tasks.take_monthly_snapshots.apply()

    regional = KpiSnapshot.objects.filter(
        period_kind=PeriodKind.MONTH, department__isnull=True
    )
    assert regional.filter(period_start=date(2025, 6, 1)).count() == REGIONS_SNAPSHOTTED
    assert regional.filter(period_start=date(2025, 5, 1)).count() == REGIONS_SNAPSHOTTED
    jinjiang = regional.get(region__code="510104", period_start=date(2025, 6, 1))
    assert (jinjiang.period_end, jinjiang.appeals) == (date(2025, 6, 30), 2)
    province = regional.get(region__level=Level.PROVINCE, period_start=date(2025, 6, 1))
    assert province.resolved == 2


def test_departments_with_appeals_get_their_own_snapshots(july, june_appeals) -> None:
    tasks.take_monthly_snapshots.apply()

    departments = KpiSnapshot.objects.filter(
        department__isnull=False, period_start=date(2025, 6, 1)
    )
    assert sorted(departments.values_list("department__code", flat=True)) == [
        "civil-affairs-510104",
        "housing-510104",
    ]
    housing = departments.get(department__code="housing-510104")
    assert housing.resolution_median_hours == pytest.approx(30.0)


def test_running_the_monthly_task_twice_refreshes_instead_of_duplicating(
    july, june_appeals
) -> None:
    tasks.take_monthly_snapshots.apply()
    july.shift(3600)

    tasks.take_monthly_snapshots.apply()

    june = KpiSnapshot.objects.filter(
        period_kind=PeriodKind.MONTH,
        period_start=date(2025, 6, 1),
        region=Region.objects.get(code="510104"),
        department__isnull=True,
    )
    assert june.count() == 1
    assert june.get().computed_at == local(2025, 7, 1, 2, 10)


def test_the_rolling_task_covers_the_thirty_days_before_today(
    july, june_appeals
) -> None:
    tasks.take_rolling_snapshots.apply()

    rolling = KpiSnapshot.objects.get(
        period_kind=PeriodKind.ROLLING_30,
        region__code="510104",
        department__isnull=True,
    )
    assert (rolling.period_start, rolling.period_end) == (
        date(2025, 6, 1),
        date(2025, 6, 30),
    )
    assert rolling.appeals == 2


def test_every_metrics_schedule_entry_names_a_registered_task() -> None:
    app.loader.import_default_modules()
    entries = {
        name: entry
        for name, entry in settings.CELERY_BEAT_SCHEDULE.items()
        if entry["task"].startswith("metrics.")
    }

    assert set(entries) == {
        "metrics-monthly-snapshots",
        "metrics-rolling-snapshots",
        "metrics-quarterly-evaluation",
        "metrics-resume-lost-runs",
    }
    for entry in entries.values():
        assert entry["task"] in app.tasks


def test_the_command_takes_one_month_on_demand(july, june_appeals, capsys) -> None:
    call_command("take_snapshots", "--month", "2025-06")

    june = KpiSnapshot.objects.filter(
        period_kind=PeriodKind.MONTH, department__isnull=True
    )
    assert june.count() == REGIONS_SNAPSHOTTED
    assert set(june.values_list("period_end", flat=True)) == {date(2025, 6, 30)}
    assert "snapshots" in capsys.readouterr().out


def test_the_command_refuses_a_malformed_month(sichuan) -> None:
    with pytest.raises(CommandError):
        call_command("take_snapshots", "--month", "June")

    assert not KpiSnapshot.objects.exists()
