"""Forms of the dashboards and the admin's resource import."""

import re
from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from commons.regions.models import Level, Region
from metrics.dashboards import ORIENTATION_LABELS
from metrics.periods import Period, month_of
from metrics.services import EVALUATION_LEVELS, EvaluationRequest

MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")
# 50 MB holds a CSV row for every village many times over.
MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class MonthField(forms.CharField):
    """A month written YYYY-MM, read as its first day."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2025-01"})

    def to_python(self, value: str | None) -> date | None:
        text = super().to_python(value)
        if not text:
            return None
        match = MONTH_PATTERN.match(text.strip())
        if match is None or not 1 <= int(match.group(2)) <= 12:
            raise forms.ValidationError(_("Write the month as YYYY-MM."))
        return date(int(match.group(1)), int(match.group(2)), 1)


class RunForm(forms.Form):
    scope = forms.ChoiceField(label=_("Compare the units within"))
    level = forms.TypedChoiceField(
        label=_("Units"),
        coerce=int,
        choices=[(level, Level(level).label) for level in EVALUATION_LEVELS],
        initial=Level.COUNTY,
        required=False,
        empty_value=Level.COUNTY,
    )
    first_month = MonthField(label=_("First month"))
    last_month = MonthField(label=_("Last month"))
    orientation = forms.ChoiceField(
        label=_("Orientation"),
        choices=list(ORIENTATION_LABELS.items()),
        initial="input",
        required=False,
    )

    def __init__(self, *args: object, root: Region, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        areas = Region.objects.within(root).filter(level__lte=Level.PREFECTURE)
        if root.level > Level.PREFECTURE:
            areas = Region.objects.filter(pk=root.pk)
        self.regions = {region.code: region for region in areas}
        self.fields["scope"].choices = [
            (region.code, region.name) for region in self.regions.values()
        ]
        self.fields["scope"].initial = root.code

    def clean(self) -> dict:
        cleaned = super().clean()
        first, last = cleaned.get("first_month"), cleaned.get("last_month")
        if first and last and last < first:
            self.add_error("last_month", _("The last month comes before the first."))
        return cleaned

    def request(self) -> EvaluationRequest:
        data = self.cleaned_data
        return EvaluationRequest(
            scope=self.regions[data["scope"]],
            period=Period(data["first_month"], month_of(data["last_month"]).end),
            level=data["level"],
            orientation=data["orientation"] or "input",
        )


class CountyForm(forms.Form):
    county = forms.ChoiceField(label=_("County or district"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        regions = Region.objects.filter(
            level__in=[Level.PREFECTURE, Level.COUNTY]
        ).order_by("tree_code")
        groups: list[tuple[str, list[tuple[str, str]]]] = []
        for region in regions:
            if region.level == Level.PREFECTURE:
                groups.append((region.name, []))
            elif groups:
                groups[-1][1].append((region.code, region.name))
        self.fields["county"].choices = groups


class ResourceImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: region_code, period_start, period_end, staff, budget, "
            "digital_coverage. UTF-8, one header row."
        ),
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 50 MB."))
        return upload
