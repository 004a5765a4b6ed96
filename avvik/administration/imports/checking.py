"""The dry run of a people file: what each row would do, before anything is saved.

A file of 10,000 rows is checked within a request: organisations, units, people and their
memberships are read once for the whole file (people in chunks), never per row."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.translation import gettext

from avvik.access.roles import Roles
from avvik.administration.imports.parsing import PersonRow, read
from avvik.administration.scope import grantable_roles
from avvik.tenancy.choices import Role
from avvik.tenancy.models import Membership, Organisation, Partnership, Unit, User

INVITE = "invite"
NOTHING = "nothing"
ERROR = "error"
CHUNK = 500  # addresses per query: well below every database's limit on parameters


@dataclass
class RowResult:
    """What one row would do: be invited, nothing (the person has the roles), or its errors."""

    line: int
    email: str
    name: str
    organisation: Organisation | None = None
    unit: Unit | None = None
    roles: tuple[str, ...] = ()
    errors: list[str] = field(default_factory=list)
    outcome: str = INVITE

    def role_labels(self) -> list[str]:
        return [str(Role(role).label) for role in self.roles]


@dataclass
class DryRun:
    results: list[RowResult] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    encoding: str = ""

    @property
    def error_rows(self) -> int:
        return sum(1 for result in self.results if result.outcome == ERROR)

    @property
    def to_invite(self) -> int:
        return sum(1 for result in self.results if result.outcome == INVITE)

    @property
    def nothing(self) -> int:
        return sum(1 for result in self.results if result.outcome == NOTHING)

    @property
    def can_import(self) -> bool:
        """Nothing half-imported: any error keeps the whole file out."""
        return not self.file_errors and not self.error_rows and self.to_invite > 0


def _role_names() -> dict[str, str]:
    """Each role by its value and by its name in English, bokmål and nynorsk (lower case)."""
    names = {}
    for role in Role:
        names[role.value] = role.value
        for language in ("en", "nb", "nn"):
            with translation.override(language):
                names[str(role.label).lower()] = role.value
    return names


def _chunks(values: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


class _Lookups:
    """Everything a row is checked against, read once."""

    def __init__(self, partnership: Partnership, emails: list[str]) -> None:
        organisations = list(Organisation.objects.filter(partnership=partnership, is_active=True))
        self.organisations: dict[str, Organisation] = {}
        for organisation in organisations:
            self.organisations.setdefault(organisation.name.strip().lower(), organisation)
            for number in (organisation.organisation_number, organisation.her_id):
                if number:
                    self.organisations[number.replace(" ", "")] = organisation
        self.units: dict[tuple[int, str], Unit] = {}
        for unit in Unit.objects.filter(organisation__partnership=partnership, is_active=True):
            self.units.setdefault((unit.organisation_id, unit.name.strip().lower()), unit)
            if unit.her_id:
                self.units[(unit.organisation_id, unit.her_id)] = unit
        self.active: set[str] = set()
        ids: dict[int, str] = {}
        for chunk in _chunks(sorted(set(emails))):
            for pk, email, is_active in User.objects.filter(email__in=chunk).values_list("pk", "email", "is_active"):
                if is_active:
                    ids[pk] = email.lower()
        self.held: dict[tuple[str, int], set[str]] = defaultdict(set)
        people = list(ids)
        for start in range(0, len(people), CHUNK):
            held = Membership.objects.filter(
                user_id__in=people[start : start + CHUNK], partnership=partnership, organisation__isnull=False
            ).values_list("user_id", "organisation_id", "role")
            for user_id, organisation_id, role in held:
                self.held[(ids[user_id], organisation_id)].add(role)
        self.role_names = _role_names()


def people_dry_run(*, roles: Roles, partnership: Partnership, data: bytes) -> DryRun:
    """Check every row of the file for `roles` (the uploader's) in `partnership`; save nothing."""
    people = read(data)
    dry_run = DryRun(file_errors=people.errors, encoding=people.encoding)
    if people.errors:
        return dry_run
    lookups = _Lookups(partnership, [row.email.lower() for row in people.rows])
    first_line: dict[str, int] = {}
    for row in people.rows:
        result = _check(row, lookups=lookups, roles=roles, partnership=partnership)
        email = row.email.lower()
        if email and email in first_line:
            result.errors.append(gettext("The e-mail address is also on line {line}.").format(line=first_line[email]))
        first_line.setdefault(email, row.line)
        if result.errors:
            result.outcome = ERROR
        elif result.organisation is not None and lookups.held.get((email, result.organisation.pk), set()).issuperset(
            result.roles
        ):
            result.outcome = NOTHING
        dry_run.results.append(result)
    return dry_run


def _check(row: PersonRow, *, lookups: _Lookups, roles: Roles, partnership: Partnership) -> RowResult:
    result = RowResult(line=row.line, email=row.email.lower(), name=row.name)
    errors = result.errors
    if row.formulas:
        # Refused, not stored: nothing in a row may be run by a spreadsheet that opens it later.
        errors.extend(
            gettext("“{value}” looks like a spreadsheet formula and is refused.").format(value=value)
            for value in row.formulas
        )
        return result
    if row.extra_cells:
        errors.append(
            gettext(
                "The line has more cells than the first line names. Separate several roles with a comma "
                "when the cells are separated by semicolons."
            )
        )
    if not row.email:
        errors.append(gettext("The e-mail address is missing."))
    else:
        try:
            validate_email(row.email)
        except ValidationError:
            errors.append(gettext("“{value}” is not a valid e-mail address.").format(value=row.email))
    if not row.name:
        errors.append(gettext("The name is missing."))
    elif len(row.name) > 200:
        errors.append(gettext("The name is longer than 200 characters."))
    organisation = lookups.organisations.get(row.organisation.strip().lower()) or lookups.organisations.get(
        row.organisation.replace(" ", "")
    )
    if not row.organisation:
        errors.append(gettext("The organisation is missing."))
    elif organisation is None:
        errors.append(
            gettext("The organisation “{value}” is not known in this partnership.").format(value=row.organisation)
        )
    elif not grantable_roles(roles, partnership=partnership, organisation=organisation):
        errors.append(gettext("You do not administer people in {organisation}.").format(organisation=organisation.name))
        organisation = None
    result.organisation = organisation
    if row.unit and organisation is not None:
        unit = lookups.units.get((organisation.pk, row.unit.lower())) or lookups.units.get((organisation.pk, row.unit))
        if unit is None:
            errors.append(
                gettext("The unit “{value}” is not known in {organisation}.").format(
                    value=row.unit, organisation=organisation.name
                )
            )
        result.unit = unit
    found = []
    for name in (part.strip() for part in row.roles.replace(",", ";").split(";")):
        if not name:
            continue
        role = lookups.role_names.get(name.lower())
        if role is None:
            errors.append(gettext("The role “{value}” is not known.").format(value=name))
        elif organisation is not None and role not in grantable_roles(
            roles, partnership=partnership, organisation=organisation
        ):
            errors.append(gettext("You may not give the role “{value}”.").format(value=name))
        else:
            found.append(role)
    if not row.roles.strip():
        errors.append(gettext("The roles are missing."))
    result.roles = tuple(dict.fromkeys(found))
    return result
