"""Views limited to one kind of account."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

View = Callable[..., HttpResponse]


def resident_required(view: View) -> View:
    """Residents only; anyone not signed in is sent to the residents' sign-in."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(
                request.get_full_path(), "accounts:resident-sign-in"
            )
        if not request.user.is_resident:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def department_required(view: View) -> View:
    """Staff and supervisors of a department; others are refused."""

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.works_for_department:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
