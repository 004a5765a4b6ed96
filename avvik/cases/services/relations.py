"""Relating two cases of a partnership, and merging a duplicate into its main case."""

from django.db import transaction
from django.utils.translation import gettext as _

from avvik.access.roles import roles_of
from avvik.cases.choices import Action, RelationKind
from avvik.cases.models import Deviation, Relation
from avvik.cases.permissions import is_coordinator_of
from avvik.cases.services.transitions import TransitionRefused, deviation_transition
from avvik.tenancy.models import User


class RelationRefused(TransitionRefused):
    """The person may not relate these two cases, or they cannot be related."""


def may_relate(user: User, deviation: Deviation, other: Deviation | None = None) -> bool:
    """The partnership's coordinators, and handlers who read both cases."""
    if is_coordinator_of(user, deviation):
        return True
    if not roles_of(user).is_handler:
        return False
    wanted = {deviation.pk} | ({other.pk} if other is not None else set())
    return Deviation.objects.visible_to(user).filter(pk__in=wanted).count() == len(wanted)


@transaction.atomic
def relation_add(*, source: Deviation, target: Deviation, kind: str, by: User) -> Relation:
    """Relate `source` to `target` ("source <kind> target"); the existing relation of the pair, in
    either direction, when there is one already."""
    if kind not in RelationKind.values:
        raise RelationRefused(_("Choose how the cases are related."))
    if source.partnership_id != target.partnership_id:
        raise RelationRefused(_("Only cases of the same partnership can be related."))
    if source.pk == target.pk:
        raise RelationRefused(_("A case cannot be related to itself."))
    if not may_relate(by, source, target):
        raise RelationRefused(_("You may not relate these cases."))
    existing = (
        Relation.objects.select_for_update().filter(source__in=(source, target), target__in=(source, target)).first()
    )
    if existing is not None:
        return existing
    return Relation.objects.create(
        partnership_id=source.partnership_id, source=source, target=target, kind=kind, created_by=by
    )


@transaction.atomic
def relation_remove(*, relation: Relation, by: User) -> None:
    if not may_relate(by, relation.source, relation.target):
        raise RelationRefused(_("You may not remove this relation."))
    relation.delete()


def deviation_merge(
    *, duplicate: Deviation, into: Deviation, by: User, note: str = "", version: int | None = None
) -> Deviation:
    """Merge `duplicate` into its main case: a lifecycle step (LIFECYCLE[Action.MERGE]) that the
    contact point takes, recorded and told like every other."""
    return deviation_transition(deviation=duplicate, by=by, action=Action.MERGE, note=note, version=version, into=into)
