"""Everything a volunteer or their office changes; views and the sync API call these.

Each function checks who acts and where, owns its transaction, and raises
``Refused`` with a code the tablet understands and a translated message.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from appeals.models import Appeal, Category, Channel, Notify, Rating
from appeals.services import feedback, filing
from commons.accounts.models import Role, User
from commons.regions.models import Level, Region
from commons.registry.access import VOLUNTEER_FIELDS
from commons.registry.models import Purpose, Resident
from commons.registry.services import (
    NewResident,
    find_by_id_number,
    read_record,
    register_resident,
)
from intermediaries.models import (
    AssistedAppeal,
    Consent,
    ConsentMethod,
    Intermediary,
    VolunteerStatus,
)
from intermediaries.ratelimit import spend_lookup
from intermediaries.signatures import BadSignature, check_signature
from intermediaries.tokens import resident_token

logger = logging.getLogger(__name__)

# Several people of one household may share a phone; more matches than this
# means the number is not a good way to find one person.
MAX_PHONE_MATCHES = 5
# A filing queued offline may wait for days in a valley without a network;
# consent older than this is taken again rather than trusted.
CONSENT_MAX_AGE = timedelta(days=30)
# Tablet clocks drift; a consent "from the future" beyond this is refused.
CLOCK_SKEW = timedelta(minutes=10)


class Code:
    NOT_A_VOLUNTEER = "not_a_volunteer"
    NOT_ACTIVE = "not_active"
    SUSPENDED = "suspended"
    OUTSIDE = "outside_communities"
    TOO_MANY_LOOKUPS = "too_many_lookups"
    UNKNOWN_RESIDENT = "unknown_resident"
    REGISTERED_ELSEWHERE = "registered_elsewhere"
    NO_CONSENT = "no_consent"
    BAD_CONSENT = "bad_consent"
    NOT_YOURS = "not_yours"
    NOT_ALLOWED = "not_allowed"
    INVALID = "invalid"


class Refused(Exception):
    """Not allowed; ``code`` for machines, the message for the volunteer."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


# Volunteers and their office.


@dataclass
class NewVolunteer:
    username: str
    full_name: str
    phone: str
    password: str
    communities: list[Region] = field(default_factory=list)


def may_manage(staff: User, profile: Intermediary) -> bool:
    return staff.works_for_department and staff.department_id == profile.department_id


def check_communities(staff: User, communities: list[Region]) -> None:
    jurisdiction = staff.department.jurisdiction
    for community in communities:
        if community.level != Level.VILLAGE or not jurisdiction.contains(community):
            raise Refused(
                Code.OUTSIDE,
                _("%(place)s is not a community of your department's area.")
                % {"place": community.name},
            )


def register_volunteer(staff: User, details: NewVolunteer) -> Intermediary:
    """Create the volunteer's account and profile, not yet active."""
    if not staff.works_for_department or not staff.department.is_active:
        raise Refused(Code.NOT_ALLOWED, _("Only department staff register volunteers."))
    check_communities(staff, details.communities)
    user = User(
        username=details.username,
        first_name=details.full_name,
        phone=details.phone or None,
        role=Role.INTERMEDIARY,
    )
    validate_password(details.password, user)
    user.set_password(details.password)

    try:
        with transaction.atomic():
            user.save(force_insert=True)
            profile = Intermediary.objects.create(
                user=user, department=staff.department, registered_by=staff
            )
            profile.communities.set(details.communities)
    except IntegrityError:
        raise Refused(
            Code.INVALID,
            _("This user name or phone number belongs to another account."),
        ) from None
    logger.info("Volunteer %s registered by account %s", profile.pk, staff.pk)
    return profile


def managed_profile(staff: User, profile_id: int) -> Intermediary:
    profile = (
        Intermediary.objects.select_for_update()
        .select_related("user")
        .get(pk=profile_id)
    )
    if not may_manage(staff, profile):
        raise Refused(
            Code.NOT_ALLOWED, _("This volunteer is managed by another department.")
        )
    return profile


