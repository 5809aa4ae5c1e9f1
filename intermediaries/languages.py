"""Speaking the resident's language for a while, then the volunteer's own again."""

from django.utils.translation import get_language_info

# The session remembers the volunteer's language while the screen speaks the
# resident's; without it, the screen is in the volunteer's own.
OWN_LANGUAGE_KEY = "volunteer_own_language"


def language_name(code: str) -> str:
    """The language's name in itself, as its speakers recognise it."""
    try:
        return get_language_info(code)["name_local"]
    except KeyError:
        return code
