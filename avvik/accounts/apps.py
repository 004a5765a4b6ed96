from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "avvik.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from avvik.accounts import checks  # noqa: F401  (registers the system checks)
        from avvik.accounts.middleware import session_limits_start

        user_logged_in.connect(session_limits_start, dispatch_uid="accounts.session_limits_start")
