from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from metrics import services
from metrics.models import PeriodKind
from metrics.periods import month_of, rolling_until


class Command(BaseCommand):
    help = (
        "Take the KPI snapshots now, as the periodic tasks do: the province, "
        "prefectures, counties and busy departments. Without options, the two "
        "months just over and the last 30 days."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--month", help="Only this calendar month, written YYYY-MM."
        )

    def handle(self, *args: object, **options: object) -> None:
        month = options["month"]
        if month:
            period = month_of(parse_month(str(month)))
            taken = services.take_snapshots(period, PeriodKind.MONTH)
        else:
            today = timezone.localdate()
            taken = services.take_monthly_snapshots(today)
            taken += services.take_snapshots(
                rolling_until(today), PeriodKind.ROLLING_30
            )
        self.stdout.write(f"Took {taken} snapshots.")


def parse_month(text: str) -> date:
    try:
        return date.fromisoformat(f"{text}-01")
    except ValueError as error:
        raise CommandError(f"Write the month as YYYY-MM, not {text!r}.") from error
