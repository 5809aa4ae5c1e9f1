"""Forms of the resident's side: filing, answering, rating and tracking.

The forms check what a person typed; the services decide what is allowed and
raise the messages the pages show.
"""

import re
import uuid
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from appeals.models import Category, Channel, Notify
from appeals.services.filing import MAX_DESCRIPTION, Filing
from commons.accounts.models import User
from commons.regions.models import Level, Region
from commons.registry.models import Resident

SICHUAN_TREE_CODE = "51"
LOCATION_LEVELS = (Level.VILLAGE, Level.GRID)
# The precision the Appeal model stores: about 10 cm, far finer than a phone.
COORDINATE_STEP = Decimal("0.000001")
KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
INCOMPLETE = _("The form was incomplete. Please send it again.")


def new_idempotency_key() -> str:
    return uuid.uuid4().hex


def region_for_code(code: str) -> Region:
    """The Sichuan village, community or grid with this official code."""
    region = Region.objects.filter(code=code.strip()).first()
    if region is None or not region.tree_code.startswith(SICHUAN_TREE_CODE):
        raise ValidationError(_("Choose a place from the lists."))
    if region.level not in LOCATION_LEVELS:
        raise ValidationError(_("Choose a community, village or grid."))
    return region


def active_category(code: str) -> Category:
    category = Category.objects.filter(code=code, is_active=True).first()
    if category is None:
        raise ValidationError(_("Choose one of the listed categories."))
    return category


def check_coordinates(latitude: Decimal | None, longitude: Decimal | None) -> None:
    """Both or neither: half a position is no position."""
    if (latitude is None) != (longitude is None):
        raise ValidationError(
            _(
                "Your position could not be read. Press “Use my location” again, "
                "or send the appeal without it."
            )
        )


class CategoryChoiceField(forms.ModelChoiceField):
    """Each choice shows the category's name and its short help, translated."""

    def label_from_instance(self, category: Category) -> SafeString:
        return format_html(
            '<span class="choice-name">{}</span><span class="choice-help">{}</span>',
            category.name,
            category.help_text,
        )


class CoordinateField(forms.DecimalField):
    """A coordinate from the phone, rounded to what the model stores."""

    widget = forms.HiddenInput

    def __init__(self, *, limit: int) -> None:
        super().__init__(required=False, min_value=-limit, max_value=limit)

    def clean(self, value: object) -> Decimal | None:
        cleaned = super().clean(value)
        return None if cleaned is None else cleaned.quantize(COORDINATE_STEP)


class PhotosInput(forms.FileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several files from one input; the filing service checks each photo."""

    widget = PhotosInput(attrs={"accept": "image/jpeg,image/png,image/webp"})

    def clean(self, data: object, initial: object = None) -> list[UploadedFile]:
        uploads = data if isinstance(data, list | tuple) else [data]
        cleaned = []
        for upload in uploads:
            if upload:
                cleaned.append(super().clean(upload))
        return cleaned


class FilingForm(forms.Form):
    category = CategoryChoiceField(
        label=_("What is it about?"),
        queryset=Category.objects.filter(is_active=True),
        to_field_name="code",
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("Choose one of the listed categories.")},
    )
    description = forms.CharField(
        label=_("What do you need?"),
        help_text=_("Say what is wrong and where. Plain words are best."),
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Describe what you need.")},
    )
    location = forms.CharField(required=False, widget=forms.HiddenInput)
    latitude = CoordinateField(limit=90)
    longitude = CoordinateField(limit=180)
    photos = PhotosField(
        label=_("Photos (up to five, optional)"),
        help_text=_("Photos of the problem help the office understand it."),
        required=False,
    )
    notify_by = forms.ChoiceField(
        label=_("How should we tell you of progress?"),
        choices=Notify.choices,
        initial=Notify.SMS,
        widget=forms.RadioSelect,
    )
    idempotency_key = forms.CharField(
        required=False, widget=forms.HiddenInput, initial=new_idempotency_key
    )

    def clean_location(self) -> Region | None:
        code = self.cleaned_data["location"].strip()
        return region_for_code(code) if code else None

    def clean_idempotency_key(self) -> str:
        key = self.cleaned_data["idempotency_key"]
        if not KEY_PATTERN.match(key):
            raise ValidationError(INCOMPLETE)
        return key

    def clean(self) -> dict[str, Any]:
        super().clean()
        try:
            check_coordinates(
                self.cleaned_data.get("latitude"), self.cleaned_data.get("longitude")
            )
        except ValidationError as error:
            self.add_error(None, error)
        return self.cleaned_data

    def key_for_next_post(self) -> str:
        """The key the page sends next time: the same one, while it is sound.

        Resending the same key after an error is safe, since nothing was
        stored; a missing or mangled key is replaced so the resident is not
        stuck with it.
        """
        posted = self.data.get("idempotency_key", "") if self.is_bound else ""
        return posted if KEY_PATTERN.match(posted) else new_idempotency_key()

    def filing(self, *, resident: Resident, user: User) -> Filing:
        data = self.cleaned_data
        return Filing(
            resident=resident,
            filed_by=user,
            category=data["category"],
            description=data["description"],
            location=data["location"] or resident.home_community,
            idempotency_key=data["idempotency_key"],
            channel=Channel.WEB,
            notify_by=data["notify_by"],
            latitude=data["latitude"],
            longitude=data["longitude"],
            photos=data["photos"],
        )


class InformationForm(forms.Form):
    # Emptiness is left to the service, whose message says what is missing.
    answer = forms.CharField(
        label=_("Your answer to the office"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


SCORES = [
    (1, _("1 – very poor")),
    (2, _("2 – poor")),
    (3, _("3 – acceptable")),
    (4, _("4 – good")),
    (5, _("5 – very good")),
]


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("How well was your appeal answered?"),
        choices=SCORES,
        coerce=int,
        required=False,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Anything to add? (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("What is still wrong?"),
        required=False,
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


def digits_only(value: str) -> str:
    return "".join(character for character in value if character.isdigit())


class TrackForm(forms.Form):
    tracking_number = forms.CharField(
        label=_("Tracking number"),
        max_length=30,
        help_text=_("It starts with SC, for example SC250301ABC234."),
        widget=forms.TextInput(
            attrs={"autocapitalize": "characters", "autocomplete": "off"}
        ),
    )
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=20,
        help_text=_("The phone number of the person the appeal is for."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )

    def clean_tracking_number(self) -> str:
        value = self.cleaned_data["tracking_number"]
        return "".join(value.split()).upper()

    def clean_phone(self) -> str:
        phone = digits_only(self.cleaned_data["phone"])
        # Numbers written with China's country code still match the record.
        if len(phone) == 13 and phone.startswith("86"):
            phone = phone[2:]
        if len(phone) != 11:
            raise ValidationError(_("Enter an 11-digit mobile number."))
        return phone
