from django.core.management.base import BaseCommand, CommandError

from commons.ledger.services import verify_and_log


class Command(BaseCommand):
    help = "Recompute the ledger's hash chain and name the first broken entry."

    def handle(self, *args: object, **options: object) -> None:
        verdict = verify_and_log()
        if not verdict.intact:
            raise CommandError(
                f"Ledger broken at entry {verdict.first_bad_position}: {verdict.reason}"
            )
        self.stdout.write(f"Ledger intact: {verdict.entries_checked} entries checked.")
