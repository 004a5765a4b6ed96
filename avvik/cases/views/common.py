"""What the case views share: fetching a case the person may read."""

from django.db.models import Model
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from avvik.cases.models import Deviation
from avvik.tenancy.models import Organisation, Unit, User

# Read with the case in one join: few tables, so PostgreSQL plans the query quickly. Twelve tables
# in one query took about 10 ms to plan against 0.4 ms to run (GEQO starts at 12).
JOINED = ("partnership", "category", "clause")
# Read after the case, one query per table, and put in the case's cache as select_related would.
READ_AFTER: tuple[tuple[type[Model], tuple[str, ...]], ...] = (
    (User, ("reporter", "assignee", "alert_sent_by", "answered_by")),
    (Organisation, ("reporting_organisation", "counterpart", "responsible_organisation")),
    (Unit, ("reporting_unit", "counterpart_unit")),
)


def attach_related(deviation: Deviation) -> Deviation:
    """Fill the case's people, organisations and units in three small queries."""
    for model, names in READ_AFTER:
        ids = {getattr(deviation, f"{name}_id") for name in names} - {None}
        if not ids:
            continue
        found = model._default_manager.in_bulk(ids)
        for name in names:
            pk = getattr(deviation, f"{name}_id")
            if pk in found:
                # The cache only: assigning the attribute would mark the case as changed.
                Deviation._meta.get_field(name).set_cached_value(deviation, found[pk])  # type: ignore[union-attr]  # a ForeignKey
    return deviation


def deviation_for_user(request: HttpRequest, reference: str) -> Deviation:
    """The case if the person may read it; 404 otherwise, so nothing leaks about its existence."""
    queryset = Deviation.objects.visible_to(request.user).select_related(*JOINED)
    return attach_related(get_object_or_404(queryset, reference=reference))
