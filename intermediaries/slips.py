"""The paper slip a volunteer leaves with the resident: tracking number and QR code."""

from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.http import HttpRequest
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from appeals.models import Appeal


def tracking_url(request: HttpRequest, appeal: Appeal) -> str:
    """Where a relative with a phone can follow the appeal without an account."""
    query = urlencode({"tracking_number": appeal.tracking_number})
    return request.build_absolute_uri(f"{reverse('appeals:track')}?{query}")


def qr_svg(text: str) -> SafeString:
    """An inline SVG; it prints sharply at any size and needs no image file."""
    image = qrcode.make(
        text,
        image_factory=qrcode.image.svg.SvgPathImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=2,
    )
    # qrcode writes the SVG from its own module matrix: no outside text is
    # interpolated into markup except inside the encoded data.
    return mark_safe(image.to_string(encoding="unicode"))  # noqa: S308
