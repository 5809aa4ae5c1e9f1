"""Demo profiles for the two invented volunteers of the platform's demo data."""

from django.db import transaction

from commons.accounts.models import User
from commons.regions.models import Department, Region
from intermediaries.models import Intermediary, VolunteerStatus

# username, community served, the county bureau that manages them
DEMO_VOLUNTEERS = [
    ("volunteer-xichang", "513401001003", "civil-affairs-513401"),
    ("volunteer-kangding", "513301001001", "civil-affairs-513301"),
]


def seed_demo() -> None:
    """Give each demo volunteer an active profile; leave an admin's edits alone."""
    with transaction.atomic():
        for username, community_code, department_code in DEMO_VOLUNTEERS:
            user = User.objects.filter(username=username).first()
            if user is None:
                continue
            profile, created = Intermediary.objects.get_or_create(
                user=user,
                defaults={
                    "department": Department.objects.get(code=department_code),
                    "status": VolunteerStatus.ACTIVE,
                },
            )
            if created:
                profile.communities.set([Region.objects.get(code=community_code)])
