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
    # Receives escalations when an answer is overdue (the second step of the ladder) and may answer.
    LEADER = "leader", _("Manager")
    # Manages the organisation's units and people; does not receive escalations.
    ORG_ADMIN = "org_admin", _("Organisation administrator")
    # Follows up the organisation's electronic message traffic (meldingsansvarlig).
    MESSAGE_OWNER = "message_owner", _("Message traffic owner")
    COORDINATOR = "coordinator", _("Contact point coordinator")
    COUNCIL = "council", _("Council member")
    # Manages the partnership's organisations, catalogue, deadlines and settings.
    PARTNERSHIP_ADMIN = "partnership_admin", _("Partnership administrator")


# Roles held in an organisation; the others are held in a whole partnership.
ORGANISATION_ROLES = (Role.REPORTER, Role.HANDLER, Role.LEADER, Role.ORG_ADMIN, Role.MESSAGE_OWNER)
PARTNERSHIP_ROLES = (Role.COORDINATOR, Role.COUNCIL, Role.PARTNERSHIP_ADMIN)


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", _("At once")
    DAILY = "daily", _("In a daily summary")
