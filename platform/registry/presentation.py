"""Turning record values into labelled rows in the reader's language."""

from typing import Any

from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from commons.accounts.models import Role
from commons.ledger.models import LedgerEntry
from commons.registry.models import Gender, Purpose, RecordField


def display_rows(values: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (str(RecordField(name).label), display_value(name, value))
        for name, value in values.items()
    ]


def display_value(name: str, value: Any) -> str:
    if value in (None, ""):
        return "—"
    if name == RecordField.ID_NUMBER:
        return f"**************{value}"
    if name == RecordField.BIRTH_DATE:
        return date_format(value, "DATE_FORMAT")
    if name == RecordField.GENDER:
        return str(Gender(value).label)
    if name == RecordField.LANGUAGE:
        return str(dict(settings.LANGUAGES).get(value, value))
    if name == RecordField.VULNERABILITY:
        return vulnerability_text(value)
    return str(value)


def vulnerability_text(flags: dict[str, bool]) -> str:
    labels = {
        "elderly": _("elderly"),
        "lives_alone": _("lives alone"),
        "has_disability": _("has a disability"),
        "low_income": _("low income"),
        "low_digital_literacy": _("needs help with digital services"),
    }
    present = [str(labels[flag]) for flag, on in flags.items() if on]
    return ", ".join(present) if present else _("none recorded")


def ledger_row(entry: LedgerEntry, viewer_id: int) -> dict[str, Any]:
    """One ledger line as the resident reads it."""
    if entry.department_id:
        who = entry.department.name
    elif entry.actor_id == viewer_id:
        who = _("You")
    elif entry.actor_role in Role.values:
        who = str(Role(entry.actor_role).label)
    else:
        who = _("The platform")
    return {
        "created_at": entry.created_at,
        "who": who,
        "action": entry.get_action_display(),
        "fields": [str(RecordField(name).label) for name in entry.fields],
        "purpose": str(Purpose(entry.purpose).label),
    }
