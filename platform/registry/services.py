"""Every write to the registry, each with its ledger entry in one transaction."""

import logging
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from commons.accounts.models import User
from commons.ledger import services as ledger
from commons.ledger.models import Action
from commons.privacy import keyed_hash
from commons.regions.models import Region
from commons.registry.access import check_access
from commons.registry.identity import birth_date_from, gender_from, normalise_id_number
from commons.registry.models import (
    VULNERABILITY_FLAGS,
    Household,
    Purpose,
    RecordField,
    Resident,
    ResidentRevision,
)

logger = logging.getLogger(__name__)

# Grant field name -> the model attributes it opens.
FIELD_ATTRIBUTES: dict[str, list[str]] = {
    name: [name] for name in RecordField.values if name != RecordField.VULNERABILITY
}
FIELD_ATTRIBUTES["vulnerability"] = ["birth_date", *VULNERABILITY_FLAGS]
ATTRIBUTE_FIELD = {
    attribute: name
    for name, attributes in FIELD_ATTRIBUTES.items()
    for attribute in attributes
    if name != "vulnerability" or attribute != "birth_date"
}


class StaleRecord(Exception):
    """The record changed since the person editing it loaded it."""


@dataclass
class NewResident:
    full_name: str
    id_number: str
    home_community: Region
    phone: str = ""
    birth_date: date | None = None
    gender: str = ""
    ethnicity: str = ""
    preferred_language: str = "zh-hans"
    household: Household | None = None
    lives_alone: bool = False
    has_disability: bool = False
    low_income: bool = False
    low_digital_literacy: bool = False
    accessibility_needs: str = ""
    account: User | None = None


def find_by_id_number(raw_id_number: str) -> Resident | None:
    number = normalise_id_number(raw_id_number)
    return Resident.objects.filter(id_number_hash=keyed_hash(number)).first()


def register_resident(
    details: NewResident, *, actor: User | None, purpose: str = Purpose.REGISTRATION
) -> tuple[Resident, bool]:
    """Create the person's record, or return the one that already exists.

    The unique hash decides, not a look-up before the insert: two offices
    registering the same person at the same moment still make one record.
    """
    number = normalise_id_number(details.id_number)
    resident = Resident(
        full_name=details.full_name.strip(),
        id_number_hash=keyed_hash(number),
        id_number_last4=number[-4:],
        phone=details.phone,
        birth_date=details.birth_date or birth_date_from(number),
        gender=details.gender or gender_from(number),
        ethnicity=details.ethnicity,
        preferred_language=details.preferred_language,
        home_community=details.home_community,
        household=details.household,
        lives_alone=details.lives_alone,
        has_disability=details.has_disability,
        low_income=details.low_income,
        low_digital_literacy=details.low_digital_literacy,
        accessibility_needs=details.accessibility_needs,
        account=details.account,
    )
    try:
        with transaction.atomic():
            resident.save(force_insert=True)
            ledger.append(
                resident_id=resident.pk,
                actor=actor,
                department=department_of(actor),
                action=Action.CREATE,
                fields=RecordField.values,
                purpose=purpose,
            )
    except IntegrityError:
        existing = Resident.objects.get(id_number_hash=resident.id_number_hash)
        logger.info("Registration found existing resident record %s", existing.pk)
        return existing, False

    logger.info("Resident record %s registered", resident.pk)
    return resident, True


def department_of(user: User | None):
    return user.department if user is not None and user.works_for_department else None


def read_record(
    resident: Resident, *, reader: User, purpose: str, fields: list[str]
) -> dict[str, Any]:
    """Return the requested fields, refusing any the reader has no grant for."""
    wanted = set(fields)
    check_access(reader, resident, purpose, wanted)

    with transaction.atomic():
        # Read the stored row, not the caller's copy: a change made a moment
        # ago by another office is what this reader must see.
        current = Resident.objects.select_related("home_community").get(pk=resident.pk)
        ledger.append(
            resident_id=current.pk,
            actor=reader,
            department=department_of(reader),
            action=Action.READ,
            fields=wanted,
            purpose=purpose,
        )
    return {name: field_value(current, name) for name in sorted(wanted)}


def field_value(resident: Resident, name: str) -> Any:
    if name == RecordField.VULNERABILITY:
        values = {flag: getattr(resident, flag) for flag in VULNERABILITY_FLAGS}
        return {"elderly": resident.is_elderly, **values}
    if name == RecordField.COMMUNITY:
        return resident.home_community
    return getattr(resident, name)


def change_record(
    resident: Resident,
    *,
    actor: User,
    purpose: str,
    changes: dict[str, Any],
    expected_version: int | None = None,
) -> Resident:
    """Apply changes once; every department reads the new values next.

    ``expected_version`` is the version the editor saw: a form submitted
    after someone else's change is refused instead of overwriting it.
    """
    touched = {ATTRIBUTE_FIELD[attribute] for attribute in changes}
    check_access(actor, resident, purpose, touched, change=True)

    with transaction.atomic():
        current = Resident.objects.select_for_update().get(pk=resident.pk)
        if expected_version is not None and current.version != expected_version:
            raise StaleRecord
        before = {name: getattr(current, name) for name in changes}
        altered = {
            name: value for name, value in changes.items() if before[name] != value
        }
        if not altered:
            return current

        for name, value in altered.items():
            setattr(current, name, value)
        current.version += 1
        current.updated_at = timezone.now()
        current.save(update_fields=[*altered, "version", "updated_at"])
        ResidentRevision.objects.create(
            resident=current,
            version=current.version,
            changes={
                name: [revision_value(before[name]), revision_value(value)]
                for name, value in altered.items()
            },
            changed_by=actor,
            department=department_of(actor),
            purpose=purpose,
        )
        ledger.append(
            resident_id=current.pk,
            actor=actor,
            department=department_of(actor),
            action=Action.CHANGE,
            fields={ATTRIBUTE_FIELD[name] for name in altered},
            purpose=purpose,
        )

    logger.info("Resident record %s changed to version %s", current.pk, current.version)
    return current


def revision_value(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    return value


def attach_account(user: User) -> Resident | None:
    """Find the signed-in resident's record, linking it by phone the first time.

    Several members of a household may share one phone; then the record is
    not guessed, and the community office links the right one.
    """
    linked = Resident.objects.filter(account=user).first()
    if linked is not None:
        return linked

    candidates = list(
        Resident.objects.filter(phone=user.phone, account__isnull=True)[:2]
    )
    if len(candidates) != 1:
        return None
    record = candidates[0]
    with transaction.atomic():
        Resident.objects.filter(pk=record.pk, account__isnull=True).update(account=user)
        ledger.append(
            resident_id=record.pk,
            actor=user,
            department=None,
            action=Action.CHANGE,
            fields=[],
            purpose=Purpose.SELF,
            detail="sign-in account linked",
        )
    record.account = user
    logger.info("Resident record %s linked to account %s", record.pk, user.pk)
    return record


def system_read(
    resident: Resident, *, fields: list[str], purpose: str, detail: str
) -> dict[str, Any]:
    """A read by the platform itself (routing an appeal), ledgered like any other.

    No person reads here, so no grant applies; ``detail`` tells the resident
    what the platform used the fields for.
    """
    with transaction.atomic():
        current = Resident.objects.get(pk=resident.pk)
        ledger.append(
            resident_id=current.pk,
            actor=None,
            department=None,
            action=Action.READ,
            fields=fields,
            purpose=purpose,
            detail=detail,
        )
    return {name: field_value(current, name) for name in sorted(fields)}
