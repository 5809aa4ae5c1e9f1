"""The platform's settings, serving the benchmark's extra URLs as well.

Only the URLconf differs, so the filing form and the benchmark's ceiling view
run in the same server process with the same middleware and database setup.
Static files are served without the manifest: the benchmark runs no
collectstatic, and its requests load no static file.
"""

from commons.settings import *  # noqa: F403 - the platform's settings, unchanged
from commons.settings import STORAGES

ROOT_URLCONF = "benchmarks.bench_urls"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
