from django.core.management.base import BaseCommand

from appeals.seeds import seed_categories


class Command(BaseCommand):
    help = (
        "Create the standard appeal categories and their default routing rules "
        "where missing; edits made in the admin are kept."
    )

    def handle(self, *args: object, **options: object) -> None:
        created = seed_categories()
        self.stdout.write(f"Categories: {created} created.")