def assign_communities(
    staff: User, profile_id: int, communities: list[Region]
) -> Intermediary:
    with transaction.atomic():
        profile = managed_profile(staff, profile_id)
        check_communities(staff, communities)
        profile.communities.set(communities)
    logger.info("Volunteer %s now serves %s communities", profile.pk, len(communities))
    return profile


def set_status(
    staff: User, profile_id: int, status: str, note: str = ""
) -> Intermediary:
    with transaction.atomic():
        profile = managed_profile(staff, profile_id)
        if status == VolunteerStatus.ACTIVE and not profile.communities.exists():
            raise Refused(
                Code.NOT_ALLOWED,
                _("Assign at least one community before activating the volunteer."),
            )
        profile.status = status
        profile.status_note = note.strip()[:200]
        profile.status_changed_at = timezone.now()
        profile.save(update_fields=["status", "status_note", "status_changed_at"])
    logger.info("Volunteer %s is now %s", profile.pk, status)
    return profile


def activate(staff: User, profile_id: int) -> Intermediary:
    return set_status(staff, profile_id, VolunteerStatus.ACTIVE)


def suspend(staff: User, profile_id: int, reason: str = "") -> Intermediary:
    return set_status(staff, profile_id, VolunteerStatus.SUSPENDED, reason)


# The volunteer's own standing.


def profile_of(user: User) -> Intermediary | None:
    if user.role != Role.INTERMEDIARY:
        return None
    return Intermediary.objects.filter(user=user).first()


def active_profile(user: User) -> Intermediary:
    """The volunteer's profile, refusing anyone who may not work today."""
    profile = profile_of(user)
    if profile is None:
        raise Refused(
            Code.NOT_A_VOLUNTEER,
            _("Your account is not set up as a community volunteer."),
        )
    if profile.status == VolunteerStatus.SUSPENDED:
        raise Refused(
            Code.SUSPENDED,
            _(
                "Your authorisation as a volunteer is suspended. Nothing was sent. "
                "Please contact your community office."
            ),
        )
    if profile.status != VolunteerStatus.ACTIVE:
        raise Refused(
            Code.NOT_ACTIVE,
            _("Your community office has not activated your authorisation yet."),
        )
    return profile


def check_serves(profile: Intermediary, region: Region) -> None:
    if not profile.serves(region):
        raise Refused(
            Code.OUTSIDE,
            _("This is outside the communities you serve. Nothing was sent."),
        )


# Finding and registering residents.


@dataclass
class Found:
    resident: Resident
    values: dict[str, Any]
    token: str


def spend(user: User) -> None:
    if not spend_lookup(user.pk):
        logger.warning("Volunteer account %s reached the look-up limit", user.pk)
        raise Refused(
            Code.TOO_MANY_LOOKUPS,
            _("Too many look-ups in a short time. Wait ten minutes and try again."),
        )


def open_resident(user: User, resident: Resident) -> dict[str, Any]:
    """The volunteer's view of the record; the registry writes it to the ledger."""
    active_profile(user)
    return read_record(
        resident, reader=user, purpose=Purpose.SERVICE, fields=sorted(VOLUNTEER_FIELDS)
    )


def find_resident(user: User, *, id_number: str = "", phone: str = "") -> list[Found]:
    """Residents of the volunteer's communities with this ID number or phone.

    A resident living elsewhere is not found, and nothing about them is read.
    Every look-up counts against the volunteer's budget, found or not.
    """
    profile = active_profile(user)
    spend(user)

    if id_number:
        candidates = [find_by_id_number(id_number)]
    else:
        candidates = list(
            Resident.objects.filter(
                phone=phone, home_community__in=profile.communities.all()
            ).order_by("pk")[:MAX_PHONE_MATCHES]
        )
    served = [
        resident
        for resident in candidates
        if resident is not None and profile.serves(resident.home_community)
    ]
    return [
        Found(
            resident, open_resident(user, resident), resident_token(user, resident.pk)
        )
        for resident in served
    ]


