"""Writes of the partnership administrator: organisations, units, the catalogue and the
partnership's own settings. Every write checks that the person administers the partnership
the row belongs to; the audit log records what changed."""

from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from avvik.access.roles import roles_of
from avvik.catalogue.models import AgreementClause, Category
from avvik.tenancy.models import Organisation, Partnership, Unit, User

_Row = TypeVar("_Row", bound=models.Model)


def _check_admin(by: User, partnership_id: int) -> None:
    if partnership_id not in roles_of(by).partnership_admin_of:
        raise PermissionDenied(_("Only the partnership's administrators may change its settings."))


def _her_id_taken(*, partnership_id: int, her_id: str, organisation: Organisation | None, unit: Unit | None) -> bool:
    """Whether another organisation or unit of the partnership already has this HER-id."""
    organisations = Organisation.objects.filter(partnership_id=partnership_id, her_id=her_id)
    units = Unit.objects.filter(organisation__partnership_id=partnership_id, her_id=her_id)
    if organisation is not None and organisation.pk:
        organisations = organisations.exclude(pk=organisation.pk)
    if unit is not None and unit.pk:
        units = units.exclude(pk=unit.pk)
    return organisations.exists() or units.exists()


def _check_her_id(
    *, partnership_id: int, her_id: str, organisation: Organisation | None = None, unit: Unit | None = None
) -> None:
    # One HER-id is one party in the address register: two rows with it would split its cases.
    if her_id and _her_id_taken(partnership_id=partnership_id, her_id=her_id, organisation=organisation, unit=unit):
        raise ValidationError(
            {"her_id": _("Another organisation or unit of the partnership already has this HER-id.")},
            code="her_id_taken",
        )


def _save(row: _Row, data: dict[str, Any]) -> _Row:
    for name, value in data.items():
        setattr(row, name, value)
    # The model's own checks, constraints across the partnership included, before anything is stored.
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def organisation_save(
    *, by: User, partnership: Partnership, data: dict[str, Any], organisation: Organisation | None = None
) -> Organisation:
    """Create an organisation in the partnership, or change one of its own."""
    row = organisation or Organisation(partnership=partnership)
    _check_admin(by, row.partnership_id)
    _check_her_id(partnership_id=row.partnership_id, her_id=data.get("her_id", ""), organisation=row)
    return _save(row, data)


@transaction.atomic
def unit_save(*, by: User, organisation: Organisation, data: dict[str, Any], unit: Unit | None = None) -> Unit:
    """Create a unit in the organisation, or change one of its own."""
    row = unit or Unit(organisation=organisation)
    _check_admin(by, organisation.partnership_id)
    _check_her_id(partnership_id=organisation.partnership_id, her_id=data.get("her_id", ""), unit=row)
    return _save(row, data)


@transaction.atomic
def category_save(
    *, by: User, partnership: Partnership, data: dict[str, Any], category: Category | None = None
) -> Category:
    row = category or Category(partnership=partnership)
    _check_admin(by, row.partnership_id)
    return _save(row, data)


@transaction.atomic
def clause_save(
    *, by: User, partnership: Partnership, data: dict[str, Any], clause: AgreementClause | None = None
) -> AgreementClause:
    row = clause or AgreementClause(partnership=partnership)
    _check_admin(by, row.partnership_id)
    return _save(row, data)


def _partnership_id(row: Organisation | Unit | Category | AgreementClause) -> int:
    return row.organisation.partnership_id if isinstance(row, Unit) else row.partnership_id


@transaction.atomic
def active_set(*, by: User, row: Organisation | Unit | Category | AgreementClause, active: bool) -> None:
    """Deactivate or reactivate a row. Rows are never deleted here: cases keep pointing to them,
    and an inactive one is only no longer offered for new cases."""
    _check_admin(by, _partnership_id(row))
    if row.is_active == active:
        return
    row.is_active = active
    row.save(update_fields=["is_active"])


@transaction.atomic
def partnership_settings_save(*, by: User, partnership: Partnership, data: dict[str, Any]) -> Partnership:
    """The partnership's name, written form and the name of its council (not the small-count
    threshold: that is a recorded decision of the council)."""
    _check_admin(by, partnership.pk)
    allowed = {"name", "written_form", "council_name"}
    if not set(data) <= allowed:
        raise ValueError(f"Not a setting of this page: {sorted(set(data) - allowed)}")
    return _save(partnership, data)
