"""Who may read or change which fields of a record, and for what purpose."""

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from commons.accounts.models import Role, User
from commons.regions.models import Region
from commons.registry.models import AccessGrant, Purpose, RecordField, Resident

ALL_FIELDS = frozenset(RecordField.values)
# What a resident may change in their own record; the rest needs an office.
SELF_CHANGEABLE = frozenset({"phone", "preferred_language", "accessibility_needs"})
# Community volunteers find a resident and file for them: they need to tell
# people apart and to speak to them, never the rest of the record.
VOLUNTEER_FIELDS = frozenset(
    {"full_name", "id_number_last4", "phone", "home_community", "preferred_language"}
)
VOLUNTEER_PURPOSES = frozenset({Purpose.REGISTRATION, Purpose.SERVICE})


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

    if user.role == Role.INTERMEDIARY:
        check_volunteer_access(user, resident, purpose, fields, change=change)
        return

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


def volunteer_serves(user: User, community: Region) -> bool:
    """Whether a volunteer works in ``community``.

    The setting REGISTRY_SCOPE_HOOK names a function ``(user, community) ->
    bool`` kept by whichever app manages volunteers; without it no volunteer
    serves anywhere, so the registry stays closed to them by default.
    """
    hook_path = getattr(settings, "REGISTRY_SCOPE_HOOK", "")
    if not hook_path:
        return False
    return bool(import_string(hook_path)(user, community))


def check_volunteer_access(
    user: User, resident: Resident, purpose: str, fields: set[str], *, change: bool
) -> None:
    if change or purpose not in VOLUNTEER_PURPOSES or not fields <= VOLUNTEER_FIELDS:
        raise AccessRefused(
            _(
                "Volunteers see only a resident's name, phone, community and "
                "language, to help them file."
            )
        )
    if not user.is_active or not volunteer_serves(user, resident.home_community):
        raise AccessRefused(_("This resident lives outside the communities you serve."))