def resident_by_id_number(user: User, id_number: str) -> Resident:
    """One resident for a queued filing that names them by ID number."""
    found = find_resident(user, id_number=id_number)
    if not found:
        raise Refused(
            Code.UNKNOWN_RESIDENT,
            _(
                "No resident with this ID number lives in your communities. "
                "Register them first, then send again."
            ),
        )
    return found[0].resident


def register_for(user: User, details: NewResident) -> tuple[Resident, bool]:
    """Register a resident of the volunteer's communities, once.

    The registry's unique hash decides whether the person exists; an existing
    record is returned, never doubled. A person registered in a community the
    volunteer does not serve stays out of sight.
    """
    profile = active_profile(user)
    check_serves(profile, details.home_community)
    spend(user)

    resident, created = register_resident(
        details, actor=user, purpose=Purpose.REGISTRATION
    )
    if not created and not profile.serves(resident.home_community):
        raise Refused(
            Code.REGISTERED_ELSEWHERE,
            _(
                "This person is already registered in another community. "
                "No second record was made; ask the community office to help."
            ),
        )
    return resident, created


# Consent and filing.


@dataclass
class ConsentRecord:
    key: str
    files_on_behalf: bool
    shares_record: bool
    method: str
    consented_at: datetime
    signature_png: bytes = b""
    attestation: str = ""


def check_consent(record: ConsentRecord) -> None:
    if not (record.files_on_behalf and record.shares_record):
        raise Refused(
            Code.NO_CONSENT,
            _(
                "The resident must agree both to the filing and to sharing their "
                "record with the department that answers. Nothing was sent."
            ),
        )
    if record.method == ConsentMethod.SIGNED:
        try:
            check_signature(record.signature_png)
        except BadSignature as problem:
            raise Refused(Code.BAD_CONSENT, str(problem)) from None
    elif record.method == ConsentMethod.SPOKEN:
        if not record.attestation.strip():
            raise Refused(
                Code.BAD_CONSENT,
                _("Write down how the resident gave their consent aloud."),
            )
    else:
        raise Refused(Code.BAD_CONSENT, _("Say how the resident gave their consent."))
    check_consent_time(record.consented_at)


def check_consent_time(consented_at: datetime) -> None:
    now = timezone.now()
    if consented_at > now + CLOCK_SKEW or consented_at < now - CONSENT_MAX_AGE:
        raise Refused(
            Code.BAD_CONSENT,
            _(
                "The consent's date is not plausible: check the tablet's clock, "
                "or take the resident's consent again."
            ),
        )


def record_consent(user: User, resident: Resident, record: ConsentRecord) -> Consent:
    """Store the resident's consent; sending the same consent again stores it once."""
    profile = active_profile(user)
    check_serves(profile, resident.home_community)
    check_consent(record)

    try:
        with transaction.atomic():
            consent = Consent.objects.create(
                key=record.key,
                resident=resident,
                intermediary=profile,
                files_on_behalf=record.files_on_behalf,
                shares_record=record.shares_record,
                method=record.method,
                signature_png=record.signature_png
                if record.method == ConsentMethod.SIGNED
                else b"",
                attestation=record.attestation.strip(),
                consented_at=record.consented_at,
                recorded_at=timezone.now(),
            )
    except IntegrityError:
        consent = Consent.objects.get(key=record.key)
        if consent.intermediary_id != profile.pk or consent.resident_id != resident.pk:
            raise Refused(
                Code.INVALID, _("The form was incomplete. Please send it again.")
            ) from None
    return consent


@dataclass
class AssistedFiling:
    resident: Resident
    consent: ConsentRecord | None
    category: Category
    description: str
    idempotency_key: str
    location: Region | None = None
    notify_by: str = Notify.SMS


def earlier_filing(user: User, key: str) -> Appeal | None:
    return Appeal.objects.filter(idempotency_key=key, filed_by=user).first()


