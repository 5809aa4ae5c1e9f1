"""The community office's pages: register volunteers, assign, activate, suspend."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commons.accounts.decorators import department_required
from intermediaries import services
from intermediaries.forms import CommunitiesForm, SuspendForm, VolunteerForm
from intermediaries.models import Intermediary, VolunteerStatus


def managed_or_404(request: HttpRequest, profile_id: int) -> Intermediary:
    """A volunteer of the officer's department; another's is not found."""
    profile = get_object_or_404(
        Intermediary.objects.select_related("user", "department"), pk=profile_id
    )
    if not services.may_manage(request.user, profile):
        raise Http404
    return profile


@department_required
def volunteers(request: HttpRequest) -> HttpResponse:
    profiles = (
        Intermediary.objects.filter(department_id=request.user.department_id)
        .select_related("user")
        .prefetch_related("communities")
        .order_by("user__username")
    )
    return render(
        request, "intermediaries/office/list.html", {"profiles": list(profiles)}
    )


@department_required
def register_volunteer(request: HttpRequest) -> HttpResponse:
    jurisdiction = request.user.department.jurisdiction
    form = VolunteerForm(request.POST or None, jurisdiction=jurisdiction)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            profile = services.register_volunteer(
                request.user,
                services.NewVolunteer(
                    username=data["username"],
                    full_name=data["full_name"],
                    phone=data["phone"],
                    password=data["password"],
                    communities=list(data["communities"]),
                ),
            )
        except ValidationError as error:
            form.add_error("password", error)
        except services.Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request,
                _("The volunteer is registered. Activate them when they are ready."),
            )
            return redirect("intermediaries:office-volunteer", profile_id=profile.pk)
    return render(request, "intermediaries/office/register.html", {"form": form})


@department_required
def volunteer(request: HttpRequest, profile_id: int) -> HttpResponse:
    profile = managed_or_404(request, profile_id)
    jurisdiction = request.user.department.jurisdiction
    form = CommunitiesForm(
        request.POST or None,
        jurisdiction=jurisdiction,
        initial={"communities": list(profile.communities.all())},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.assign_communities(
                request.user, profile.pk, list(form.cleaned_data["communities"])
            )
        except services.Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("The communities are saved."))
            return redirect("intermediaries:office-volunteer", profile_id=profile.pk)
    return render(
        request,
        "intermediaries/office/volunteer.html",
        volunteer_context(profile, form),
    )


def volunteer_context(profile: Intermediary, form: CommunitiesForm) -> dict[str, Any]:
    return {
        "profile": profile,
        "form": form,
        "suspend_form": SuspendForm(),
        "communities": list(profile.communities.order_by("tree_code")),
        "may_activate": profile.status != VolunteerStatus.ACTIVE,
        "may_suspend": profile.status == VolunteerStatus.ACTIVE,
    }


@require_POST
@department_required
def activate(request: HttpRequest, profile_id: int) -> HttpResponse:
    profile = managed_or_404(request, profile_id)
    try:
        services.activate(request.user, profile.pk)
    except services.Refused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("The volunteer is active."))
    return redirect("intermediaries:office-volunteer", profile_id=profile.pk)


@require_POST
@department_required
def suspend(request: HttpRequest, profile_id: int) -> HttpResponse:
    profile = managed_or_404(request, profile_id)
    form = SuspendForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    services.suspend(request.user, profile.pk, reason)
    messages.success(
        request,
        _("The volunteer is suspended. Their tablet can no longer file or look up."),
    )
    return redirect("intermediaries:office-volunteer", profile_id=profile.pk)
