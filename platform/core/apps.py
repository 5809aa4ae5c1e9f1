from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "commons.core"
    label = "core"
    verbose_name = _("Platform")

    def ready(self) -> None:
        # Load the Celery app with Django so tasks enqueued from the web use it.
        import commons.celery  # noqa: F401
