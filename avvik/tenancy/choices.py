"""Choices of tenancy: kinds of organisation, written forms, roles, notification delivery."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    HOSPITAL_TRUST = "hospital_trust", _("Hospital trust")
    MUNICIPALITY = "municipality", _("Municipality")
    OTHER = "other", _("Other party")


class WrittenForm(models.TextChoices):
    """The written standard of Norwegian an organisation uses (målform)."""

    BOKMAL = "nb", _("Bokmål")
    NYNORSK = "nn", _("Nynorsk")


class Role(models.TextChoices):
    REPORTER = "reporter", _("Reporter")
    HANDLER = "handler", _("Deviation handler")
    ORG_ADMIN = "org_admin", _("Organisation administrator")
    COORDINATOR = "coordinator", _("Contact point coordinator")
    COUNCIL = "council", _("Council member")


# Roles held in an organisation; the others are held in a whole partnership.
ORGANISATION_ROLES = (Role.REPORTER, Role.HANDLER, Role.ORG_ADMIN)
PARTNERSHIP_ROLES = (Role.COORDINATOR, Role.COUNCIL)


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", _("At once")
    DAILY = "daily", _("In a daily summary")
