"""Signing in: one-time codes for residents, passwords with lockout for staff."""

import hashlib
import hmac
import logging
import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from commons.accounts.models import OneTimeCode, Role, User
from commons.accounts.sms import send_sms
from commons.privacy import mask_phone

logger = logging.getLogger(__name__)

PHONE_PATTERN = re.compile(r"^1[3-9]\d{9}$")
# One code a minute per phone keeps the SMS bill and a flood of texts down.
CODE_RESEND_SECONDS = 60


class SignInError(Exception):
    """A sign-in that failed, with a message the person can act on."""


def normalise_phone(raw: str) -> str:
    phone = re.sub(r"[\s-]", "", raw or "")
    if phone.startswith("+86"):
        phone = phone[3:]
    if not PHONE_PATTERN.match(phone):
        raise SignInError(_("Enter an 11-digit mainland mobile number."))
    return phone


def hash_code(phone: str, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{phone}:{code}".encode(), hashlib.sha256).hexdigest()


def request_code(raw_phone: str) -> None:
    """Send a fresh one-time code to the phone."""
    phone = normalise_phone(raw_phone)
    now = timezone.now()

    recent = OneTimeCode.objects.filter(
        phone=phone, created_at__gt=now - timedelta(seconds=CODE_RESEND_SECONDS)
    )
    if recent.exists():
        raise SignInError(_("A code was sent less than a minute ago. Please wait."))

    code = f"{secrets.randbelow(10**6):06d}"
    minutes = settings.ONE_TIME_CODE_MINUTES
    OneTimeCode.objects.create(
        phone=phone,
        code_hash=hash_code(phone, code),
        expires_at=now + timedelta(minutes=minutes),
    )
    body = _("Your sign-in code is %(code)s. It is valid for %(minutes)s minutes.") % {
        "code": code,
        "minutes": minutes,
    }
    send_sms(phone, body)
    logger.info("Sign-in code sent to %s", mask_phone(phone))


def check_code(raw_phone: str, code: str) -> str:
    """Use up the phone's current code if it matches; return the phone."""
    phone = normalise_phone(raw_phone)
    now = timezone.now()

    with transaction.atomic():
        current = (
            OneTimeCode.objects.select_for_update()
            .filter(phone=phone, used_at__isnull=True, expires_at__gt=now)
            .order_by("-created_at")
            .first()
        )
        if current is None or current.attempts >= settings.ONE_TIME_CODE_ATTEMPTS:
            raise SignInError(_("The code has expired. Ask for a new one."))
        if not hmac.compare_digest(current.code_hash, hash_code(phone, code.strip())):
            OneTimeCode.objects.filter(pk=current.pk).update(attempts=F("attempts") + 1)
            raise SignInError(_("That code is not right. Check the text message."))
        current.used_at = now
        current.save(update_fields=["used_at"])
    return phone


def resident_for_phone(phone: str) -> User:
    """The resident account of a phone number, created on first sign-in."""
    user, created = User.objects.get_or_create(
        phone=phone,
        defaults={"username": f"resident-{phone}", "role": Role.RESIDENT},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        logger.info("Resident account %s created for %s", user.pk, mask_phone(phone))
    return user


def sign_in_staff(request: HttpRequest, username: str, password: str) -> User:
    """Check a password, counting failures and locking the account after many."""
    account = User.objects.filter(username=username).exclude(role=Role.RESIDENT).first()
    if account is not None and account.is_locked():
        raise SignInError(locked_message())

    user = authenticate(request, username=username, password=password)
    if user is None:
        if account is not None:
            record_failure(account)
        raise SignInError(_("The user name or password is not right."))

    User.objects.filter(pk=user.pk).update(failed_sign_ins=0, locked_until=None)
    return user


def record_failure(account: User) -> None:
    User.objects.filter(pk=account.pk).update(failed_sign_ins=F("failed_sign_ins") + 1)
    account.refresh_from_db(fields=["failed_sign_ins"])
    if account.failed_sign_ins >= settings.LOGIN_FAILURE_LIMIT:
        until = timezone.now() + timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
        User.objects.filter(pk=account.pk).update(locked_until=until, failed_sign_ins=0)
        logger.warning("Account %s locked after repeated sign-in failures", account.pk)
        raise SignInError(locked_message())


def locked_message() -> str:
    return _(
        "Too many failed attempts. The account is locked for %(minutes)s minutes."
    ) % {"minutes": settings.LOGIN_LOCKOUT_MINUTES}


def purge_expired_codes() -> int:
    cutoff = timezone.now() - timedelta(days=1)
    deleted, _details = OneTimeCode.objects.filter(expires_at__lt=cutoff).delete()
    return deleted
