"""Filing an appeal: the web form, the API and the volunteers' tablets all end here."""

import logging
import secrets
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appeals.models import Appeal, AppealPhoto, Category, Channel, EventKind, Notify
from appeals.photos import check_photos, cleaned_copy
from appeals.services import timeline
from commons.accounts.models import User
from commons.regions.models import Level, Region
from commons.registry.models import Resident

logger = logging.getLogger(__name__)

# Letters and digits that cannot be misread for one another over the phone.
TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
MAX_DESCRIPTION = 2000


@dataclass
class Filing:
    resident: Resident
    filed_by: User
    category: Category
    description: str
    location: Region
    idempotency_key: str
    channel: str = Channel.WEB
    notify_by: str = Notify.SMS
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    photos: list[UploadedFile] = field(default_factory=list)


def tracking_number() -> str:
    suffix = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(6))
    return f"SC{timezone.localdate():%y%m%d}{suffix}"


def check_filing(filing: Filing) -> None:
    """Raise a translated ValidationError; nothing has been stored yet."""
    if not filing.idempotency_key or len(filing.idempotency_key) > 64:
        raise ValidationError(_("The form was incomplete. Please send it again."))
    if not filing.category.is_active:
        raise ValidationError(_("Choose one of the listed categories."))
    if not filing.description.strip():
        raise ValidationError(_("Describe what you need."))
    if len(filing.description) > MAX_DESCRIPTION:
        raise ValidationError(
            _("Keep the description under %(count)s characters.")
            % {"count": MAX_DESCRIPTION}
        )
    if filing.location.level < Level.VILLAGE:
        raise ValidationError(_("Choose a community, village or grid."))
    check_photos(filing.photos)


def file_appeal(filing: Filing) -> tuple[Appeal, bool]:
    """Store the appeal and queue its routing; a repeated key returns the first.

    Returns the appeal and whether it was created now.
    """
    earlier = existing_for_key(filing)
    if earlier is not None:
        return earlier, False
    check_filing(filing)
    cleaned = [cleaned_copy(upload) for upload in filing.photos]

    try:
        with transaction.atomic():
            appeal = create(filing)
            for content, width, height in cleaned:
                AppealPhoto.objects.create(
                    appeal=appeal, image=content, width=width, height=height
                )
            timeline.record(appeal, EventKind.FILED, actor=filing.filed_by)
            transaction.on_commit(lambda: enqueue_routing(appeal.pk))
    except IntegrityError:
        # The same key arrived twice at once: the other request stored it.
        earlier = existing_for_key(filing)
        if earlier is None:
            raise
        return earlier, False

    logger.info(
        "Appeal %s filed through %s",
        appeal.tracking_number,
        appeal.channel,
        extra={"appeal": appeal.tracking_number},
    )
    return appeal, True


def existing_for_key(filing: Filing) -> Appeal | None:
    appeal = Appeal.objects.filter(idempotency_key=filing.idempotency_key).first()
    if appeal is not None and appeal.filed_by_id != filing.filed_by.pk:
        raise ValidationError(_("The form was incomplete. Please send it again."))
    return appeal


def create(filing: Filing) -> Appeal:
    return Appeal.objects.create(
        tracking_number=tracking_number(),
        idempotency_key=filing.idempotency_key,
        resident=filing.resident,
        filed_by=filing.filed_by,
        channel=filing.channel,
        category=filing.category,
        description=filing.description.strip(),
        location=filing.location,
        latitude=filing.latitude,
        longitude=filing.longitude,
        notify_by=filing.notify_by,
    )


def end_filer_access(*, resident: Resident, filed_by: User) -> int:
    """The resident withdrew what ``filed_by`` may do for them.

    Their appeals go on; the filer no longer follows, rates or sees them.
    Returns how many appeals were affected.
    """
    return Appeal.objects.filter(
        resident=resident,
        filed_by=filed_by,
        filer_access_ended_at__isnull=True,
    ).update(filer_access_ended_at=timezone.now())


def enqueue_routing(appeal_id: int) -> None:
    """Hand the appeal to the routing worker; never fail the filing over it.

    If the broker is down the appeal stays submitted, and the periodic sweep
    enqueues it again: nothing filed is left unrouted.
    """
    # Imported here: the tasks module imports the services.
    from appeals.tasks import route_appeal_task

    try:
        route_appeal_task.apply_async(args=[appeal_id], retry=False)
    except Exception:
        logger.warning(
            "Could not enqueue routing of appeal %s; the sweep will retry",
            appeal_id,
            exc_info=True,
        )
