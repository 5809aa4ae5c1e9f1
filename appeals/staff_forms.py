"""Forms of the staff back office: the inbox filters and the case actions.

Each action form carries the version of the appeal the officer saw, so an
action taken on a page another officer has since changed is refused.
"""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from appeals import selectors
from appeals.models import Appeal, Category, Priority, Status
from appeals.services import workflow
from commons.accounts.models import User
from commons.regions.models import Department, Region

TEXT_ROWS = 4


class InboxFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.filter(is_active=True),
        to_field_name="code",
        required=False,
        empty_label=_("All categories"),
    )
    priority = forms.TypedChoiceField(
        label=_("Priority"),
        choices=[("", _("Any priority")), *Priority.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    region = forms.ModelChoiceField(
        label=_("Area"),
        queryset=Region.objects.none(),
        to_field_name="code",
        required=False,
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, jurisdiction: Region, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            ("", _("All open appeals")),
            *[
                (value, label)
                for value, label in Status.choices
                if value != Status.SUBMITTED
            ],
        ]
        # Any division within the jurisdiction filters (a village's code typed
        # into the address works too), but the list offers its direct children.
        region = self.fields["region"]
        region.queryset = Region.objects.within(jurisdiction)
        region.widget.choices = [
            ("", gettext("Whole area of %(region)s") % {"region": jurisdiction.name}),
            *[
                (child.code, child.name)
                for child in jurisdiction.children.order_by("tree_code")
            ],
        ]

    def filters(self) -> selectors.InboxFilter:
        """The filters that validated; an invalid one is ignored, not fatal."""
        if not self.is_bound:
            return selectors.InboxFilter()
        self.is_valid()
        values = self.cleaned_data
        return selectors.InboxFilter(
            status=values.get("status") or "",
            category=values.get("category"),
            priority=values.get("priority"),
            region=values.get("region"),
            overdue_only=bool(values.get("overdue")),
        )


class DepartmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, department: Department) -> str:
        return department.name


class OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, officer: User) -> str:
        return gettext("%(officer)s, %(department)s") % {
            "officer": officer,
            "department": officer.department.name,
        }


class ActionForm(forms.Form):
    """Base of the case actions: knows the appeal and the version seen."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    done_message = ""

    def __init__(self, *args, appeal: Appeal, **kwargs) -> None:
        kwargs.setdefault("initial", {"version": appeal.version})
        super().__init__(*args, **kwargs)
        self.appeal = appeal

    def perform(self, actor: User) -> Appeal:
        """Call the workflow service; it raises ``workflow.ActionRefused``."""
        raise NotImplementedError


def text_field(label: str, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": TEXT_ROWS}),
        max_length=2000,
    )


class AcceptForm(ActionForm):
    done_message = _("You accepted the appeal.")

    def perform(self, actor: User) -> Appeal:
        return workflow.accept(
            self.appeal.pk, actor=actor, version=self.cleaned_data["version"]
        )


class RequestInfoForm(ActionForm):
    question = text_field(
        _("Question for the resident"),
        _("The deadline stops until the resident answers."),
    )
    done_message = _("The question was sent to the resident.")

    def perform(self, actor: User) -> Appeal:
        return workflow.request_info(
            self.appeal.pk,
            actor=actor,
            version=self.cleaned_data["version"],
            question=self.cleaned_data["question"],
        )


class TransferForm(ActionForm):
    department = DepartmentChoiceField(
        label=_("Department"), queryset=Department.objects.none()
    )
    reason = text_field(_("Why it belongs there"))
    done_message = _("The appeal was transferred.")

    def __init__(self, *args, appeal: Appeal, **kwargs) -> None:
        super().__init__(*args, appeal=appeal, **kwargs)
        self.fields["department"].queryset = selectors.departments_serving(
            appeal.location
        ).exclude(pk=appeal.department_id)

    def perform(self, actor: User) -> Appeal:
        return workflow.transfer(
            self.appeal.pk,
            actor=actor,
            version=self.cleaned_data["version"],
            to=self.cleaned_data["department"],
            reason=self.cleaned_data["reason"],
        )


class ResolveForm(ActionForm):
    reply = text_field(
        _("Answer to the resident"), _("The resident reads this and rates it.")
    )
    done_message = _("The answer was sent and the appeal is resolved.")

    def perform(self, actor: User) -> Appeal:
        return workflow.resolve(
            self.appeal.pk,
            actor=actor,
            version=self.cleaned_data["version"],
            reply=self.cleaned_data["reply"],
        )


class DeclineForm(ActionForm):
    reason = text_field(
        _("Why it is out of scope"), _("Say where the resident can turn instead.")
    )
    done_message = _("The appeal was declined as out of scope.")

    def perform(self, actor: User) -> Appeal:
        return workflow.decline(
            self.appeal.pk,
            actor=actor,
            version=self.cleaned_data["version"],
            reason=self.cleaned_data["reason"],
        )


class ReassignForm(ActionForm):
    department = DepartmentChoiceField(
        label=_("Department"), queryset=Department.objects.none()
    )
    officer = OfficerChoiceField(
        label=_("Officer"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Anyone in the department"),
    )
    reason = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": TEXT_ROWS}),
        max_length=2000,
    )
    done_message = _("The appeal was reassigned.")

    def __init__(self, *args, appeal: Appeal, **kwargs) -> None:
        super().__init__(*args, appeal=appeal, **kwargs)
        departments = selectors.departments_serving(appeal.location)
        self.fields["department"].queryset = departments
        self.fields["department"].initial = appeal.department_id
        self.fields["officer"].queryset = selectors.officers_of(departments)

    def clean(self) -> dict:
        values = super().clean()
        officer, department = values.get("officer"), values.get("department")
        elsewhere = (
            officer is not None
            and department is not None
            and officer.department_id != department.pk
        )
        if elsewhere:
            self.add_error(
                "officer", _("That officer does not work in the chosen department.")
            )
        return values

    def perform(self, actor: User) -> Appeal:
        return workflow.reassign(
            self.appeal.pk,
            actor=actor,
            version=self.cleaned_data["version"],
            to=self.cleaned_data["department"],
            officer=self.cleaned_data["officer"],
            reason=self.cleaned_data["reason"],
        )
