"""Reads of the register copy, each within one partnership."""

from dataclasses import dataclass

from django.db.models import QuerySet

from avvik.register.models import ImportRun, RegisterEntry
from avvik.tenancy.models import Organisation, Partnership, Unit


@dataclass(frozen=True)
class NameDifference:
    """One of our organisations or units whose HER-id the register knows by another name, has
    removed, or does not know: a suggestion for the administrators, never applied by an import."""

    ours: str
    her_id: str
    register_name: str
    removed: bool = False


def import_runs(partnership: Partnership) -> QuerySet[ImportRun]:
    return ImportRun.objects.filter(partnership=partnership).select_related("by")


def name_differences(partnership: Partnership) -> list[NameDifference]:
    """Our organisations and units whose names or HER-ids differ from the register copy."""
    ours: list[tuple[str, str]] = [
        (o.name, o.her_id) for o in Organisation.objects.filter(partnership=partnership, is_active=True) if o.her_id
    ]
    ours += [
        (f"{u.organisation.name}, {u.name}", u.her_id)
        for u in Unit.objects.filter(organisation__partnership=partnership, is_active=True).select_related(
            "organisation"
        )
        if u.her_id
    ]
    entries = {
        e.her_id: e for e in RegisterEntry.objects.filter(partnership=partnership, her_id__in=[h for _, h in ours])
    }
    differences = []
    for name, her_id in sorted(ours):
        entry = entries.get(her_id)
        if entry is None:
            differences.append(NameDifference(name, her_id, ""))
        elif not entry.active:
            differences.append(NameDifference(name, her_id, entry.name, removed=True))
        elif entry.name != name.rpartition(", ")[2] and entry.name != name:
            differences.append(NameDifference(name, her_id, entry.name))
    return differences
