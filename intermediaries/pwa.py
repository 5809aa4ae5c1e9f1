"""The installable app: its manifest and its service worker, served at /volunteer/.

A service worker controls only the pages below the address it is served
from, so it is served here rather than from /static/; the list of files it
keeps for offline work is written into it, with the hashed names the static
files have in production.
"""

import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_cookie

WORKER_FILE = "intermediaries/sw.js"
MANIFEST_FILE = "intermediaries/manifest.webmanifest"
OFFLINE_ASSETS = [
    "css/fonts.css",
    "css/site.css",
    "js/site.js",
    "fonts/NotoSerifTibetan-Regular.woff2",
    "fonts/NotoSerifTibetan-Bold.woff2",
    "fonts/NotoSansYi-Regular.woff2",
    "intermediaries/volunteer.css",
    "intermediaries/offline.js",
    "intermediaries/assisted-form.js",
    "intermediaries/icon-192.png",
    "intermediaries/icon-512.png",
]


def static_bytes(name: str) -> bytes:
    """A static file, from the sources or from the collected files."""
    found = finders.find(name)
    if found:
        return Path(found).read_bytes()
    with staticfiles_storage.open(name) as handle:
        return handle.read()


def static_text(name: str) -> str:
    return static_bytes(name).decode("utf-8")


def worker_config() -> dict[str, object]:
    offline_page = reverse("intermediaries:file")
    precache = [offline_page, *[static(name) for name in OFFLINE_ASSETS]]
    # The cache's name changes whenever the worker or a kept file does, so a
    # new release replaces what tablets keep instead of mixing with it. Fonts
    # never change and are left out of the sum.
    fingerprint = hashlib.sha256(static_bytes(WORKER_FILE))
    fingerprint.update("\n".join(precache).encode())
    for name in OFFLINE_ASSETS:
        if not name.startswith("fonts/"):
            fingerprint.update(static_bytes(name))
    return {
        "version": fingerprint.hexdigest()[:12],
        "scope": reverse("intermediaries:home"),
        "offlinePage": offline_page,
        "staticPrefix": settings.STATIC_URL
        if settings.STATIC_URL.startswith("/")
        else f"/{settings.STATIC_URL}",
        "precache": precache,
    }


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    config = json.dumps(worker_config())
    body = f"self.VOLUNTEER_CONFIG = {config};\n{static_text(WORKER_FILE)}"
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = reverse("intermediaries:home")
    # Browsers check for a new worker on each visit; it must never be stale.
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
@vary_on_cookie
@cache_control(private=True, max_age=3600)
def manifest(request: HttpRequest) -> JsonResponse:
    """The static manifest, with its names in the volunteer's language."""
    content = json.loads(static_text(MANIFEST_FILE))
    content.update(
        name=_("Community volunteer"),
        short_name=_("Volunteer"),
        description=_("File and follow appeals for residents, also offline."),
        start_url=reverse("intermediaries:file"),
        scope=reverse("intermediaries:home"),
        lang=request.LANGUAGE_CODE,
    )
    for icon in content.get("icons", []):
        # Icons are named relative to the static manifest, beside it.
        icon["src"] = static(f"intermediaries/{icon['src']}")
    return JsonResponse(
        content,
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )
