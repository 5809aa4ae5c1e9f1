"""Checking a mainland resident identity number (GB 11643)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK_CHARACTERS = "10X98765432"


def check_character(first_17: str) -> str:
    total = sum(
        int(digit) * weight for digit, weight in zip(first_17, WEIGHTS, strict=True)
    )
    return CHECK_CHARACTERS[total % 11]


def normalise_id_number(raw: str) -> str:
    """Return the 18-character number, or raise a translated ValidationError."""
    number = (raw or "").strip().upper().replace(" ", "")
    if len(number) != 18 or not number[:17].isdigit():
        raise ValidationError(
            _("An ID number has 18 characters: 17 digits and a digit or X.")
        )
    if check_character(number[:17]) != number[17]:
        raise ValidationError(
            _("This ID number is not valid. Please check each digit.")
        )
    try:
        birth_date_from(number)
    except ValueError:
        raise ValidationError(
            _("The date of birth in this ID number is not valid.")
        ) from None
    return number


def birth_date_from(number: str) -> date:
    return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def gender_from(number: str) -> str:
    """The 17th digit is odd for men and even for women."""
    return "male" if int(number[16]) % 2 else "female"


def make_id_number(region_code: str, birth: date, serial: int) -> str:
    """Build a valid number; used for invented demo and test residents only."""
    first_17 = f"{region_code[:6]}{birth:%Y%m%d}{serial % 1000:03d}"
    return first_17 + check_character(first_17)
