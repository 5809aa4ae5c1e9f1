"""The resident's own record and ledger; look-up and registration for staff."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from commons.accounts.decorators import department_required, resident_required
from commons.ledger.models import LedgerEntry
from commons.registry.access import AccessRefused
from commons.registry.forms import LookupForm, RegisterForm
from commons.registry.models import Purpose, RecordField, Resident
from commons.registry.presentation import display_rows, ledger_row
from commons.registry.services import (
    NewResident,
    find_by_id_number,
    read_record,
    register_resident,
)

LEDGER_PAGE_SIZE = 25


@resident_required
def my_record(request: HttpRequest) -> HttpResponse:
    record = Resident.objects.filter(account=request.user).first()
    rows = []
    if record is not None:
        values = read_record(
            record, reader=request.user, purpose=Purpose.SELF, fields=RecordField.values
        )
        rows = display_rows(values)
    return render(request, "registry/my_record.html", {"record": record, "rows": rows})


@resident_required
def my_ledger(request: HttpRequest) -> HttpResponse:
    entries = (
        LedgerEntry.objects.filter(resident__account=request.user)
        .select_related("department")
        .order_by("-position")
    )
    page = Paginator(entries, LEDGER_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [ledger_row(entry, request.user.pk) for entry in page.object_list]
    return render(request, "registry/my_ledger.html", {"page": page, "rows": rows})


@department_required
def lookup(request: HttpRequest) -> HttpResponse:
    form = LookupForm(request.POST or None)
    rows = None
    if request.method == "POST" and form.is_valid():
        resident = find_by_id_number(form.cleaned_data["id_number"])
        if resident is None:
            form.add_error(
                "id_number", _("No resident with this ID number is registered.")
            )
        else:
            try:
                values = read_record(
                    resident,
                    reader=request.user,
                    purpose=form.cleaned_data["purpose"],
                    fields=form.cleaned_data["fields"],
                )
            except AccessRefused as refusal:
                form.add_error(None, str(refusal))
            else:
                rows = display_rows(values)
    return render(request, "registry/lookup.html", {"form": form, "rows": rows})


@department_required
def register(request: HttpRequest) -> HttpResponse:
    jurisdiction = request.user.jurisdiction()
    form = RegisterForm(request.POST or None, jurisdiction=jurisdiction)
    if request.method == "POST" and form.is_valid():
        resident, created = register_resident(
            NewResident(**form.cleaned_data), actor=request.user
        )
        if created:
            messages.success(request, _("The resident is registered."))
        else:
            messages.info(
                request,
                _(
                    "This person was already registered (ID ending %(last4)s). "
                    "No second record was made."
                )
                % {"last4": resident.id_number_last4},
            )
        return redirect("registry:register")
    return render(request, "registry/register.html", {"form": form})
