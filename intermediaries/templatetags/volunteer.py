"""Tags for the volunteer's pages: switching to the resident's language and back."""

from typing import Any

from django import template
from django.utils.translation import get_language

from intermediaries.languages import OWN_LANGUAGE_KEY, language_name

register = template.Library()


@register.inclusion_tag("intermediaries/language_switch.html", takes_context=True)
def language_switch(context: dict[str, Any], resident_language: str) -> dict[str, Any]:
    """A button to speak the resident's language, when it is not spoken already."""
    request = context["request"]
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "offer": bool(resident_language) and resident_language != get_language(),
        "language": resident_language,
        "language_name": language_name(resident_language) if resident_language else "",
    }


@register.inclusion_tag("intermediaries/language_banner.html", takes_context=True)
def language_banner(context: dict[str, Any]) -> dict[str, Any]:
    """While the screen speaks the resident's language, the way back to one's own."""
    request = context["request"]
    own = request.session.get(OWN_LANGUAGE_KEY, "")
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "own": own,
        "own_name": language_name(own) if own else "",
    }
