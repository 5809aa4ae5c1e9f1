import logging

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import check_for_language
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from commons.registry.models import Purpose, Resident
from commons.registry.services import change_record

logger = logging.getLogger(__name__)


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; a resident's choice is kept on the record."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    user = request.user
    if user.is_authenticated and user.is_resident and check_for_language(language):
        record = Resident.objects.filter(account=user).first()
        if record is not None:
            change_record(
                record,
                actor=user,
                purpose=Purpose.SELF,
                changes={"preferred_language": language},
            )
    return response


def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and compose health checks: is the database there?"""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        logger.exception("Health check could not reach the database")
        return JsonResponse({"status": "database unavailable"}, status=503)
    return JsonResponse({"status": "ok"})
