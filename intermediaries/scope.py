"""The registry's hook: which communities a volunteer serves right now.

Named in the setting REGISTRY_SCOPE_HOOK, so the platform's core asks without
importing this app.
"""

from commons.accounts.models import User
from commons.regions.models import Region
from intermediaries.models import Intermediary, VolunteerStatus


def serves(user: User, community: Region) -> bool:
    """Only an active volunteer serves; a suspended one serves nowhere."""
    profile = Intermediary.objects.filter(
        user=user, status=VolunteerStatus.ACTIVE
    ).first()
    return profile is not None and profile.serves(community)
