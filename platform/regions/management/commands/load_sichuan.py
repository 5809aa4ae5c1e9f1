from django.core.management.base import BaseCommand

from commons.regions.departments import seed_departments
from commons.regions.loading import load_sichuan


class Command(BaseCommand):
    help = (
        "Load or refresh Sichuan's administrative divisions and create the "
        "standard departments of each level (idempotent)."
    )

    def handle(self, *args: object, **options: object) -> None:
        report = load_sichuan()
        self.stdout.write(
            f"Regions: {report.created} created, {report.updated} updated, "
            f"{report.unchanged} unchanged."
        )
        self.stdout.write(f"Departments: {seed_departments()} created.")
