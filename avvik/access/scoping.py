"""The one door for reads. Every model that belongs to a partnership answers `visible_to(user)`
through a ScopedQuerySet that says, in `scope()`, which rows a person's roles let them read.

The rules share the building blocks below, so a rule is changed in one place: the case rule
(what a person may read of cases, and so of everything that hangs on a case) and the
partnership rule (what members of a partnership may read of its settings). Tenancy's own
models sit below this area; their reads start from the functions at the end of this module.
"""

from typing import TYPE_CHECKING, Any, Self, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import F, Q, QuerySet

from avvik.access.roles import Roles, roles_of
from avvik.core.literals import WrittenExact, WrittenIn
from avvik.tenancy.models import Organisation, Partnership, User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


_M = TypeVar("_M", bound=models.Model)


class ScopedQuerySet(models.QuerySet[_M]):
    """A queryset whose rows belong to a partnership; reads start from `visible_to(user)`."""

    def visible_to(self, user: Any) -> Self:
        """The rows the person may read; none for anonymous, inactive or role-less people.
        Administrators (superusers) see everything; what they open is access-logged."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        rule = self.scope(roles_of(user), user)
        return self.none() if rule is None else self.filter(rule)

    def scope(self, roles: Roles, user: User) -> Q | None:
        """The condition on rows the person may read, or None for no row at all."""
        raise ImproperlyConfigured(f"{type(self).__name__} must say in scope() who may read {self.model.__name__}.")


def case_rule(roles: Roles, path: str = "") -> Q | None:
    """The cases a person may read; `path` leads from the queried model to the case ("deviation__").

    Need to know: coordinators read every case of their partnership; handlers and organisation
    administrators read the cases their organisation reported and those forwarded to it as
    responsible; a reporter (and a message traffic owner) reads the cases they filed themselves, for
    an organisation they still report for (the only person a case ever asks, "Ask the reporter", is
    the one who filed it).
    Council members read no single case.
    """
    # As a member of organisations: as a handler, all the organisation reported or is responsible
    # for; as a reporter only, one's own filings (where one also handles, one reads all of it anyway).
    as_member: list[Q] = []
    if roles.handles_in:
        as_member.append(Q(**{f"{path}reporting_organisation__in": roles.handles_in}))
        as_member.append(Q(**{f"{path}responsible_organisation__in": roles.handles_in}))
    # A message traffic owner is the reporter of the system deviations monitoring opens for their
    # organisation (avvik.traffic) and reads them as a reporter reads their own.
    reports_only_in = (roles.reporter_in | roles.message_owner_in) - roles.handles_in
    if reports_only_in and roles.user_id is not None:
        # Written into the statement: a plan kept for the average reporter (a score of cases) sorts
        # every case of one who filed thousands, where their own index reads only the page.
        own_filings = Q(
            WrittenExact(F(f"{path}reporter_id"), roles.user_id),
            WrittenIn(F(f"{path}reporting_organisation_id"), sorted(reports_only_in)),
        )
        as_member.append(own_filings)
    rule = Q(**{f"{path}partnership__in": roles.coordinator_of}) if roles.coordinator_of else None
    if as_member:
        # The partnership follows from the organisation; saying so, around every branch, lets the
        # database walk the partnership's newest-first index instead of sorting every case of a large
        # organisation, and a reporter alone the reporter's index (see Deviation.Meta.indexes).
        either = as_member[0]
        for branch in as_member[1:]:
            either |= branch
        member_rule = Q(**{f"{path}partnership__in": roles.partnerships}) & either
        rule = member_rule if rule is None else rule | member_rule
    return rule


def internal_note_rule(roles: Roles) -> Q:
    """The thread messages of a readable case a person may read: the shared ones, and internal notes
    only for those who handle for the writer's organisation, the partnership's coordinators and
    the note's own writer. Being a member of the organisation is not enough: a reporter reads no
    internal note but their own."""
    rule = Q(is_internal=False)
    if roles.handles_in:
        rule |= Q(organisation__in=roles.handles_in)
    if roles.coordinator_of:
        rule |= Q(deviation__partnership__in=roles.coordinator_of)
    if roles.user_id is not None:
        rule |= Q(author_id=roles.user_id)
    return rule


def partnership_rule(partnership_ids: frozenset[int], path: str = "partnership") -> Q | None:
    """Rows of these partnerships; `path` leads from the queried model to its partnership."""
    return Q(**{f"{path}__in": partnership_ids}) if partnership_ids else None


def partnerships_visible_to(user: "User | AnonymousUser") -> QuerySet[Partnership]:
    return Partnership.objects.filter(pk__in=roles_of(user).partnerships)


def organisations_visible_to(user: "User | AnonymousUser") -> QuerySet[Organisation]:
    """The active organisations of the partnerships the person belongs to."""
    return Organisation.objects.filter(partnership__in=roles_of(user).partnerships, is_active=True)
