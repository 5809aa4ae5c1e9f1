from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from commons.regions.models import Level, Region
from commons.registry.identity import normalise_id_number
from commons.registry.models import Gender, Purpose, RecordField

OFFICE_PURPOSES = [choice for choice in Purpose.choices if choice[0] != Purpose.SELF]


class IdNumberInput(forms.TextInput):
    """Never echoes the number back into the page, as a password field."""

    def format_value(self, value: object) -> None:
        return None


class IdNumberField(forms.CharField):
    widget = IdNumberInput

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", _("ID number"))
        kwargs.setdefault("max_length", 18)
        super().__init__(**kwargs)

    def clean(self, value: str) -> str:
        return normalise_id_number(super().clean(value))


class LookupForm(forms.Form):
    id_number = IdNumberField(widget=IdNumberInput(attrs={"autocomplete": "off"}))
    purpose = forms.ChoiceField(label=_("Purpose"), choices=OFFICE_PURPOSES)
    fields = forms.MultipleChoiceField(
        label=_("Details you need"),
        choices=RecordField.choices,
        widget=forms.CheckboxSelectMultiple,
    )


class RegisterForm(forms.Form):
    full_name = forms.CharField(label=_("Name"), max_length=100)
    id_number = IdNumberField(widget=IdNumberInput(attrs={"autocomplete": "off"}))
    phone = forms.CharField(label=_("Phone number"), max_length=20, required=False)
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices)
    ethnicity = forms.CharField(label=_("Ethnicity"), max_length=30, required=False)
    preferred_language = forms.ChoiceField(label=_("Preferred language"))
    home_community = forms.ModelChoiceField(
        label=_("Home community"), queryset=Region.objects.none()
    )
    lives_alone = forms.BooleanField(label=_("Lives alone"), required=False)
    has_disability = forms.BooleanField(label=_("Has a disability"), required=False)
    low_income = forms.BooleanField(label=_("Low income"), required=False)
    low_digital_literacy = forms.BooleanField(
        label=_("Needs help with digital services"), required=False
    )
    accessibility_needs = forms.CharField(
        label=_("Accessibility needs"), required=False, widget=forms.Textarea
    )

    def __init__(self, *args, jurisdiction: Region, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["preferred_language"].choices = settings.LANGUAGES
        self.fields["home_community"].queryset = Region.objects.within(
            jurisdiction
        ).filter(level=Level.VILLAGE)

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if phone and not (phone.isdigit() and len(phone) == 11):
            raise ValidationError(
                _("Enter an 11-digit mobile number, or leave it empty.")
            )
        return phone
