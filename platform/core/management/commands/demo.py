"""Set up and serve the whole platform with invented people, in one command."""

import shutil

from asgiref.local import Local
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.utils.module_loading import import_string
from django.utils.translation import trans_real

from commons.core.demo import seed_people
from commons.core.scheduler import InProcessScheduler
from commons.regions.departments import seed_departments
from commons.regions.loading import load_sichuan


class Command(BaseCommand):
    help = (
        "Migrate, load Sichuan, seed demo people and serve the platform with "
        "its periodic jobs running in-process."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument(
            "--no-serve", action="store_true", help="Set up the data, then stop."
        )

    def handle(self, *args: object, **options) -> None:
        self.prepare()
        credentials = seed_people()
        for seeder in settings.DEMO_SEEDERS:
            import_string(seeder)()
        self.print_credentials(credentials)
        if options["no_serve"]:
            return

        scheduler = InProcessScheduler()
        scheduler.start()
        try:
            call_command("runserver", options["addrport"], use_reloader=False)
        finally:
            scheduler.stop()

    def prepare(self) -> None:
        if shutil.which("msgfmt"):
            call_command(
                "compilemessages", ignore_patterns=[".venv", "var"], verbosity=0
            )
            forget_loaded_catalogues()
        else:
            self.stderr.write("msgfmt not found: install gettext for translations.")
        call_command("migrate", interactive=False, verbosity=0)
        report = load_sichuan()
        self.stdout.write(f"Regions: {report.created} new, {report.updated} updated.")
        self.stdout.write(f"Departments: {seed_departments()} new.")

    def print_credentials(self, credentials) -> None:
        self.stdout.write("\nDemo accounts (all people are invented):")
        for item in credentials:
            self.stdout.write(
                f"  {item.role:<24} {item.sign_in:<22} {item.secret:<36} {item.where}"
            )
        self.stdout.write("Staff sign in at /accounts/staff/sign-in/,")
        self.stdout.write("residents at /accounts/sign-in/.")


def forget_loaded_catalogues() -> None:
    """Drop catalogues loaded before compilemessages wrote the .mo files.

    On a fresh clone the default language's catalogue is read (and found
    empty) while the command starts; without this, the departments seeded
    next would be named from the untranslated English.
    """
    trans_real._translations = {}
    trans_real._default = None
    trans_real._active = Local()
    trans_real.translation_catalog_exists.cache_clear()
