from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "avvik.api"
    label = "api"
    verbose_name = _("API for systems")

    def ready(self) -> None:
        # Registers the bearer token scheme with drf-spectacular.
        from avvik.api import schema  # noqa: F401
