from celery import shared_task

from commons.ledger.services import verify_and_log


@shared_task
def verify_ledger_chain() -> bool:
    return verify_and_log().intact
