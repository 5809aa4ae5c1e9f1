"""Links to a resident's page that only the volunteer who found them can use.

A volunteer reaches a resident through a rate-limited look-up, never by a
record number in the address: the link is signed for that volunteer, so
changing a digit in it, or using a colleague's link, opens nothing.
"""

from datetime import timedelta

from django.core import signing

from commons.accounts.models import User

# A queued offline filing carries the link; a week covers a volunteer who
# works several days in villages without a network before syncing.
TOKEN_MAX_AGE = timedelta(days=7)


def salt_for(user: User) -> str:
    return f"intermediaries.resident.{user.pk}"


def resident_token(user: User, resident_id: int) -> str:
    return signing.dumps(resident_id, salt=salt_for(user))


def resident_id_from(user: User, token: str) -> int | None:
    try:
        value = signing.loads(token, salt=salt_for(user), max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None
