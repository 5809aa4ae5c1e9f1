"""Telling residents what happened to their appeal, in their language."""

import logging

from django.utils import translation
from django.utils.translation import gettext as _

from appeals.models import Appeal, EventKind, Notification, Notify
from commons.accounts.sms import send_sms

logger = logging.getLogger(__name__)

# The events a resident hears about.
TOLD = {
    EventKind.ROUTED,
    EventKind.LINKED,
    EventKind.INFO_REQUESTED,
    EventKind.RESOLVED,
    EventKind.DECLINED,
    EventKind.TRANSFERRED,
}


def message_for(appeal: Appeal, kind: str) -> str:
    number = appeal.tracking_number
    texts = {
        EventKind.ROUTED: _("Your appeal %(number)s was sent to %(department)s."),
        EventKind.LINKED: _(
            "Your appeal %(number)s joins a case already open; "
            "you will hear its outcome."
        ),
        EventKind.INFO_REQUESTED: _(
            "About your appeal %(number)s, the office needs more information from you."
        ),
        EventKind.RESOLVED: _(
            "Your appeal %(number)s was answered. Please rate the answer."
        ),
        EventKind.DECLINED: _(
            "Your appeal %(number)s cannot be handled here. See the reason."
        ),
        EventKind.TRANSFERRED: _(
            "Your appeal %(number)s was passed to %(department)s."
        ),
    }
    return texts[kind] % {"number": number, "department": appeal.department or ""}


def tell_resident(appeal: Appeal, kind: str) -> None:
    """In-app always (when the resident has an account); SMS if they asked."""
    if kind not in TOLD:
        return
    resident = appeal.resident
    if resident.account_id:
        Notification.objects.create(
            recipient_id=resident.account_id, appeal=appeal, kind=kind
        )
    if appeal.notify_by == Notify.SMS and resident.phone:
        with translation.override(resident.preferred_language):
            send_sms(resident.phone, message_for(appeal, kind))
    logger.info("Resident told of %s on appeal %s", kind, appeal.tracking_number)
