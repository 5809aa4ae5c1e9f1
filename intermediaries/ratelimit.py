"""A budget of registry look-ups per volunteer, so a lost tablet cannot walk it.

Twenty look-ups in ten minutes is more than a volunteer helping residents one
by one ever needs, and far too few to list a community.
"""

from django.core.cache import cache

LOOKUP_LIMIT = 20
LOOKUP_WINDOW_SECONDS = 10 * 60


def cache_key(user_id: int) -> str:
    return f"intermediaries:lookups:{user_id}"


def spend_lookup(user_id: int) -> bool:
    """Count one look-up; False once the window's budget is spent."""
    key = cache_key(user_id)
    # add() only starts the window; incr() is atomic in Redis and locmem.
    cache.add(key, 0, LOOKUP_WINDOW_SECONDS)
    try:
        spent = cache.incr(key)
    except ValueError:
        # The window ended between the two calls.
        cache.set(key, 1, LOOKUP_WINDOW_SECONDS)
        spent = 1
    return spent <= LOOKUP_LIMIT
