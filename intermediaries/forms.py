"""The volunteer's forms and the office's; the services check what matters."""

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from appeals.forms import KEY_PATTERN, SCORES, CategoryChoiceField
from appeals.models import Category, Notify
from appeals.services.filing import MAX_DESCRIPTION
from commons.regions.models import Level, Region
from commons.registry.forms import IdNumberInput, RegisterForm
from commons.registry.identity import normalise_id_number
from intermediaries.models import ConsentMethod, Intermediary
from intermediaries.services import ConsentRecord
from intermediaries.signatures import BadSignature, decode_data_url

INCOMPLETE = _("The form was incomplete. Please send it again.")


def new_key() -> str:
    return uuid.uuid4().hex


def mobile_number(raw: str) -> str:
    digits = "".join(character for character in raw if character.isdigit())
    # Numbers written with China's country code still match the record.
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    if len(digits) != 11:
        raise ValidationError(_("Enter an 11-digit mobile number."))
    return digits


class FindForm(forms.Form):
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=18,
        required=False,
        widget=IdNumberInput(attrs={"autocomplete": "off", "autocapitalize": "off"}),
    )
    phone = forms.CharField(
        label=_("or phone number"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )

    def clean_id_number(self) -> str:
        raw = self.cleaned_data["id_number"].strip()
        return normalise_id_number(raw) if raw else ""

    def clean_phone(self) -> str:
        raw = self.cleaned_data["phone"].strip()
        return mobile_number(raw) if raw else ""

    def clean(self) -> dict:
        cleaned = super().clean()
        given = [name for name in ("id_number", "phone") if cleaned.get(name)]
        if len(given) != 1 and not self.errors:
            raise ValidationError(_("Enter the ID number or the phone number."))
        return cleaned


class ResidentForm(RegisterForm):
    """The registry's own registration form, limited to the volunteer's communities."""

    def __init__(self, *args, profile: Intermediary, **kwargs) -> None:
        super().__init__(*args, jurisdiction=profile.department.jurisdiction, **kwargs)
        self.fields["home_community"].queryset = profile.communities.order_by(
            "tree_code"
        )


def places_for(profile: Intermediary) -> QuerySet[Region]:
    """The communities served and the grids directly below them."""
    served = profile.communities.values("pk")
    return Region.objects.filter(
        Q(pk__in=served) | Q(parent__in=served, level=Level.GRID)
    ).order_by("tree_code")


class PlaceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, region: Region) -> str:
        return f"— {region.name}" if region.level == Level.GRID else region.name


class AssistedFilingForm(forms.Form):
    """Consent first, then the appeal: the page reads top to bottom."""

    resident = forms.CharField(required=False, widget=forms.HiddenInput)
    id_number = forms.CharField(
        required=False,
        max_length=18,
        label=_("The resident's ID number"),
        widget=IdNumberInput(attrs={"autocomplete": "off"}),
    )
    files_on_behalf = forms.BooleanField(
        required=False,
        label=_("I agree that this volunteer files this appeal for me."),
    )
    shares_record = forms.BooleanField(
        required=False,
        label=_(
            "I agree that my name, phone number and community are shared with the "
            "department that answers."
        ),
    )
    method = forms.ChoiceField(
        label=_("How did the resident agree?"),
        choices=ConsentMethod.choices,
        initial=ConsentMethod.SIGNED,
        widget=forms.RadioSelect,
    )
    signature = forms.CharField(required=False, widget=forms.HiddenInput)
    attestation = forms.CharField(
        label=_("Your attestation"),
        help_text=_(
            "For spoken consent: in which language you read the text out, and who "
            "else was present."
        ),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    consent_key = forms.CharField(widget=forms.HiddenInput, initial=new_key)
    category = CategoryChoiceField(
        label=_("What is it about?"),
        queryset=Category.objects.filter(is_active=True),
        to_field_name="code",
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("Choose one of the listed categories.")},
    )
    description = forms.CharField(
        label=_("What does the resident need?"),
        help_text=_("Write it in their words: what is wrong and where."),
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Describe what the resident needs.")},
    )
    location = PlaceChoiceField(
        label=_("Where is it?"),
        queryset=Region.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("The resident's home community"),
    )
    notify_by = forms.ChoiceField(
        label=_("How should the resident be told of progress?"),
        choices=Notify.choices,
        initial=Notify.SMS,
        widget=forms.RadioSelect,
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, initial=new_key)

    def __init__(self, *args, profile: Intermediary, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = places_for(profile)

    def clean_id_number(self) -> str:
        raw = self.cleaned_data["id_number"].strip()
        return normalise_id_number(raw) if raw else ""

    def clean_signature(self) -> bytes:
        try:
            return decode_data_url(self.cleaned_data["signature"])
        except BadSignature as problem:
            raise ValidationError(str(problem)) from None

    def clean_idempotency_key(self) -> str:
        key = self.cleaned_data["idempotency_key"]
        if not KEY_PATTERN.match(key):
            raise ValidationError(INCOMPLETE)
        return key

    def clean_consent_key(self) -> str:
        key = self.cleaned_data["consent_key"]
        if not KEY_PATTERN.match(key):
            raise ValidationError(INCOMPLETE)
        return key

    def consent_record(self) -> ConsentRecord:
        """The consent as given now, on this page."""
        data = self.cleaned_data
        return ConsentRecord(
            key=data["consent_key"],
            files_on_behalf=data["files_on_behalf"],
            shares_record=data["shares_record"],
            method=data["method"],
            consented_at=timezone.now(),
            signature_png=data["signature"],
            attestation=data["attestation"],
        )

    def keys_for_next_post(self) -> dict[str, str]:
        """Send the same keys again after an error: nothing was stored."""
        keys = {}
        for name in ("idempotency_key", "consent_key"):
            posted = self.data.get(name, "") if self.is_bound else ""
            keys[name] = posted if KEY_PATTERN.match(posted) else new_key()
        return keys


class InformationForm(forms.Form):
    answer = forms.CharField(
        label=_("The resident's answer to the office"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class RelayedRatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("How well does the resident say the appeal was answered?"),
        choices=SCORES,
        coerce=int,
        empty_value=0,
        required=False,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("The resident's words (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CommunitiesField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, region: Region) -> str:
        township = region.parent.name if region.parent_id else ""
        return f"{township} · {region.name}" if township else region.name


class CommunitiesForm(forms.Form):
    communities = CommunitiesField(
        label=_("Communities served"),
        help_text=_("Hold Ctrl (or use the tablet's list) to choose several."),
        queryset=Region.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 12}),
    )

    def __init__(self, *args, jurisdiction: Region, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["communities"].queryset = (
            Region.objects.within(jurisdiction)
            .filter(level=Level.VILLAGE)
            .select_related("parent")
            .order_by("tree_code")
        )


class VolunteerForm(CommunitiesForm):
    username = forms.CharField(label=_("User name"), max_length=150)
    full_name = forms.CharField(label=_("Name"), max_length=100)
    phone = forms.CharField(label=_("Phone number"), max_length=20, required=False)
    password = forms.CharField(
        label=_("First password"),
        help_text=_("Tell it to the volunteer in person; at least ten characters."),
        widget=forms.PasswordInput(render_value=False),
    )
    field_order = ["username", "full_name", "phone", "password", "communities"]

    def clean_phone(self) -> str:
        raw = self.cleaned_data["phone"].strip()
        return mobile_number(raw) if raw else ""


class SuspendForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        required=False,
        widget=forms.TextInput(),
    )
