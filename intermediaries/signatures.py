"""Signatures drawn on the tablet's screen, sent as PNG data URLs."""

import base64
import binascii
import io

from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

DATA_URL_PREFIX = "data:image/png;base64,"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
# A hand-drawn signature on a 10-inch screen compresses to a few kilobytes;
# the limit leaves room for a high-density canvas and refuses anything else.
MAX_SIGNATURE_BYTES = 256 * 1024
MAX_SIDE = 4000


class BadSignature(ValueError):
    """Not a usable signature, with a message for the volunteer."""


def decode_data_url(data_url: str) -> bytes:
    """The PNG bytes of a canvas's ``toDataURL()``; empty when nothing was sent."""
    if not data_url:
        return b""
    if not data_url.startswith(DATA_URL_PREFIX):
        raise BadSignature(_("The signature could not be read. Ask for it again."))
    try:
        return base64.b64decode(data_url[len(DATA_URL_PREFIX) :], validate=True)
    except (binascii.Error, ValueError):
        raise BadSignature(
            _("The signature could not be read. Ask for it again.")
        ) from None


def check_signature(png: bytes) -> None:
    """A real PNG of sensible size with at least one stroke on it."""
    if len(png) > MAX_SIGNATURE_BYTES or not png.startswith(PNG_MAGIC):
        raise BadSignature(_("The signature could not be read. Ask for it again."))
    try:
        with Image.open(io.BytesIO(png)) as image:
            image.verify()
        with Image.open(io.BytesIO(png)) as image:
            if max(image.size) > MAX_SIDE:
                raise BadSignature(
                    _("The signature could not be read. Ask for it again.")
                )
            # The pad draws on a transparent canvas: no opaque pixel, no stroke.
            strokes = image.convert("RGBA").getchannel("A").getbbox()
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise BadSignature(
            _("The signature could not be read. Ask for it again.")
        ) from None
    if strokes is None:
        raise BadSignature(_("The signature is empty. Ask the resident to sign."))


def as_data_url(png: bytes) -> str:
    return DATA_URL_PREFIX + base64.b64encode(png).decode("ascii")
