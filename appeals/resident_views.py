"""The resident's pages: file an appeal, follow it, answer, rate or reopen it.

Every change goes through the appeals services; these views only read, call
them and show their answers.
"""

import logging
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from appeals.forms import (
    FilingForm,
    InformationForm,
    RatingForm,
    ReopenForm,
    TrackForm,
)
from appeals.models import (
    Appeal,
    AppealEvent,
    AppealPhoto,
    EventKind,
    Notification,
    Status,
)
from appeals.services import feedback, filing, workflow
from commons.accounts.decorators import resident_required
from commons.accounts.models import User
from commons.regions.models import Level, Region
from commons.registry.models import Resident

logger = logging.getLogger(__name__)

PAGE_SIZE = 20
# Tracking without signing in is guarded by a phone number, which is easy to
# guess with enough tries: each address and each tracking number gets this
# many tries per window.
TRACK_TRIES = 10
TRACK_WINDOW_SECONDS = 10 * 60
# Notes written for the resident; the others are internal markers (the
# dispatcher flag, an escalation level, another resident's tracking number).
NOTES_FOR_RESIDENTS = {
    EventKind.INFO_REQUESTED,
    EventKind.INFO_PROVIDED,
    EventKind.TRANSFERRED,
    EventKind.RESOLVED,
    EventKind.DECLINED,
    EventKind.REOPENED,
}
DETAIL_TEMPLATE = "appeals/resident/detail.html"


def registry_record(user: User) -> Resident | None:
    try:
        return Resident.objects.select_related("home_community").get(account=user)
    except Resident.DoesNotExist:
        return None


def own_appeal(user: User, tracking_number: str) -> Appeal:
    """The signed-in resident's appeal; anyone else's is not found."""
    return get_object_or_404(
        Appeal.objects.select_related("category", "location", "department"),
        tracking_number=tracking_number,
        resident__account=user,
    )


