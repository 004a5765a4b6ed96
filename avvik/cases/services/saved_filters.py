"""Writes on a person's saved filters."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from avvik.cases.models.saved_filters import SavedFilter
from avvik.tenancy.models import User

# A person keeps at most this many saved filters.
MAX_SAVED_FILTERS = 50


@transaction.atomic
def saved_filter_save(*, owner: User, name: str, list_name: str, query: str) -> SavedFilter:
    """Save the filter under the name; a filter of the same name is replaced."""
    existing = SavedFilter.objects.select_for_update().filter(owner=owner, name=name).first()
    if existing is not None:
        existing.list_name, existing.query = list_name, query
        existing.save(update_fields=["list_name", "query"])
        return existing
    if SavedFilter.objects.filter(owner=owner).count() >= MAX_SAVED_FILTERS:
        raise ValidationError(
            _("You can keep at most {n} saved filters. Delete one you no longer use.").format(n=MAX_SAVED_FILTERS)
        )
    return SavedFilter.objects.create(owner=owner, name=name, list_name=list_name, query=query)


@transaction.atomic
def saved_filter_delete(*, saved_filter: SavedFilter) -> None:
    saved_filter.delete()