def file_on_behalf(user: User, request: AssistedFiling) -> tuple[Appeal, bool]:
    """Record the consent and file the appeal in one transaction.

    A key sent before returns the appeal it filed, even if the volunteer was
    suspended since: the tablet missed the answer, not the filing.
    """
    earlier = earlier_filing(user, request.idempotency_key)
    if earlier is not None:
        return earlier, False

    profile = active_profile(user)
    check_serves(profile, request.resident.home_community)
    location = request.location or request.resident.home_community
    check_serves(profile, location)
    if request.consent is None:
        raise Refused(
            Code.NO_CONSENT,
            _("Record the resident's consent before filing. Nothing was sent."),
        )

    with transaction.atomic():
        consent = record_consent(user, request.resident, request.consent)
        appeal, created = filing.file_appeal(
            filing.Filing(
                resident=request.resident,
                filed_by=user,
                category=request.category,
                description=request.description,
                location=location,
                idempotency_key=request.idempotency_key,
                channel=Channel.ASSISTED,
                notify_by=request.notify_by,
            )
        )
        if created:
            AssistedAppeal.objects.create(
                appeal=appeal, intermediary=profile, consent=consent
            )
    logger.info(
        "Appeal %s filed by volunteer %s",
        appeal.tracking_number,
        profile.pk,
        extra={"appeal": appeal.tracking_number},
    )
    return appeal, created


# After filing: following, relaying, withdrawing.


def visible_appeals(profile: Intermediary) -> QuerySet[AssistedAppeal]:
    """Appeals this volunteer filed, while the resident's consent stands."""
    return AssistedAppeal.objects.filter(
        intermediary=profile, consent__withdrawn_at__isnull=True
    )


def assisted_appeal_for(user: User, tracking_number: str) -> AssistedAppeal:
    profile = active_profile(user)
    link = (
        visible_appeals(profile)
        .select_related(
            "appeal__category",
            "appeal__department",
            "appeal__location",
            "appeal__resident",
            "consent",
        )
        .filter(appeal__tracking_number=tracking_number)
        .first()
    )
    if link is None:
        raise Refused(Code.NOT_YOURS, _("This is not an appeal you filed."))
    return link


def relay_information(user: User, tracking_number: str, answer: str) -> Appeal:
    link = assisted_appeal_for(user, tracking_number)
    return feedback.provide_info(link.appeal_id, user=user, answer=answer)


def relay_rating(
    user: User, tracking_number: str, score: int, comment: str = ""
) -> Rating:
    """The resident's rating, passed on by the volunteer and marked as relayed."""
    link = assisted_appeal_for(user, tracking_number)
    return feedback.rate(link.appeal_id, user=user, score=score, comment=comment)


def may_withdraw(by: User, resident: Resident, profile: Intermediary) -> bool:
    """The resident, the volunteer at the resident's request, or their office."""
    if resident.account_id is not None and resident.account_id == by.pk:
        return True
    return by.pk == profile.user_id or may_manage(by, profile)


def withdraw_authorisation(
    *, resident: Resident, profile: Intermediary, by: User
) -> int:
    """End every standing consent the resident gave this volunteer.

    The appeals stay the resident's and go on; the volunteer no longer sees
    them, nor files for the resident without a new consent.
    """
    if not may_withdraw(by, resident, profile):
        raise Refused(Code.NOT_ALLOWED, _("You cannot withdraw this authorisation."))
    with transaction.atomic():
        withdrawn = Consent.objects.filter(
            resident=resident, intermediary=profile, withdrawn_at__isnull=True
        ).update(withdrawn_at=timezone.now(), withdrawn_by=by)
        filing.end_filer_access(resident=resident, filed_by=profile.user)
    logger.info(
        "%s consents of resident record %s withdrawn from volunteer %s",
        withdrawn,
        resident.pk,
        profile.pk,
    )
    return withdrawn
