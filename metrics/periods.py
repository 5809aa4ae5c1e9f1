"""Periods of whole local days and the instants that bound them.

A period is a first and a last day, both included. Its appeals are those
filed from the first day's local midnight up to, not including, the
midnight after its last day.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

ROLLING_DAYS = 30


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"A period cannot end ({self.end}) before it starts.")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def instants(self) -> tuple[datetime, datetime]:
        """The first instant of the period and the first one after it."""
        return local_midnight(self.start), local_midnight(self.end + timedelta(1))

    def contains(self, other: "Period") -> bool:
        return self.start <= other.start and other.end <= self.end

    def months(self) -> list["Period"]:
        """The calendar months that make up a period of whole months."""
        months = []
        first = self.start
        while first <= self.end:
            month = month_of(first)
            months.append(month)
            first = month.end + timedelta(1)
        return months

    @property
    def is_whole_months(self) -> bool:
        return self.start.day == 1 and month_of(self.end).end == self.end


def local_midnight(day: date) -> datetime:
    # The platform's time zone, not a request's: a period means the same
    # whoever asks.
    return timezone.make_aware(
        datetime.combine(day, time.min), timezone.get_default_timezone()
    )


def month_of(day: date) -> Period:
    first = day.replace(day=1)
    next_first = (first + timedelta(days=32)).replace(day=1)
    return Period(first, next_first - timedelta(1))


def previous_month(today: date) -> Period:
    return month_of(today.replace(day=1) - timedelta(1))


def rolling_until(today: date) -> Period:
    """The 30 whole days before ``today``; today is not over yet."""
    return Period(today - timedelta(ROLLING_DAYS), today - timedelta(1))


def quarter_of(day: date) -> Period:
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = date(day.year, first_month, 1)
    return Period(start, month_of(date(day.year, first_month + 2, 1)).end)


def previous_quarter(today: date) -> Period:
    return quarter_of(quarter_of(today).start - timedelta(1))


def years_before(day: date, years: int) -> date:
    """The same calendar day ``years`` earlier; 29 February becomes the 28th."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)
