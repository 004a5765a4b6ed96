"""Reads of the partnership administrator's pages, scoped to the partnerships the person administers."""

from django.db.models import Count, QuerySet

from avvik.access.roles import roles_of
from avvik.catalogue.models import AgreementClause, Category
from avvik.register.choices import EntryKind
from avvik.register.models import RegisterEntry
from avvik.tenancy.models import Organisation, Partnership, Unit, User


def administered_partnerships(user: User) -> QuerySet[Partnership]:
    return Partnership.objects.filter(pk__in=roles_of(user).partnership_admin_of).order_by("name")


def organisations_administered(user: User) -> QuerySet[Organisation]:
    """Every organisation, active or not, of the partnerships the person administers."""
    return Organisation.objects.filter(partnership__in=roles_of(user).partnership_admin_of)


def units_administered(user: User) -> QuerySet[Unit]:
    return Unit.objects.filter(organisation__partnership__in=roles_of(user).partnership_admin_of).select_related(
        "organisation__partnership"
    )


def categories_administered(user: User) -> QuerySet[Category]:
    return Category.objects.visible_to(user).filter(partnership__in=roles_of(user).partnership_admin_of)


def clauses_administered(user: User) -> QuerySet[AgreementClause]:
    return AgreementClause.objects.visible_to(user).filter(partnership__in=roles_of(user).partnership_admin_of)


def organisation_list(partnership: Partnership) -> QuerySet[Organisation]:
    return partnership.organisations.annotate(unit_count=Count("units")).order_by("-is_active", "name")


def register_entries_offered(partnership: Partnership) -> QuerySet[RegisterEntry]:
    """Organisations of the partnership's register copy that are not yet one of its organisations."""
    taken = partnership.organisations.exclude(her_id="").values("her_id")
    return RegisterEntry.objects.filter(partnership=partnership, kind=EntryKind.ORGANISATION, active=True).exclude(
        her_id__in=taken
    )
