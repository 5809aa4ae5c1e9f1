"""The staff back office: the department's inbox, a case and its actions.

Access follows ``workflow.may_handle``: staff of the appeal's department, or
supervisors of the department it was escalated to. Anyone else gets a 404,
so a tracking number tells an outsider nothing.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from appeals import selectors
from appeals.models import Appeal, AppealEvent, EventKind, Status
from appeals.services.workflow import ActionRefused, may_handle
from appeals.staff_forms import (
    AcceptForm,
    ActionForm,
    DeclineForm,
    InboxFilterForm,
    ReassignForm,
    RequestInfoForm,
    ResolveForm,
    TransferForm,
)
from commons.accounts.decorators import department_required
from commons.accounts.models import Role, User
from commons.registry.access import AccessRefused, grants_for
from commons.registry.models import Purpose, Resident
from commons.registry.presentation import display_rows
from commons.registry.services import read_record

PAGE_SIZE = 25

ACTION_FORMS: dict[str, type[ActionForm]] = {
    "accept": AcceptForm,
    "request_info": RequestInfoForm,
    "transfer": TransferForm,
    "resolve": ResolveForm,
    "decline": DeclineForm,
    "reassign": ReassignForm,
}


@department_required
def inbox(request: HttpRequest) -> HttpResponse:
    department = request.user.department
    form = InboxFilterForm(request.GET or None, jurisdiction=department.jurisdiction)
    now = timezone.now()

    appeals = selectors.inbox(department, form.filters(), now)
    page = Paginator(appeals, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = selectors.inbox_counts(department, now)

    context = {
        "department": department,
        "form": form,
        "page": page,
        "status_counts": status_counts(counts),
        "overdue_count": counts["overdue"],
    }
    return render(request, "appeals/staff/inbox.html", context)


def status_counts(counts: dict[str, int]) -> list[tuple[str, str, int]]:
    return [
        (status, label, counts[status])
        for status, label in Status.choices
        if status != Status.SUBMITTED
    ]


@department_required
def escalations(request: HttpRequest) -> HttpResponse:
    if request.user.role != Role.SUPERVISOR:
        raise PermissionDenied
    department = request.user.department

    appeals = selectors.escalations(department, timezone.now())
    page = Paginator(appeals, PAGE_SIZE).get_page(request.GET.get("page"))

    context = {"department": department, "page": page}
    return render(request, "appeals/staff/escalations.html", context)


def handled_appeal(user: User, tracking_number: str) -> Appeal:
    """The appeal if the user may handle it; otherwise as if it did not exist."""
    appeal = selectors.case_for(tracking_number)
    if appeal is None or not may_handle(user, appeal):
        raise Http404
    return appeal


@department_required
def case(request: HttpRequest, tracking_number: str) -> HttpResponse:
    appeal = handled_appeal(request.user, tracking_number)
    return render_case(request, appeal)


def render_case(
    request: HttpRequest, appeal: Appeal, bound: ActionForm | None = None
) -> HttpResponse:
    selectors.load_case_details(appeal)
    record_rows, record_refusal = registry_record(request.user, appeal.resident)

    context = {
        "appeal": appeal,
        "is_overdue": appeal.is_overdue(),
        "events": [timeline_row(event) for event in appeal.events.all()],
        "duplicates": appeal.duplicates.all(),
        "photos": appeal.photos.all(),
        "record_rows": record_rows,
        "record_refusal": record_refusal,
        "forms": action_forms(request.user, appeal, bound),
    }
    return render(request, "appeals/staff/case.html", context)


def registry_record(user: User, resident: Resident) -> tuple[list, str]:
    """The resident's details the department is granted; the read is ledgered."""
    fields = sorted(
        {name for grant in grants_for(user, Purpose.SERVICE) for name in grant.fields}
    )
    if not fields:
        return [], _("Your department has no grant to see this resident's details.")
    try:
        values = read_record(
            resident, reader=user, purpose=Purpose.SERVICE, fields=fields
        )
    except AccessRefused as refusal:
        return [], str(refusal)
    return display_rows(values), ""


def timeline_row(event: AppealEvent) -> dict[str, Any]:
    return {
        "kind": event.get_kind_display(),
        "created_at": event.created_at,
        "who": actor_label(event.actor),
        "department": event.department.name if event.department else "",
        "note": event_note(event),
    }


def actor_label(actor: User | None) -> str:
    """Staff by name; residents by role, since an account name can hold a phone."""
    if actor is None:
        return _("The platform")
    if actor.is_resident:
        return _("The resident")
    if actor.role == Role.INTERMEDIARY:
        return _("A community volunteer")
    return str(actor)


def event_note(event: AppealEvent) -> str:
    if event.kind == EventKind.ESCALATED:
        return _("Escalation level %(level)s") % {"level": event.note}
    if event.kind == EventKind.ROUTED and event.note == "dispatcher":
        return _("No rule matched: the township service centre sorts it out.")
    return event.note


def action_forms(
    user: User, appeal: Appeal, bound: ActionForm | None
) -> dict[str, ActionForm]:
    """The actions the appeal's status allows, each with its own form."""
    names = []
    if appeal.status == Status.ROUTED:
        names.append("accept")
    if appeal.status in (Status.ROUTED, Status.ACCEPTED):
        names += ["request_info", "transfer", "resolve", "decline"]
        if user.role == Role.SUPERVISOR:
            names.append("reassign")

    forms = {name: ACTION_FORMS[name](appeal=appeal, prefix=name) for name in names}
    if bound is not None:
        forms[bound.prefix] = bound
    return forms


@require_POST
@department_required
def case_action(
    request: HttpRequest, tracking_number: str, action: str
) -> HttpResponse:
    appeal = handled_appeal(request.user, tracking_number)
    form = ACTION_FORMS[action](request.POST, appeal=appeal, prefix=action)
    if not form.is_valid():
        return render_case(request, appeal, bound=form)

    try:
        changed = form.perform(request.user)
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("appeals:case", tracking_number=tracking_number)

    messages.success(request, form.done_message)
    if not may_handle(request.user, changed):
        # Transferred or reassigned away: the case is no longer this desk's.
        return redirect("appeals:inbox")
    return redirect("appeals:case", tracking_number=tracking_number)


@never_cache
@department_required
def case_photo(
    request: HttpRequest, tracking_number: str, photo_id: int
) -> FileResponse:
    appeal = handled_appeal(request.user, tracking_number)
    photo = get_object_or_404(appeal.photos, pk=photo_id)
    return FileResponse(photo.image.open("rb"))
