"""Who may read or change which fields of a record, and for what purpose."""

from django.utils import timezone
from django.utils.translation import gettext as _

from commons.accounts.models import User
from commons.registry.models import AccessGrant, Purpose, RecordField, Resident

ALL_FIELDS = frozenset(RecordField.values)
# What a resident may change in their own record; the rest needs an office.
SELF_CHANGEABLE = frozenset({"phone", "preferred_language", "accessibility_needs"})


class AccessRefused(PermissionError):
    """A read or change outside what the reader is allowed."""


def grants_for(user: User, purpose: str, *, change: bool = False) -> list[AccessGrant]:
    today = timezone.localdate()
    grants = AccessGrant.objects.filter(
        department_id=user.department_id, purpose=purpose
    )
    if change:
        grants = grants.filter(may_change=True)
    return [grant for grant in grants if grant.is_valid_on(today)]


def check_access(
    user: User,
    resident: Resident,
    purpose: str,
    fields: set[str],
    *,
    change: bool = False,
) -> None:
    """Raise AccessRefused unless ``user`` may use ``fields`` for ``purpose``."""
    unknown = fields - ALL_FIELDS
    if unknown:
        raise AccessRefused(
            _("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )

    if resident.account_id is not None and resident.account_id == user.pk:
        allowed = SELF_CHANGEABLE if change else ALL_FIELDS
        if purpose == Purpose.SELF and fields <= allowed:
            return
        raise AccessRefused(
            _("You cannot change these details yourself. Ask your community office.")
        )

    if not user.works_for_department or not user.department.is_active:
        raise AccessRefused(_("Only department staff may open resident records."))
    if not user.department.serves(resident.home_community):
        raise AccessRefused(
            _("This resident lives outside your department's jurisdiction.")
        )

    granted: set[str] = set()
    for grant in grants_for(user, purpose, change=change):
        granted.update(grant.fields)
    missing = fields - granted
    if missing:
        labels = ", ".join(str(RecordField(name).label) for name in sorted(missing))
        message = _(
            "Your department has no grant to use these fields "
            "for this purpose: %(fields)s"
        )
        raise AccessRefused(message % {"fields": labels})
