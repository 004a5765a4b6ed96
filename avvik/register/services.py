"""Writes to the register copy: importing a file (or only trying it), and holding an uploaded file
between the dry run and the confirmation."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from avvik.register.choices import CHANGE_COLOURS, ChangeKind
from avvik.register.models import EntryChange, HeldRegisterFile, ImportRun, RegisterEntry
from avvik.register.parsing import ParsedFile, Problem, RegisterRow, parse
from avvik.tenancy.models import Partnership, User

# Fields compared between the file and the copy, besides the name.
_COMPARED = ("kind", "parent_her_id", "organisation_number", "receives")
BATCH = 1000
# A file uploaded but neither imported nor discarded is let go after this.
HELD_FOR = timedelta(days=1)


@dataclass(frozen=True)
class RowOutcome:
    """What an import does, or would do, to one HER-id."""

    line: int | None
    her_id: str
    name: str
    kind: ChangeKind
    name_before: str = ""
    fields: tuple[str, ...] = ()

    @property
    def colour(self) -> str:
        return CHANGE_COLOURS[self.kind]


@dataclass
class ImportResult:
    """The outcome of a file: per row, and counted. `run` is None for a dry run or a refused file."""

    source: str
    encoding: str = ""
    outcomes: list[RowOutcome] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    run: ImportRun | None = None
    rows: int = 0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def importable(self) -> bool:
        """A file with an error imports nothing; warnings alone do not stop it."""
        return not self.errors

    def count(self, kind: ChangeKind) -> int:
        return sum(1 for outcome in self.outcomes if outcome.kind == kind)

    @property
    def counts(self) -> dict[str, int]:
        return {kind.value: self.count(kind) for kind in ChangeKind}


def _row_values(row: RegisterRow) -> dict[str, object]:
    return {
        "kind": row.kind,
        "parent_her_id": row.parent_her_id,
        "organisation_number": row.organisation_number,
        "receives": list(row.receives),
    }


def _compare(parsed: ParsedFile, existing: dict[str, RegisterEntry]) -> list[RowOutcome]:
    outcomes = []
    in_file = set()
    for row in parsed.rows:
        in_file.add(row.her_id)
        entry = existing.get(row.her_id)
        if entry is None:
            outcomes.append(RowOutcome(row.line, row.her_id, row.name, ChangeKind.NEW))
            continue
        values = _row_values(row)
        changed = tuple(name for name in _COMPARED if getattr(entry, name) != values[name])
        if not entry.active:
            kind = ChangeKind.RESTORED
        elif entry.name != row.name:
            kind = ChangeKind.RENAMED
        elif changed:
            kind = ChangeKind.CHANGED
        else:
            kind = ChangeKind.UNCHANGED
        name_before = entry.name if entry.name != row.name else ""
        outcomes.append(RowOutcome(row.line, row.her_id, row.name, kind, name_before, changed))
    for her_id, entry in sorted(existing.items()):
        if entry.active and her_id not in in_file:
            outcomes.append(RowOutcome(None, her_id, entry.name, ChangeKind.REMOVED))
    return outcomes


@transaction.atomic
def register_import(
    *, partnership: Partnership, data: bytes, source: str, by: User | None, dry_run: bool = False
) -> ImportResult:
    """Bring the partnership's register copy in line with a file, in one transaction.

    Entries are updated in place; an entry missing from the file is kept and marked removed; every
    change is a row in its history. A file with an error changes nothing. With `dry_run`, only the
    outcome is returned and nothing is stored."""
    parsed = parse(data)
    result = ImportResult(source=source, encoding=parsed.encoding, problems=parsed.problems, rows=len(parsed.rows))
    copy = RegisterEntry.objects.filter(partnership=partnership)
    # An import locks the copy, so two imports at once cannot both add the same HER-id; a dry run only reads.
    existing = {entry.her_id: entry for entry in (copy if dry_run else copy.select_for_update())}
    result.outcomes = _compare(parsed, existing)
    if dry_run or not result.importable:
        return result
    now = timezone.now()
    counts = result.counts
    run = ImportRun.objects.create(
        partnership=partnership,
        by=by,
        source=source[:300],
        at=now,
        rows=len(parsed.rows),
        new=counts[ChangeKind.NEW] + counts[ChangeKind.RESTORED],
        renamed=counts[ChangeKind.RENAMED],
        changed=counts[ChangeKind.CHANGED],
        removed=counts[ChangeKind.REMOVED],
        unchanged=counts[ChangeKind.UNCHANGED],
        errors=0,
        warnings=len(result.warnings),
    )
    rows = {row.her_id: row for row in parsed.rows}
    created = [
        RegisterEntry(
            partnership=partnership,
            her_id=outcome.her_id,
            name=rows[outcome.her_id].name,
            first_seen=now,
            last_seen=now,
            **_row_values(rows[outcome.her_id]),
        )
        for outcome in result.outcomes
        if outcome.kind == ChangeKind.NEW
    ]
    RegisterEntry.objects.bulk_create(created, batch_size=BATCH)
    # Entries updated together by the fields that changed: a rename writes the name only.
    updates: dict[tuple[str, ...], list[RegisterEntry]] = defaultdict(list)
    removed: list[int] = []
    history: list[EntryChange] = []
    for outcome in result.outcomes:
        if outcome.kind in (ChangeKind.NEW, ChangeKind.UNCHANGED):
            continue
        entry = existing[outcome.her_id]
        name_before = entry.name
        if outcome.kind == ChangeKind.REMOVED:
            removed.append(entry.pk)
        else:
            row = rows[outcome.her_id]
            values = _row_values(row)
            fields = list(outcome.fields)
            for name in fields:
                setattr(entry, name, values[name])
            if entry.name != row.name:
                entry.name = row.name
                fields.append("name")
            if outcome.kind == ChangeKind.RESTORED:
                entry.active, entry.removed_at = True, None
                fields += ["active", "removed_at"]
            updates[tuple(fields)].append(entry)
        history.append(
            EntryChange(
                entry=entry,
                run=run,
                kind=outcome.kind,
                name_before=name_before,
                name_after=rows[outcome.her_id].name if outcome.her_id in rows else entry.name,
                fields=list(outcome.fields),
                at=now,
            )
        )
    for names, entries in updates.items():
        if names:
            RegisterEntry.objects.bulk_update(entries, names, batch_size=BATCH)
    for start in range(0, len(removed), BATCH):
        RegisterEntry.objects.filter(pk__in=removed[start : start + BATCH]).update(active=False, removed_at=now)
    # Every entry still active is in the file: seen now.
    RegisterEntry.objects.filter(partnership=partnership, active=True).update(last_seen=now)
    # bulk_create sets the primary keys (PostgreSQL, and SQLite since 3.35, both return them).
    history += [
        EntryChange(entry=entry, run=run, kind=ChangeKind.NEW, name_after=entry.name, at=now) for entry in created
    ]
    EntryChange.objects.bulk_create(history, batch_size=BATCH)
    result.run = run
    return result


def register_file_hold(*, owner: User, partnership: Partnership, name: str, data: bytes) -> HeldRegisterFile:
    """Keep an uploaded file for its uploader until they confirm or discard it; their older held
    files of the same partnership go, and anyone's held for longer than HELD_FOR."""
    HeldRegisterFile.objects.owned_by(owner.pk).filter(partnership=partnership).delete()
    HeldRegisterFile.objects.filter(created_at__lt=timezone.now() - HELD_FOR).delete()
    return HeldRegisterFile.objects.create(owner=owner, partnership=partnership, name=name[:300], content=data)


@transaction.atomic
def register_file_confirm(*, held: HeldRegisterFile, by: User) -> ImportResult:
    """Import a held file; it is let go once imported, and kept when it was refused."""
    result = register_import(
        partnership=held.partnership, data=bytes(held.content), source=held.name, by=by, dry_run=False
    )
    if result.run is not None:
        held.delete()
    return result


def register_file_discard(*, held: HeldRegisterFile) -> None:
    held.delete()
