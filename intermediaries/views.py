"""The volunteer's pages: find, register, consent and file, follow, relay.

Views read, call one service and show its answer; every change and every
refusal is decided in intermediaries.services.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language, get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from appeals.models import Appeal, EventKind, Status
from appeals.services import feedback
from commons.accounts.models import Role, User
from commons.registry.access import AccessRefused
from commons.registry.models import Resident
from commons.registry.presentation import display_rows
from commons.registry.services import NewResident
from intermediaries import selectors, services
from intermediaries.forms import (
    AssistedFilingForm,
    FindForm,
    InformationForm,
    RelayedRatingForm,
    ResidentForm,
)
from intermediaries.languages import OWN_LANGUAGE_KEY
from intermediaries.models import AssistedAppeal
from intermediaries.services import AssistedFiling, Code, Refused
from intermediaries.slips import qr_svg, tracking_url
from intermediaries.tokens import resident_id_from, resident_token

View = Callable[..., HttpResponse]
REFUSAL_STATUS = {Code.TOO_MANY_LOOKUPS: 429, Code.NOT_YOURS: 404}
# Notes written for the resident, which the volunteer reads back; the others
# are the offices' internal markers.
READ_BACK = {
    EventKind.INFO_REQUESTED,
    EventKind.INFO_PROVIDED,
    EventKind.TRANSFERRED,
    EventKind.RESOLVED,
    EventKind.DECLINED,
    EventKind.REOPENED,
}


def volunteer_page(view: View) -> View:
    """Volunteers only; anyone not signed in goes to the password sign-in."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if request.user.role != Role.INTERMEDIARY:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def refused_page(request: HttpRequest, refusal: Exception) -> HttpResponse:
    code = getattr(refusal, "code", "")
    return render(
        request,
        "intermediaries/refused.html",
        {"reason": str(refusal), "code": code},
        status=REFUSAL_STATUS.get(code, 403),
    )


def resident_for_token(user: User, token: str) -> Resident:
    resident_id = resident_id_from(user, token)
    if resident_id is None:
        raise Http404
    return get_object_or_404(
        Resident.objects.select_related("home_community"), pk=resident_id
    )


@volunteer_page
def home(request: HttpRequest) -> HttpResponse:
    profile = services.profile_of(request.user)
    context: dict[str, Any] = {"profile": profile, "work": None}
    if profile is not None and profile.is_active:
        context["work"] = selectors.work_list(profile)
        context["residents"] = [
            (resident, resident_token(request.user, resident.pk))
            for resident in context["work"].residents
        ]
    return render(request, "intermediaries/home.html", context)


@volunteer_page
def find(request: HttpRequest) -> HttpResponse:
    form = FindForm(request.POST or None)
    results = None
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            found = services.find_resident(
                request.user,
                id_number=form.cleaned_data["id_number"],
                phone=form.cleaned_data["phone"],
            )
        except Refused as refusal:
            form.add_error(None, str(refusal))
            status = REFUSAL_STATUS.get(refusal.code, 403)
        else:
            results = [(item.token, display_rows(item.values)) for item in found]
            if not results:
                form.add_error(
                    None,
                    _(
                        "Nobody with these details lives in your communities. "
                        "Check them, or register the resident."
                    ),
                )
    return render(
        request,
        "intermediaries/find.html",
        {"form": form, "results": results},
        status=status,
    )


@volunteer_page
def register(request: HttpRequest) -> HttpResponse:
    try:
        profile = services.active_profile(request.user)
    except Refused as refusal:
        return refused_page(request, refusal)

    form = ResidentForm(request.POST or None, profile=profile)
    if request.method == "POST" and form.is_valid():
        try:
            resident, created = services.register_for(
                request.user, NewResident(**form.cleaned_data)
            )
        except Refused as refusal:
            form.add_error(None, str(refusal))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if created:
                messages.success(request, _("The resident is registered."))
            else:
                messages.info(
                    request,
                    _("This person was already registered. No second record was made."),
                )
            return redirect(
                "intermediaries:resident",
                token=resident_token(request.user, resident.pk),
            )
    return render(request, "intermediaries/register.html", {"form": form})


@volunteer_page
def resident(request: HttpRequest, token: str) -> HttpResponse:
    record = resident_for_token(request.user, token)
    try:
        values = services.open_resident(request.user, record)
    except (Refused, AccessRefused) as refusal:
        return refused_page(request, refusal)

    profile = services.profile_of(request.user)
    context = {
        "token": token,
        "name": values["full_name"],
        "rows": display_rows(values),
        "resident_language": values["preferred_language"],
        "links": selectors.appeals_for_resident(profile, record),
    }
    return render(request, "intermediaries/resident.html", context)


@volunteer_page
def file_appeal(request: HttpRequest) -> HttpResponse:
    """The assisted-filing page, also the offline app's start page.

    Without a resident in the address it is the page the tablet keeps for
    working offline, where the resident is named by their ID number.
    """
    try:
        profile = services.active_profile(request.user)
    except Refused as refusal:
        return refused_page(request, refusal)

    token = request.POST.get("resident") or request.GET.get("resident", "")
    values = None
    if token:
        record = resident_for_token(request.user, token)
        try:
            values = services.open_resident(request.user, record)
        except (Refused, AccessRefused) as refusal:
            return refused_page(request, refusal)

    form = AssistedFilingForm(
        request.POST or None, profile=profile, initial={"resident": token}
    )
    if request.method == "POST" and form.is_valid():
        appeal = send_filing(request, form, token)
        if appeal is not None:
            return redirect(
                "intermediaries:slip", tracking_number=appeal.tracking_number
            )

    context = {
        "form": form,
        "token": token,
        "resident_name": values["full_name"] if values else "",
        "resident_language": values["preferred_language"] if values else "",
        "keys": form.keys_for_next_post(),
    }
    return render(request, "intermediaries/file.html", context)


