"""Writes that set how deadlines run: policies and closure days, by the partnership's coordinators."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from avvik.access.roles import roles_of
from avvik.catalogue.choices import Consequence
from avvik.deadlines.due_dates import DEFAULT_ANSWER_DAYS, DEFAULT_TRIAGE_DAYS, SERIOUS_ANSWER_DAYS
from avvik.deadlines.models import ClosureDay, DeadlinePolicy
from avvik.tenancy.models import Partnership, User


def default_policies_create(*, partnership: Partnership) -> None:
    """Triage in 2 working days, answer in 10; significant harm and worse answered in 3."""
    DeadlinePolicy.objects.get_or_create(
        partnership=partnership,
        category=None,
        consequence="",
        defaults={"triage_days": DEFAULT_TRIAGE_DAYS, "answer_days": DEFAULT_ANSWER_DAYS},
    )
    for consequence in (Consequence.SIGNIFICANT, Consequence.VERY_SERIOUS, Consequence.DEATH):
        DeadlinePolicy.objects.get_or_create(
            partnership=partnership,
            category=None,
            consequence=consequence,
            defaults={"triage_days": DEFAULT_TRIAGE_DAYS, "answer_days": SERIOUS_ANSWER_DAYS},
        )


def _coordinated(by: User, partnership_id: int) -> None:
    if partnership_id not in roles_of(by).runs_settings_of:
        raise PermissionDenied(_("Only the partnership's coordinators may change its deadlines."))


@transaction.atomic
def deadline_policy_set(*, by: User, partnership, category, consequence: str, triage_days: int, answer_days: int):
    """Set the working days for a category and consequence (empty = any). Applies to deadlines set from now on."""

    _coordinated(by, partnership.pk)
    policy, _created = DeadlinePolicy.objects.update_or_create(
        partnership=partnership,
        category=category,
        consequence=consequence,
        defaults={"triage_days": triage_days, "answer_days": answer_days},
    )
    return policy


@transaction.atomic
def deadline_policy_delete(*, by: User, policy) -> None:
    _coordinated(by, policy.partnership_id)
    policy.delete()


@transaction.atomic
def closure_day_add(*, by: User, partnership, day, name: str = ""):

    _coordinated(by, partnership.pk)
    closure, _created = ClosureDay.objects.update_or_create(partnership=partnership, date=day, defaults={"name": name})
    return closure


@transaction.atomic
def closure_day_delete(*, by: User, closure) -> None:
    _coordinated(by, closure.partnership_id)
    closure.delete()