@resident_required
def file_appeal(request: HttpRequest) -> HttpResponse:
    record = registry_record(request.user)
    if record is None:
        return render(request, "appeals/resident/not_registered.html")

    if request.method == "POST":
        form = FilingForm(request.POST, request.FILES)
    else:
        form = FilingForm()
    if form.is_bound and form.is_valid():
        try:
            appeal, _created = filing.file_appeal(
                form.filing(resident=record, user=request.user)
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("appeals:filed", tracking_number=appeal.tracking_number)

    return render(request, "appeals/resident/file.html", filing_context(form, record))


def filing_context(form: FilingForm, record: Resident) -> dict[str, Any]:
    posted = form.data.get("location", "").strip() if form.is_bound else ""
    chosen = Region.objects.filter(code=posted).first() if posted else None
    return {
        "form": form,
        "home": record.home_community,
        "counties": county_groups(),
        "picker_path": " ".join(picker_path(chosen or record.home_community)),
        "picker_open": bool(posted),
        "idempotency_key": form.key_for_next_post(),
    }


def county_groups() -> list[tuple[str, list[Region]]]:
    """Every county of Sichuan under its prefecture, for the first select."""
    groups: list[tuple[str, list[Region]]] = []
    regions = Region.objects.filter(
        level__in=[Level.PREFECTURE, Level.COUNTY]
    ).order_by("tree_code")
    for region in regions:
        if region.level == Level.PREFECTURE:
            groups.append((region.name, []))
        elif groups:
            groups[-1][1].append(region)
    return groups


def picker_path(region: Region) -> list[str]:
    """Codes from the county down to ``region``, to preselect the selects."""
    codes: list[str] = []
    current: Region | None = region
    while current is not None and current.level >= Level.COUNTY:
        codes.append(current.code)
        current = current.parent
    return codes[::-1]


@require_GET
@vary_on_headers("Accept-Language", "Cookie")
@cache_control(private=True, max_age=600)
def region_children(request: HttpRequest, code: str) -> JsonResponse:
    """The divisions directly below one region, named in the reader's language."""
    parent = get_object_or_404(Region, code=code)
    children = Region.objects.filter(parent=parent).order_by("tree_code")
    rows = [
        {"code": child.code, "name": child.name, "level": child.level}
        for child in children
    ]
    return JsonResponse({"code": parent.code, "children": rows})


@resident_required
def filed(request: HttpRequest, tracking_number: str) -> HttpResponse:
    appeal = own_appeal(request.user, tracking_number)
    return render(request, "appeals/resident/filed.html", {"appeal": appeal})


@resident_required
def my_appeals(request: HttpRequest) -> HttpResponse:
    # Queries: the registry record, the count, one page, the unread count.
    record = registry_record(request.user)
    if record is None:
        return render(request, "appeals/resident/not_registered.html")

    unread = Notification.objects.filter(recipient=request.user, read_at__isnull=True)
    appeals = (
        Appeal.objects.filter(resident=record)
        .select_related("category")
        .annotate(has_news=Exists(unread.filter(appeal=OuterRef("pk"))))
        .order_by("-created_at", "-pk")
    )
    page = Paginator(appeals, PAGE_SIZE).get_page(request.GET.get("page"))

    return render(
        request,
        "appeals/resident/mine.html",
        {"page": page, "unread_count": unread.count()},
    )


@resident_required
def appeal_detail(request: HttpRequest, tracking_number: str) -> HttpResponse:
    appeal = own_appeal(request.user, tracking_number)
    mark_notifications_read(request.user, appeal)
    return render(request, DETAIL_TEMPLATE, detail_context(appeal))


def mark_notifications_read(user: User, appeal: Appeal) -> None:
    """Opening the appeal is reading what the platform said about it."""
    Notification.objects.filter(
        recipient=user, appeal=appeal, read_at__isnull=True
    ).update(read_at=timezone.now())


def detail_context(appeal: Appeal, **forms_and_refusal: Any) -> dict[str, Any]:
    events = list(appeal.events.select_related("department"))
    questions = [event for event in events if event.kind == EventKind.INFO_REQUESTED]
    context = {
        "appeal": appeal,
        "photos": list(appeal.photos.all()),
        "timeline": timeline_rows(events, with_notes=True),
        "question": questions[-1].note if questions else "",
        "feedback_open": feedback_open(appeal),
        "information_form": InformationForm(),
        "rating_form": RatingForm(),
        "reopen_form": ReopenForm(),
        "refusal": "",
    }
    context.update(forms_and_refusal)
    return context


def feedback_open(appeal: Appeal) -> bool:
    """Rating and reopening are offered for a fresh answer only."""
    if appeal.status != Status.RESOLVED or appeal.resolved_at is None:
        return False
    return timezone.now() - appeal.resolved_at <= feedback.reopen_window()


def timeline_rows(
    events: list[AppealEvent], *, with_notes: bool
) -> list[dict[str, Any]]:
    """The steps as a resident reads them; never the name of an officer."""
    return [
        {
            "label": event.get_kind_display(),
            "created_at": event.created_at,
            "department": event.department.name if event.department else "",
            "note": event.note
            if with_notes and event.kind in NOTES_FOR_RESIDENTS
            else "",
        }
        for event in events
    ]


def give_feedback(
    request: HttpRequest,
    tracking_number: str,
    form: forms.Form,
    form_name: str,
    act: Callable[[Appeal, dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    """Call one feedback service; a refusal shows on the appeal's page."""
    appeal = own_appeal(request.user, tracking_number)
    if form.is_valid():
        try:
            act(appeal, form.cleaned_data)
        except feedback.FeedbackRefused as refusal:
            return render(
                request,
                DETAIL_TEMPLATE,
                detail_context(appeal, **{form_name: form, "refusal": str(refusal)}),
                status=400,
            )
        messages.success(request, done)
        return redirect("appeals:detail", tracking_number=appeal.tracking_number)

    return render(
        request,
        DETAIL_TEMPLATE,
        detail_context(appeal, **{form_name: form}),
        status=400,
    )


@require_POST
@resident_required
def provide_info(request: HttpRequest, tracking_number: str) -> HttpResponse:
    return give_feedback(
        request,
        tracking_number,
        InformationForm(request.POST),
        "information_form",
        lambda appeal, data: feedback.provide_info(
            appeal.pk, user=request.user, answer=data["answer"]
        ),
        _("Thank you. The office has your answer."),
    )


@require_POST
@resident_required
def rate(request: HttpRequest, tracking_number: str) -> HttpResponse:
    return give_feedback(
        request,
        tracking_number,
        RatingForm(request.POST),
        "rating_form",
        lambda appeal, data: feedback.rate(
            appeal.pk,
            user=request.user,
            # No choice made: the service refuses it with its own message.
            score=data["score"] or 0,
            comment=data["comment"],
        ),
        _("Thank you for your rating. The appeal is now closed."),
    )


@require_POST
@resident_required
def reopen(request: HttpRequest, tracking_number: str) -> HttpResponse:
    return give_feedback(
        request,
        tracking_number,
        ReopenForm(request.POST),
        "reopen_form",
        lambda appeal, data: feedback.reopen(
            appeal.pk, user=request.user, reason=data["reason"]
        ),
        _("Your appeal is open again and back with the department."),
    )


def may_see_photos(user: User, appeal: Appeal) -> bool:
    return feedback.may_act_for(user, appeal) or workflow.may_handle(user, appeal)


@login_required
def appeal_photo(request: HttpRequest, photo_id: int) -> FileResponse:
    """Photos are never public: each is sent only to whoever may see the appeal."""
    photo = get_object_or_404(
        AppealPhoto.objects.select_related("appeal__resident"), pk=photo_id
    )
    if not may_see_photos(request.user, photo.appeal):
        raise Http404

    try:
        content = photo.image.open("rb")
    except FileNotFoundError:
        logger.warning("Photo %s of appeal %s is missing", photo.pk, photo.appeal_id)
        raise Http404 from None
    response = FileResponse(content)
    response["Cache-Control"] = "private, max-age=3600"
    return response


def track(request: HttpRequest) -> HttpResponse:
    """Follow an appeal without signing in: tracking number and phone number."""
    # The QR code on a volunteer's slip links here with the number filled in.
    initial = {"tracking_number": request.GET.get("tracking_number", "")[:20]}
    form = TrackForm(
        request.POST if request.method == "POST" else None, initial=initial
    )
    appeal = None
    status = 200
    if form.is_bound and form.is_valid():
        number = form.cleaned_data["tracking_number"]
        if not may_try_tracking(client_address(request), number):
            form.add_error(None, _("Too many tries. Wait ten minutes and try again."))
            status = 429
        else:
            appeal = tracked_appeal(number, form.cleaned_data["phone"])
            if appeal is None:
                form.add_error(
                    None,
                    _(
                        "No appeal matches this tracking number and phone number. "
                        "Check both and try again."
                    ),
                )

    context: dict[str, Any] = {"form": form, "appeal": appeal}
    if appeal is not None:
        events = list(appeal.events.select_related("department"))
        context["timeline"] = timeline_rows(events, with_notes=False)
    return render(request, "appeals/resident/track.html", context, status=status)


def client_address(request: HttpRequest) -> str:
    # Behind a proxy that does not set REMOTE_ADDR to the client's address,
    # every visitor shares the proxy's budget; the per-number limit still
    # holds.
    return request.META.get("REMOTE_ADDR", "")


def may_try_tracking(address: str, tracking_number: str) -> bool:
    """Count this try against the address and the number; False over the limit."""
    allowed = True
    for key in (f"appeals:track:ip:{address}", f"appeals:track:no:{tracking_number}"):
        # add() only starts the window; incr() is atomic in Redis and locmem.
        cache.add(key, 0, TRACK_WINDOW_SECONDS)
        try:
            tries = cache.incr(key)
        except ValueError:
            # The window ended between the two calls.
            cache.set(key, 1, TRACK_WINDOW_SECONDS)
            tries = 1
        allowed = allowed and tries <= TRACK_TRIES
    return allowed


def tracked_appeal(tracking_number: str, phone: str) -> Appeal | None:
    # The phone is matched in the database and never shown, so no part of the
    # registry record is read out here.
    return (
        Appeal.objects.select_related("category", "department")
        .filter(tracking_number=tracking_number)
        .filter(Q(resident__phone=phone) | Q(filed_by__phone=phone))
        .first()
    )
