"""A person's roles, read once per request: what every permission and scope starts from."""

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from avvik.tenancy.choices import Role
from avvik.tenancy.models import Membership, User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


@dataclass(frozen=True)
class Roles:
    """What a person may do, by organisation and partnership ids, and whose roles they are."""

    # The person the roles belong to: a reporter reads the cases they filed themselves.
    user_id: int | None = None
    reporter_in: frozenset[int] = frozenset()
    handler_in: frozenset[int] = frozenset()
    leader_in: frozenset[int] = frozenset()
    admin_in: frozenset[int] = frozenset()
    message_owner_in: frozenset[int] = frozenset()
    coordinator_of: frozenset[int] = frozenset()
    council_of: frozenset[int] = frozenset()
    partnership_admin_of: frozenset[int] = frozenset()
    partnerships: frozenset[int] = frozenset()
    organisations: frozenset[int] = frozenset()
    # The written form of the person's first organisation (by id): their language when they chose
    # none. Read with the roles, so that no page needs a query of its own for it.
    written_form: str | None = None

    @property
    def is_reporter(self) -> bool:
        return bool(self.reporter_in)

    @property
    def handles_in(self) -> frozenset[int]:
        """Organisations the person handles deviations for: as handler, manager or organisation administrator."""
        return self.handler_in | self.leader_in | self.admin_in

    @property
    def is_handler(self) -> bool:
        return bool(self.handles_in)

    @property
    def reads_only_own_cases(self) -> bool:
        """A reporter who neither handles nor coordinates: reads only the cases they filed."""
        return self.is_reporter and not self.handles_in and not self.coordinator_of

    @property
    def is_coordinator(self) -> bool:
        return bool(self.coordinator_of)

    @property
    def is_partnership_admin(self) -> bool:
        return bool(self.partnership_admin_of)

    @property
    def runs_settings_of(self) -> frozenset[int]:
        """Partnerships whose settings (deadlines, register copy, API clients) the person runs:
        as coordinator or as partnership administrator."""
        return self.coordinator_of | self.partnership_admin_of

    @property
    def runs_settings(self) -> bool:
        return bool(self.runs_settings_of)

    @property
    def is_council(self) -> bool:
        return bool(self.council_of)

    @property
    def has_any(self) -> bool:
        return bool(self.partnerships)


_NO_ROLES = Roles()
_CACHE_ATTR = "_samhandling_roles"
# Stands for the person's id while the roles query is made: never a real primary key.
_ANYONE = -1
_ROLE_VALUES = tuple(Role.values)


@cache
def _roles_sql() -> str:
    """The roles query as SQL, made by the ORM once per process: every signed-in request runs it,
    and making it anew cost more than running it. Unordered: the order of the rows does not matter,
    and the memberships' own order would join the people's table."""
    query = (
        Membership.objects.filter(user_id=_ANYONE, partnership__isnull=False)
        .order_by()
        .values_list("role", "organisation_id", "partnership_id", "organisation__written_form")
        .query
    )
    sql, params = query.get_compiler(connection=connection).as_sql()
    if list(params) != [_ANYONE]:
        raise ImproperlyConfigured(f"the roles query should take only the person's id, not {params!r}")
    return str(sql)


def roles_of(user: "User | AnonymousUser") -> Roles:
    """The person's roles, read once per request and kept on the user object."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return _NO_ROLES
    cached: Roles | None = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    by_role: dict[str, set[int]] = {role: set() for role in _ROLE_VALUES}
    partnerships: set[int] = set()
    organisations: set[int] = set()
    written_forms: dict[int, str] = {}
    with connection.cursor() as cursor:
        cursor.execute(_roles_sql(), [user.pk])
        rows = cursor.fetchall()
    for role, organisation_id, partnership_id, written_form in rows:
        partnerships.add(partnership_id)
        if organisation_id is not None:
            organisations.add(organisation_id)
            written_forms[organisation_id] = written_form
        by_role[role].add(organisation_id if organisation_id is not None else partnership_id)
    roles = Roles(
        user_id=user.pk,
        reporter_in=frozenset(by_role[Role.REPORTER]),
        handler_in=frozenset(by_role[Role.HANDLER]),
        leader_in=frozenset(by_role[Role.LEADER]),
        admin_in=frozenset(by_role[Role.ORG_ADMIN]),
        message_owner_in=frozenset(by_role[Role.MESSAGE_OWNER]),
        coordinator_of=frozenset(by_role[Role.COORDINATOR]),
        council_of=frozenset(by_role[Role.COUNCIL]),
        partnership_admin_of=frozenset(by_role[Role.PARTNERSHIP_ADMIN]),
        partnerships=frozenset(partnerships),
        organisations=frozenset(organisations),
        written_form=written_forms[min(written_forms)] if written_forms else None,
    )
    setattr(user, _CACHE_ATTR, roles)
    return roles
