"""Writes that run a partnership: setting up a new one with what it starts from."""

from django.db import transaction

from avvik.catalogue.defaults import catalogue_defaults_create
from avvik.deadlines.services import default_policies_create
from avvik.tenancy.models import Partnership


@transaction.atomic
def partnership_setup(*, partnership: Partnership) -> None:
    """Give a partnership the default categories, the guideline's clauses and the deadlines it lacks."""
    default_policies_create(partnership=partnership)
    catalogue_defaults_create(partnership=partnership)
