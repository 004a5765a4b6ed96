"""Reading notices: the bell's count and the list, with each notice's text and link decided at
display time from what the reader may read now."""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse

from avvik.cases.models import Deviation
from avvik.cases.queues import CappedCounts, capped_counts_statement, run_capped_counts
from avvik.council.models import CouncilReport
from avvik.inbox.models import SiteNotice, SiteNoticeQuerySet
from avvik.outbox.choices import NotificationKind
from avvik.outbox.emails import HEADLINES

# The bell counts up to this and shows "99+" beyond it.
UNREAD_CAP = 99


def notices_of(user: Any) -> SiteNoticeQuerySet:
    """The person's notices, newest first."""
    return SiteNotice.objects.of(user).order_by("-created_at", "-pk")


def unread_count(user: Any) -> int:
    """The person's unread notices, counted up to UNREAD_CAP + 1 (the partial index
    sitenotice_unread answers it; the count stops at the cap)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return 0  # as SiteNotice.objects.of: nobody's notices
    return run_capped_counts(unread_statement(user.pk), using=SiteNotice.objects.db)[0]


@lru_cache(maxsize=4096)
def unread_statement(person_id: int) -> CappedCounts:
    """The bell's count as SQL, made by the ORM once per person and process: on every page,
    building it cost twice what running it does. The rows are those of SiteNotice.objects.of for a
    signed-in, active person (unread_count checks that first, at every request)."""
    return capped_counts_statement([SiteNotice.objects.filter(recipient_id=person_id).unread()], cap=UNREAD_CAP + 1)


@dataclass(frozen=True)
class NoticeLine:
    """A notice as its reader sees it now: the text, and where it leads, if anywhere."""

    notice: SiteNotice
    text: str
    url: str | None

    @property
    def is_unread(self) -> bool:
        return self.notice.is_unread


def notice_text(kind: str, deviation: Deviation | None) -> str:
    """The e-mail's subject line, in the active language: the case's reference and title only
    when a case is given (one the reader may read)."""
    known = NotificationKind(kind) if kind in NotificationKind.values else None
    headline = HEADLINES.get(known, known.label) if known is not None else kind
    context = {"deviation": deviation, "headline": headline}
    return " ".join(render_to_string("outbox/notification_subject.txt", context).split())


def notice_lines(user: Any, notices: Iterable[SiteNotice]) -> list[NoticeLine]:
    """Each notice with its text and link, checking in two queries which of their cases and
    reports the person may read now (a case no longer visible shows neither link nor details)."""
    notices = list(notices)
    case_ids = {n.deviation_id for n in notices if n.deviation_id}
    cases = (
        {
            case.pk: case
            for case in Deviation.objects.visible_to(user).filter(pk__in=case_ids).only("pk", "reference", "title")
        }
        if case_ids
        else {}
    )
    report_ids = {n.report_id for n in notices if n.report_id}
    reports = (
        set(CouncilReport.objects.visible_to(user).filter(pk__in=report_ids).values_list("pk", flat=True))
        if report_ids
        else set()
    )
    return [_line(notice, cases, reports) for notice in notices]


def notice_target(user: Any, notice: SiteNotice) -> str | None:
    """Where opening the notice leads the person now: the case or report if they may read it."""
    return notice_lines(user, [notice])[0].url


def _line(notice: SiteNotice, cases: dict[int, Deviation], reports: set[int]) -> NoticeLine:
    case = cases.get(notice.deviation_id) if notice.deviation_id else None
    url = None
    if case is not None:
        url = reverse("cases:detail", args=[case.reference])
    elif notice.report_id in reports:
        url = reverse("council:report", args=[notice.report_id])
    return NoticeLine(notice=notice, text=notice_text(notice.kind, case), url=url)