def send_filing(
    request: HttpRequest, form: AssistedFilingForm, token: str
) -> Appeal | None:
    """File from the page posted without JavaScript; errors go on the form."""
    data = form.cleaned_data
    try:
        if token:
            record = resident_for_token(request.user, token)
        elif data["id_number"]:
            record = services.resident_by_id_number(request.user, data["id_number"])
        else:
            form.add_error("id_number", _("Enter the resident's ID number."))
            return None
        appeal, _created = services.file_on_behalf(
            request.user,
            AssistedFiling(
                resident=record,
                consent=form.consent_record(),
                category=data["category"],
                description=data["description"],
                idempotency_key=data["idempotency_key"],
                location=data["location"],
                notify_by=data["notify_by"],
            ),
        )
    except Refused as refusal:
        form.add_error(None, str(refusal))
        return None
    except ValidationError as error:
        form.add_error(None, error)
        return None
    return appeal


def assisted_or_404(user: User, tracking_number: str) -> AssistedAppeal:
    try:
        return services.assisted_appeal_for(user, tracking_number)
    except Refused:
        raise Http404 from None


@volunteer_page
def appeal_detail(request: HttpRequest, tracking_number: str) -> HttpResponse:
    link = assisted_or_404(request.user, tracking_number)
    return render(
        request, "intermediaries/appeal.html", appeal_context(link, refusal="")
    )


def appeal_context(link: AssistedAppeal, **extra: Any) -> dict[str, Any]:
    appeal = link.appeal
    events = list(appeal.events.select_related("department"))
    questions = [
        event.note for event in events if event.kind == EventKind.INFO_REQUESTED
    ]
    answered = appeal.status == Status.RESOLVED and appeal.resolved_at is not None
    context = {
        "link": link,
        "appeal": appeal,
        "events": events,
        "question": questions[-1] if questions else "",
        "read_back_kinds": READ_BACK,
        "may_rate": answered
        and timezone.now() - appeal.resolved_at <= feedback.reopen_window(),
        "information_form": InformationForm(),
        "rating_form": RelayedRatingForm(),
    }
    context.update(extra)
    return context


def relay(
    request: HttpRequest,
    tracking_number: str,
    form_name: str,
    form: InformationForm | RelayedRatingForm,
    act: Callable[[dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    link = assisted_or_404(request.user, tracking_number)
    if form.is_valid():
        try:
            act(form.cleaned_data)
        except (feedback.FeedbackRefused, Refused) as refusal:
            context = appeal_context(link, **{form_name: form, "refusal": str(refusal)})
            return render(request, "intermediaries/appeal.html", context, status=400)
        messages.success(request, done)
        return redirect("intermediaries:appeal", tracking_number=tracking_number)
    context = appeal_context(link, **{form_name: form, "refusal": ""})
    return render(request, "intermediaries/appeal.html", context, status=400)


@require_POST
@volunteer_page
def relay_information(request: HttpRequest, tracking_number: str) -> HttpResponse:
    return relay(
        request,
        tracking_number,
        "information_form",
        InformationForm(request.POST),
        lambda data: services.relay_information(
            request.user, tracking_number, data["answer"]
        ),
        _("The resident's answer was sent to the office."),
    )


@require_POST
@volunteer_page
def relay_rating(request: HttpRequest, tracking_number: str) -> HttpResponse:
    return relay(
        request,
        tracking_number,
        "rating_form",
        RelayedRatingForm(request.POST),
        lambda data: services.relay_rating(
            request.user, tracking_number, data["score"], data["comment"]
        ),
        _("The resident's rating was passed on. The appeal is now closed."),
    )


@volunteer_page
def slip(request: HttpRequest, tracking_number: str) -> HttpResponse:
    link = assisted_or_404(request.user, tracking_number)
    url = tracking_url(request, link.appeal)
    context = {"appeal": link.appeal, "link": link, "track_url": url, "qr": qr_svg(url)}
    return render(request, "intermediaries/slip.html", context)


@require_POST
@volunteer_page
def withdraw_for_resident(request: HttpRequest, token: str) -> HttpResponse:
    """The resident tells the volunteer to stop acting for them."""
    record = resident_for_token(request.user, token)
    profile = services.profile_of(request.user)
    if profile is None:
        raise PermissionDenied
    try:
        services.withdraw_authorisation(
            resident=record, profile=profile, by=request.user
        )
    except Refused as refusal:
        return refused_page(request, refusal)
    messages.success(
        request,
        _(
            "The resident's authorisation is withdrawn. "
            "You no longer see their appeals."
        ),
    )
    return redirect("intermediaries:home")


@require_POST
@volunteer_page
def switch_language(request: HttpRequest) -> HttpResponse:
    """Speak the resident's language for a while, then switch back."""
    wanted = request.POST.get("language", "")
    own = request.session.get(OWN_LANGUAGE_KEY)
    if wanted == "own":
        language = own or settings.LANGUAGE_CODE
        request.session.pop(OWN_LANGUAGE_KEY, None)
    elif check_for_language(wanted):
        if own is None:
            request.session[OWN_LANGUAGE_KEY] = get_language()
        language = wanted
    else:
        return HttpResponse(status=400)

    response = redirect(safe_next(request))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


def safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed and target else "intermediaries:home"
