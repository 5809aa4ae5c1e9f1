from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from commons.accounts.models import User


class LockoutPasswordBackend(ModelBackend):
    """Password sign-in for everyone but residents, refused while locked."""

    def user_can_authenticate(self, user: User) -> bool:  # type: ignore[override]
        return (
            super().user_can_authenticate(user)
            and not user.is_resident
            and not user.is_locked()
        )


class PhoneCodeBackend(ModelBackend):
    """Residents: the phone was already proven by a one-time code."""

    def authenticate(  # type: ignore[override]
        self, request: HttpRequest | None, verified_phone: str | None = None, **kwargs
    ) -> User | None:
        if verified_phone is None:
            return None
        user = User.objects.filter(phone=verified_phone, is_active=True).first()
        return user if user is not None and user.is_resident else None
