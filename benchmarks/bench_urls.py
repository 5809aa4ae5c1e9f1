"""The platform's URLs and one view that stores one row: the benchmark's ceiling.

The view goes through the same middleware as the filing form (sessions, CSRF,
authentication) and writes one small row, so the gap between the two is the
cost of filing itself: validation, the appeal, its event and the enqueue.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.utils import timezone
from django.views.decorators.http import require_POST

from commons.accounts.models import SmsMessage

# Marks the rows this view writes, so the benchmark can remove them.
BARE_BACKEND = "benchmark-bare-insert"


@require_POST
def bare_insert(request: HttpRequest) -> HttpResponse:
    SmsMessage.objects.create(
        phone="00000000000",
        body="benchmark",
        backend=BARE_BACKEND,
        sent_at=timezone.now(),
    )
    return HttpResponse(status=204)


urlpatterns = [
    path("bare-insert/", bare_insert, name="bare-insert"),
    path("", include("commons.urls")),
]
