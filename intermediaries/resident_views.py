"""The resident's side: which volunteers act for them, and withdrawing that."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commons.accounts.decorators import resident_required
from commons.registry.models import Resident
from intermediaries import selectors, services
from intermediaries.models import Intermediary


@resident_required
def authorisations(request: HttpRequest) -> HttpResponse:
    record = Resident.objects.filter(account=request.user).first()
    rows = selectors.authorisations_of(record) if record is not None else []
    return render(
        request,
        "intermediaries/authorisations.html",
        {"record": record, "authorisations": rows},
    )


@require_POST
@resident_required
def withdraw(request: HttpRequest, profile_id: int) -> HttpResponse:
    record = get_object_or_404(Resident, account=request.user)
    profile = get_object_or_404(Intermediary, pk=profile_id)
    try:
        count = services.withdraw_authorisation(
            resident=record, profile=profile, by=request.user
        )
    except services.Refused as refusal:
        messages.error(request, str(refusal))
    else:
        if count:
            messages.success(
                request,
                _(
                    "Done. This volunteer no longer acts for you or sees your "
                    "appeals. Your appeals go on as before."
                ),
            )
    return redirect("intermediaries:authorisations")
