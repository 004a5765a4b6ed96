"""One case as the reader sees it on its page, gathered once for every export format.

Reads go through the same scoped door as the case page: the case comes from
`deviation_for_user`, the thread from `visible_comments`, so an export never holds more than the
page shows the same person (another organisation's internal notes stay out).
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from avvik.cases import conversation
from avvik.cases.models.deviation import Deviation
from avvik.cases.models.records import Attachment, Transition
from avvik.cases.selectors import visible_comments
from avvik.tenancy.models import User


@dataclass(frozen=True)
class AttachmentFacts:
    """An attachment as listed in an export: its stored bytes identified by size and SHA-256."""

    attachment: Attachment
    name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime


@dataclass(frozen=True)
class CaseRecord:
    """Everything an export of one case holds, for one reader at one moment."""

    deviation: Deviation
    reader: User
    exported_at: datetime
    transitions: list[Transition]
    thread: list[conversation.Entry]
    attachments: list[AttachmentFacts]


def case_record(user: User, deviation: Deviation) -> CaseRecord:
    """The case, its timeline, the thread the person may read and its attachments with checksums.
    The caller has fetched `deviation` through `deviation_for_user`."""
    transitions = list(Transition.objects.filter(deviation=deviation).select_related("by").order_by("at", "pk"))
    comments = visible_comments(user, deviation).select_related("author", "organisation")
    attachments = Attachment.objects.filter(deviation=deviation).order_by("created_at", "pk")
    return CaseRecord(
        deviation=deviation,
        reader=user,
        exported_at=timezone.now(),
        transitions=transitions,
        thread=conversation.thread(comments, transitions),
        attachments=[_facts(attachment) for attachment in attachments],
    )


def _facts(attachment: Attachment) -> AttachmentFacts:
    digest = hashlib.sha256()
    size = 0
    with attachment.file.open("rb") as file:
        for chunk in file.chunks():
            digest.update(chunk)
            size += len(chunk)
    return AttachmentFacts(
        attachment=attachment,
        name=attachment.original_name,
        content_type=attachment.content_type,
        size=size,
        sha256=digest.hexdigest(),
        uploaded_at=attachment.created_at,
    )
