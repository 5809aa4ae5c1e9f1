from celery import shared_task

from commons.accounts import services


@shared_task
def purge_expired_codes() -> int:
    return services.purge_expired_codes()
