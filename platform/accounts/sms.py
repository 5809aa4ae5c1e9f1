"""Pluggable SMS delivery.

A backend is a class with ``send(phone, body)``; settings.SMS_BACKEND names
it. The embedded default keeps messages in the outbox table and writes them
to the log; a production deployment plugs in its gateway's backend.
"""

import logging

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from commons.accounts.models import SmsMessage
from commons.privacy import mask_phone

logger = logging.getLogger(__name__)


class SmsBackend:
    def send(self, phone: str, body: str) -> SmsMessage:
        raise NotImplementedError


class OutboxBackend(SmsBackend):
    """Stores the message and logs it; nothing leaves the machine."""

    def send(self, phone: str, body: str) -> SmsMessage:
        message = SmsMessage.objects.create(
            phone=phone, body=body, backend=type(self).__name__, sent_at=timezone.now()
        )
        logger.info("SMS to %s: %s", mask_phone(phone), body)
        return message


def send_sms(phone: str, body: str) -> SmsMessage:
    backend_class = import_string(settings.SMS_BACKEND)
    return backend_class().send(phone, body)
