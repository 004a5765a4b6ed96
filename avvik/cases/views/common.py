"""What the case views share: fetching a case the person may read, and what hangs on the cases shown."""

from collections.abc import Iterable, Mapping, Sequence

from django.db.models import Model
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from avvik.cases.models import Deviation
from avvik.catalogue.models import Category
from avvik.tenancy.models import Organisation, Unit, User

ReadAfter = tuple[tuple[type[Model], tuple[str, ...]], ...]

# Read with the case in one join: few tables, so PostgreSQL plans the query quickly. Twelve tables
# in one query took about 10 ms to plan against 0.4 ms to run (GEQO starts at 12).
JOINED = ("partnership", "category", "clause")
# Read after the case, one query per table, and put in the case's cache as select_related would.
READ_AFTER: ReadAfter = (
    (User, ("reporter", "assignee", "alert_sent_by", "answered_by")),
    (Organisation, ("reporting_organisation", "counterpart", "responsible_organisation")),
    (Unit, ("reporting_unit", "counterpart_unit")),
)
# What a list's rows show, put on the page's rows after they are read: the list's query then joins
# nothing. Its five joins took PostgreSQL 4-7 ms to plan against half a millisecond to run.
LIST_READ_AFTER: ReadAfter = (
    (Organisation, ("reporting_organisation", "counterpart", "responsible_organisation")),
    (Category, ("category",)),
)


def attach_related(
    deviations: Sequence[Deviation],
    read_after: ReadAfter = READ_AFTER,
    known: Mapping[type[Model], Iterable[Model]] | None = None,
) -> None:
    """Fill the cases' related rows as select_related would: from `known` rows already read for
    the page, and the rest in one small query per table for all the cases together."""
    for model, names in read_after:
        found = {row.pk: row for row in (known or {}).get(model, ())}
        ids = {getattr(deviation, f"{name}_id") for deviation in deviations for name in names} - {None}
        if missing := ids - found.keys():
            found |= model._default_manager.in_bulk(missing)
        for name in names:
            field = Deviation._meta.get_field(name)
            for deviation in deviations:
                pk = getattr(deviation, f"{name}_id")
                if pk in found:
                    # The cache only: assigning the attribute would mark the case as changed.
                    field.set_cached_value(deviation, found[pk])  # type: ignore[union-attr]  # a ForeignKey


def deviation_for_user(request: HttpRequest, reference: str) -> Deviation:
    """The case if the person may read it; 404 otherwise, so nothing leaks about its existence."""
    queryset = Deviation.objects.visible_to(request.user).select_related(*JOINED)
    deviation = get_object_or_404(queryset, reference=reference)
    attach_related([deviation])
    return deviation
