"""Helpers that keep personal data out of logs and screens."""

import hashlib
import hmac

from django.conf import settings


def mask_phone(phone: str) -> str:
    """138****5678: enough to tell numbers apart, not enough to call one."""
    if len(phone) < 7:
        return "*" * len(phone)
    return f"{phone[:3]}{'*' * (len(phone) - 7)}{phone[-4:]}"


def keyed_hash(value: str) -> str:
    """A keyed SHA-256 of a normalised identifier, for look-ups by equality."""
    key = settings.REGISTRY_HASH_KEY.encode()
    return hmac.new(key, value.strip().upper().encode(), hashlib.sha256).hexdigest()
