from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from metrics import services
from metrics.resources import COLUMNS, ImportRefused


class Command(BaseCommand):
    help = (
        "Import resource records (staff, budget, digital coverage per region and "
        f"period) from a CSV file with the columns {', '.join(COLUMNS)}. Every row "
        "is imported, or none."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="The CSV file, UTF-8.")

    def handle(self, *args: object, **options: object) -> None:
        path: Path = options["path"]
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error}") from error

        try:
            result = services.import_resources(content, source=path.name)
        except ImportRefused as refusal:
            for error in refusal.errors:
                column = f" ({error.column})" if error.column else ""
                self.stderr.write(f"line {error.line}{column}: {error.message}")
            raise CommandError(
                f"{len(refusal.errors)} problems; nothing was imported."
            ) from refusal

        self.stdout.write(
            f"Imported {result.created} new and {result.updated} updated records."
        )
