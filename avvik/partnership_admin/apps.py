from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipAdminConfig(AppConfig):
    name = "avvik.partnership_admin"
    label = "partnership_admin"
    verbose_name = _("Partnership administration")
