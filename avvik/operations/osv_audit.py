"""Known vulnerabilities in the lock files, checked offline against an OSV snapshot.

pip-audit (``make audit``) asks a vulnerability service over the network for every pinned
package and has no way to read a local database. A hospital build host often has no network,
so ``make audit-offline`` runs this module instead: it reads a snapshot of advisories in the
OSV format (https://ossf.github.io/osv-schema/), either OSV's PyPI export ``all.zip`` as
downloaded or a directory of its JSON files (one advisory per file, unpacked), and reports
every ``name==version`` in the given lock files that an advisory affects.

    python -m avvik.operations.osv_audit --db PATH requirements.txt requirements-dev.txt

An advisory affects a version when the version is in its ``versions`` list, or inside one of
its ``ECOSYSTEM`` ranges: walking the range's events in version order, an ``introduced`` at
or below the version opens it, a ``fixed`` at or below the version closes it, and a
``last_affected`` below the version closes it. ``GIT`` ranges name commits, not releases, and
are not evaluated; PyPA's advisories carry the releases in ``versions`` as well. Withdrawn
advisories are skipped.

Exit status: 0 when no locked version is affected, 1 when one is, 2 when the check could not
be made honestly (no advisories in the snapshot, an unreadable file, a requirement that is not
pinned to one version, a range whose versions cannot be compared, a snapshot older than
``--max-age-days``). Nothing here passes by not looking.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

ECOSYSTEM = "PyPI"

EXIT_CLEAN = 0
EXIT_AFFECTED = 1
EXIT_CANNOT_CHECK = 2


class AuditError(Exception):
    """The check cannot be made: the snapshot or a lock file is not what it must be."""


@dataclass(frozen=True)
class Pin:
    """One ``name==version`` line of a lock file."""

    name: str
    version: str
    source: str


@dataclass(frozen=True)
class Finding:
    """A locked version that an advisory affects."""

    pin: Pin
    advisory_id: str
    aliases: tuple[str, ...]
    summary: str
    fixed_in: tuple[str, ...]


@dataclass
class Snapshot:
    """The PyPI advisories of an OSV export, by canonical package name."""

    by_package: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    advisories: int = 0
    withdrawn: int = 0
    newest_modified: datetime | None = None


# --- Lock files -------------------------------------------------------------------------------


def _logical_lines(text: str) -> Iterator[str]:
    """Lines with comments removed and backslash continuations joined, as pip reads them."""
    pending = ""
    for raw in text.splitlines():
        line = re.sub(r"(^|\s)#.*$", "", raw).rstrip()
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        pending += line
        if pending.strip():
            yield pending.strip()
        pending = ""
    if pending.strip():
        yield pending.strip()


def read_pins(path: Path) -> list[Pin]:
    """Every requirement of a lock file; each must be pinned to exactly one version."""
    pins = []
    for line in _logical_lines(path.read_text(encoding="utf-8")):
        if line.startswith("-"):
            # An option line (--hash on its own, -r, -c, --index-url): not a requirement.
            continue
        text = re.split(r"\s--hash[=\s]", line, maxsplit=1)[0].strip()
        try:
            requirement = Requirement(text)
        except InvalidRequirement as exc:
            raise AuditError(f"{path}: cannot read {text!r}: {exc}") from exc
        specifiers = list(requirement.specifier)
        if len(specifiers) != 1 or specifiers[0].operator not in ("==", "==="):
            raise AuditError(f"{path}: {text!r} is not pinned to one version; audit a lock file (make lock).")
        pins.append(Pin(canonicalize_name(requirement.name), specifiers[0].version, str(path)))
    return pins


# --- The snapshot -----------------------------------------------------------------------------


def _documents(db: Path) -> Iterator[tuple[str, bytes]]:
    if db.is_dir():
        for path in sorted(db.rglob("*.json")):
            yield str(path), path.read_bytes()
    elif db.is_file() and zipfile.is_zipfile(db):
        with zipfile.ZipFile(db) as archive:
            for name in sorted(archive.namelist()):
                if name.endswith(".json"):
                    yield f"{db}:{name}", archive.read(name)
    else:
        raise AuditError(f"{db}: no OSV snapshot here (a directory of JSON files or a .zip).")


def _timestamp(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def load_snapshot(db: Path) -> Snapshot:
    """Read every advisory of the snapshot; an unreadable file stops the check."""
    snapshot = Snapshot()
    for name, content in _documents(db):
        try:
            advisory = json.loads(content)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise AuditError(f"{name}: not an OSV JSON document: {exc}") from exc
        if not isinstance(advisory, dict) or not isinstance(advisory.get("id"), str):
            raise AuditError(f"{name}: not an OSV advisory (no id).")
        snapshot.advisories += 1
        modified = _timestamp(advisory.get("modified"))
        if modified and (snapshot.newest_modified is None or modified > snapshot.newest_modified):
            snapshot.newest_modified = modified
        if advisory.get("withdrawn"):
            snapshot.withdrawn += 1
            continue
        packages = set()
        for affected in advisory.get("affected") or []:
            package = affected.get("package") or {}
            if package.get("ecosystem") == ECOSYSTEM and package.get("name"):
                packages.add(canonicalize_name(package["name"]))
        for package_name in packages:
            snapshot.by_package[package_name].append(advisory)
    if snapshot.advisories == 0:
        raise AuditError(f"{db}: the snapshot holds no advisories.")
    return snapshot


# --- Matching ---------------------------------------------------------------------------------


def _version(value: str, advisory_id: str) -> Version:
    try:
        return Version(value)
    except InvalidVersion as exc:
        raise AuditError(f"{advisory_id}: cannot compare version {value!r}: {exc}") from exc


_BOUNDS = ("introduced", "fixed", "last_affected")


def _event_key(event: dict[str, str], advisory_id: str) -> tuple[int, Version]:
    kind = next(kind for kind in _BOUNDS if kind in event)
    if kind == "introduced" and event[kind] == "0":
        return (0, Version("0"))
    return (1, _version(event[kind], advisory_id))


def in_range(version: Version, events: Sequence[dict[str, str]], advisory_id: str) -> bool:
    """Whether an ECOSYSTEM range's events cover the version (the OSV schema's evaluation)."""
    ordered = sorted(
        (event for event in events if set(event) & set(_BOUNDS)),
        key=lambda event: _event_key(event, advisory_id),
    )
    affected = False
    for event in ordered:
        if "introduced" in event:
            if event["introduced"] == "0" or version >= _version(event["introduced"], advisory_id):
                affected = True
        elif "fixed" in event:
            if version >= _version(event["fixed"], advisory_id):
                affected = False
        elif "last_affected" in event and version > _version(event["last_affected"], advisory_id):
            affected = False
    return affected


def affects(advisory: dict[str, Any], pin: Pin) -> tuple[bool, tuple[str, ...]]:
    """Whether the advisory affects the pinned version, and the versions that fix it."""
    advisory_id = advisory["id"]
    version = _version(pin.version, f"{pin.source}: {pin.name}")
    hit = False
    fixed: list[str] = []
    for affected in advisory.get("affected") or []:
        package = affected.get("package") or {}
        if package.get("ecosystem") != ECOSYSTEM:
            continue
        if canonicalize_name(package.get("name", "")) != pin.name:
            continue
        for listed in affected.get("versions") or []:
            try:
                if Version(listed) == version:
                    hit = True
            except InvalidVersion:
                if listed == pin.version:
                    hit = True
        for range_ in affected.get("ranges") or []:
            if range_.get("type") != "ECOSYSTEM":
                continue
            events = range_.get("events") or []
            if in_range(version, events, advisory_id):
                hit = True
            fixed += [event["fixed"] for event in events if "fixed" in event]
    later = sorted({f for f in fixed if _version(f, advisory_id) > version}, key=Version)
    return hit, tuple(later)


def audit(pins: Iterable[Pin], snapshot: Snapshot, ignore: Iterable[str] = ()) -> list[Finding]:
    """Every pinned version that a (not ignored) advisory of the snapshot affects."""
    ignored = set(ignore)
    findings = []
    seen: set[tuple[str, str, str]] = set()
    for pin in pins:
        for advisory in snapshot.by_package.get(pin.name, []):
            aliases = tuple(advisory.get("aliases") or [])
            if ignored & {advisory["id"], *aliases}:
                continue
            key = (pin.name, pin.version, advisory["id"])
            if key in seen:
                continue
            hit, fixed_in = affects(advisory, pin)
            if hit:
                seen.add(key)
                summary = advisory.get("summary") or advisory.get("details") or ""
                findings.append(
                    Finding(pin, advisory["id"], aliases, summary.splitlines()[0][:120] if summary else "", fixed_in)
                )
    return sorted(findings, key=lambda f: (f.pin.name, f.advisory_id))


# --- Command line -----------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m avvik.operations.osv_audit",
        description="Check the versions pinned in lock files against an offline OSV snapshot.",
    )
    parser.add_argument("lock_files", nargs="+", type=Path, help="requirements lock files")
    parser.add_argument(
        "--db",
        required=True,
        type=Path,
        help="OSV snapshot: the PyPI export all.zip, or a directory of its JSON files",
    )
    parser.add_argument(
        "--ignore-vuln",
        action="append",
        default=[],
        metavar="ID",
        help="an advisory id or alias to leave out (repeatable); write down why in docs/deploy.md",
    )
    parser.add_argument(
        "--max-age-days",
        type=int,
        default=None,
        help="fail when the newest advisory in the snapshot is older than this",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    out = sys.stdout
    try:
        pins = [pin for path in args.lock_files for pin in read_pins(path)]
        snapshot = load_snapshot(args.db)
        if args.max_age_days is not None:
            newest = snapshot.newest_modified
            if newest is None or datetime.now(UTC) - newest > timedelta(days=args.max_age_days):
                raise AuditError(
                    f"{args.db}: the newest advisory is from {newest:%Y-%m-%d}, older than "
                    f"{args.max_age_days} days; fetch a new snapshot."
                    if newest
                    else f"{args.db}: no advisory in the snapshot says when it was modified."
                )
        findings = audit(pins, snapshot, args.ignore_vuln)
    except (AuditError, OSError) as exc:
        print(f"Cannot audit: {exc}", file=sys.stderr)
        return EXIT_CANNOT_CHECK

    packages = {(pin.name, pin.version) for pin in pins}
    dated = f", newest from {snapshot.newest_modified:%Y-%m-%d}" if snapshot.newest_modified else ""
    print(
        f"Checked {len(packages)} pinned packages against {snapshot.advisories} advisories "
        f"({snapshot.withdrawn} withdrawn{dated}) in {args.db}.",
        file=out,
    )
    for finding in findings:
        aliases = f" ({', '.join(finding.aliases)})" if finding.aliases else ""
        fixed = ", ".join(finding.fixed_in) or "no fixed release"
        print(
            f"{finding.pin.name} {finding.pin.version}: {finding.advisory_id}{aliases}; "
            f"fixed in: {fixed}. {finding.summary}".rstrip(),
            file=out,
        )
    if findings:
        print(f"{len(findings)} known vulnerabilities found.", file=out)
        return EXIT_AFFECTED
    print("No known vulnerabilities found.", file=out)
    return EXIT_CLEAN


if __name__ == "__main__":
    sys.exit(main())
