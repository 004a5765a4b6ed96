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
from django.db.models import Q, QuerySet

from avvik.access.roles import Roles, roles_of
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

    Coordinators read every case of their partnership. Members of an organisation read the cases
    it reported and those forwarded to it as responsible. Council members read no single case.
    """
    member_of = roles.reporter_in | roles.handles_in
    if not roles.coordinator_of and not member_of:
        return None
    # The partnership follows from the organisation; saying so lets the database walk the
    # partnership's newest-first index instead of sorting every case of a large organisation.
    reported_or_responsible = Q(**{f"{path}reporting_organisation__in": member_of}) | Q(
        **{f"{path}responsible_organisation__in": member_of}
    )
    return Q(**{f"{path}partnership__in": roles.coordinator_of}) | (
        Q(**{f"{path}partnership__in": roles.partnerships}) & reported_or_responsible
    )


def partnership_rule(partnership_ids: frozenset[int], path: str = "partnership") -> Q | None:
    """Rows of these partnerships; `path` leads from the queried model to its partnership."""
    return Q(**{f"{path}__in": partnership_ids}) if partnership_ids else None


def partnerships_visible_to(user: "User | AnonymousUser") -> QuerySet[Partnership]:
    return Partnership.objects.filter(pk__in=roles_of(user).partnerships)


def organisations_visible_to(user: "User | AnonymousUser") -> QuerySet[Organisation]:
    """The active organisations of the partnerships the person belongs to."""
    return Organisation.objects.filter(partnership__in=roles_of(user).partnerships, is_active=True)
