"""Every state change leaves an event; residents hear of the ones that matter."""

from django.db import transaction

from appeals.models import Appeal, AppealEvent
from appeals.notify import tell_resident
from commons.accounts.models import User
from commons.regions.models import Department


def record(
    appeal: Appeal,
    kind: str,
    *,
    actor: User | None = None,
    department: Department | None = None,
    note: str = "",
    tell: bool = True,
) -> AppealEvent:
    event = AppealEvent.objects.create(
        appeal=appeal, kind=kind, actor=actor, department=department, note=note
    )
    if tell:
        # Texts go out only once the change is saved for good.
        transaction.on_commit(lambda: tell_resident(appeal, kind))
    return event
