"""Reads about the relations of a case: those the reader may see, and suggestions for the contact point."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from avvik.cases.choices import RelationKind, Status
from avvik.cases.models import Deviation, Relation
from avvik.tenancy.models import User

SUGGESTIONS = 5
# Two reports of one event are rarely filed more than this far apart in when it happened.
SUGGESTION_WINDOW = timedelta(days=2)
# What the case page shows of another case (its reference, title and status) and what orders them.
# Reading these columns alone, not the fifty of a case, makes the query several times cheaper for
# Django to build (about 1 ms each on the case page); the page must not read other fields of them.
SHOWN = ("reference", "title", "status", "created_at")

# How a relation reads from each side: the source's phrase, then the target's.
PHRASES: dict[str, tuple[Promise, Promise]] = {
    RelationKind.SAME_EVENT: (_("Same event as"), _("Same event as")),
    RelationKind.DUPLICATE_OF: (_("Duplicate of"), _("Has a duplicate")),
    RelationKind.CAUSED_BY: (_("Caused by"), _("Led to")),
}


@dataclass(frozen=True)
class Related:
    relation: Relation
    other: Deviation
    phrase: str


def relations_of(user: User, deviation: Deviation) -> list[Related]:
    """The case's relations whose other case the reader may read; the rest are not mentioned."""
    relations = (
        Relation.objects.visible_to(user)
        .filter(Q(source=deviation) | Q(target=deviation))
        .select_related("source", "target")
        .only("kind", "source", "target", *(f"{side}__{name}" for side in ("source", "target") for name in SHOWN))
    )
    result = []
    for relation in relations:
        from_source = relation.source_id == deviation.pk
        other = relation.target if from_source else relation.source
        result.append(Related(relation, other, str(PHRASES[relation.kind][0 if from_source else 1])))
    return result


def merged_duplicates(user: User, deviation: Deviation) -> QuerySet[Deviation]:
    """The duplicates merged into this case that the reader may read."""
    return Deviation.objects.visible_to(user).filter(merged_into=deviation).order_by("created_at").only(*SHOWN)


def merged_into(user: User, deviation: Deviation) -> Deviation | None:
    """The main case a merged duplicate was merged into, if the reader may read it."""
    if deviation.merged_into_id is None:
        return None
    return Deviation.objects.visible_to(user).filter(pk=deviation.merged_into_id).only(*SHOWN).first()


def suggestions(user: User, deviation: Deviation) -> list[Deviation]:
    """Up to five cases of the partnership that may be about the same event: the same message id,
    or the same two organisations (either way round) or the same HER-id pair and message type, with
    the event within two days. Cases already related or merged are left out."""
    near = Q(
        occurred_at__gte=deviation.occurred_at - SUGGESTION_WINDOW,
        occurred_at__lte=deviation.occurred_at + SUGGESTION_WINDOW,
    )
    this, that = deviation.reporting_organisation_id, deviation.counterpart_id
    alike = Q(reporting_organisation=this, counterpart=that) | Q(reporting_organisation=that, counterpart=this)
    if deviation.sender_her_id and deviation.receiver_her_id and deviation.message_type:
        alike |= Q(
            sender_her_id=deviation.sender_her_id,
            receiver_her_id=deviation.receiver_her_id,
            message_type=deviation.message_type,
        )
    related = Relation.objects.filter(Q(source=deviation) | Q(target=deviation))
    candidates = (
        Deviation.objects.visible_to(user)
        .filter(partnership_id=deviation.partnership_id)
        .exclude(pk=deviation.pk)
        .exclude(status=Status.MERGED)
        .exclude(pk__in=related.values("source"))
        .exclude(pk__in=related.values("target"))
        .order_by("-created_at", "-pk")
        .only(*SHOWN)
    )
    # Each kind read through its own index (the event's days; the message id): one query OR'ing
    # them walked the partnership's cases from the newest until five matched, 0.6 s at 78,000 cases.
    found = {case.pk: case for case in candidates.filter(near & alike)[:SUGGESTIONS]}
    if deviation.message_id:
        # Said outright, not only implied by the id: a kept plan then knows it may use the index on
        # message ids, which leaves out the empty one.
        same_message = candidates.exclude(message_id="").filter(message_id=deviation.message_id)
        found.update((case.pk, case) for case in same_message[:SUGGESTIONS])
    return sorted(found.values(), key=lambda case: (case.created_at, case.pk), reverse=True)[:SUGGESTIONS]
