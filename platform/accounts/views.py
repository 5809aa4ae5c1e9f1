"""Sign-in pages: phone and code for residents, password for everyone else."""

from django.conf import settings
from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from commons.accounts import services
from commons.accounts.forms import CodeForm, PhoneForm, StaffSignInForm
from commons.registry.services import attach_account

PHONE_SESSION_KEY = "sign_in_phone"


def resident_sign_in(request: HttpRequest) -> HttpResponse:
    form = PhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_code(form.cleaned_data["phone"])
        except services.SignInError as error:
            form.add_error("phone", str(error))
        else:
            phone = services.normalise_phone(form.cleaned_data["phone"])
            request.session[PHONE_SESSION_KEY] = phone
            return redirect("accounts:resident-code")
    return render(request, "accounts/resident_sign_in.html", {"form": form})


def resident_code(request: HttpRequest) -> HttpResponse:
    phone = request.session.get(PHONE_SESSION_KEY)
    if not phone:
        return redirect("accounts:resident-sign-in")

    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.check_code(phone, form.cleaned_data["code"])
        except services.SignInError as error:
            form.add_error("code", str(error))
        else:
            user = services.resident_for_phone(phone)
            login(request, user, backend="commons.accounts.backends.PhoneCodeBackend")
            record = attach_account(user)
            response = redirect("registry:my-record")
            if record is not None:
                # The record remembers the language; the browser learns it here.
                response.set_cookie(
                    settings.LANGUAGE_COOKIE_NAME, record.preferred_language
                )
            return response
    return render(request, "accounts/resident_code.html", {"form": form})


def staff_sign_in(request: HttpRequest) -> HttpResponse:
    form = StaffSignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.sign_in_staff(
                request, form.cleaned_data["username"], form.cleaned_data["password"]
            )
        except services.SignInError as error:
            form.add_error(None, str(error))
        else:
            login(request, user)
            return redirect(safe_next(request) or settings.LOGIN_REDIRECT_URL)
    return render(request, "accounts/staff_sign_in.html", {"form": form})


def safe_next(request: HttpRequest) -> str:
    target = request.GET.get("next", "")
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else ""


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("core:home")
