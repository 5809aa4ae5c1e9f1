"""Checking and cleaning photos before anything is stored.

Only real images of the allowed types pass, and each is re-encoded from its
pixels alone, so location and camera metadata never reach the disk.
"""

import io
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PHOTOS = 5
MAX_BYTES = 8 * 1024 * 1024  # a phone camera's JPEG is 2-6 MB
MAX_PIXELS = 40_000_000  # refuses decompression bombs well above any phone camera
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


def check_photos(files: list[UploadedFile]) -> None:
    """Raise a translated ValidationError for the first bad photo."""
    if len(files) > MAX_PHOTOS:
        raise ValidationError(
            _("You can attach at most %(count)s photos.") % {"count": MAX_PHOTOS}
        )
    for upload in files:
        check_photo(upload)


def check_photo(upload: UploadedFile) -> None:
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("The photo %(name)s is larger than %(size)s MB.")
            % {"name": upload.name, "size": MAX_BYTES // (1024 * 1024)}
        )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            kind = image.format
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(
                    _("The photo %(name)s is too large.") % {"name": upload.name}
                )
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError(
            _("The file %(name)s is not a photo we can read.") % {"name": upload.name}
        ) from None
    if kind not in FORMATS:
        raise ValidationError(
            _("Send photos as JPEG, PNG or WebP; %(name)s is not one of them.")
            % {"name": upload.name}
        )


def cleaned_copy(upload: UploadedFile) -> tuple[ContentFile, int, int]:
    """The photo's pixels, upright, with no metadata; and its size."""
    upload.seek(0)
    with Image.open(upload) as image:
        kind = image.format
        upright = ImageOps.exif_transpose(image)
        if upright.mode not in ("RGB", "RGBA", "L"):
            upright = upright.convert("RGB")
        pixels = Image.new(upright.mode, upright.size)
        pixels.paste(upright)
    buffer = io.BytesIO()
    options = {"quality": 85} if kind in ("JPEG", "WEBP") else {}
    if kind == "JPEG" and pixels.mode == "RGBA":
        pixels = pixels.convert("RGB")
    pixels.save(buffer, format=kind, **options)
    name = f"{uuid.uuid4().hex}.{FORMATS[kind]}"
    return ContentFile(buffer.getvalue(), name=name), pixels.width, pixels.height
