"""Writes for the council's side: volumes, approved case summaries, and quarterly reports."""

import hashlib
import logging
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from avvik.access.people import council_members_of
from avvik.access.roles import roles_of
from avvik.cases.models.deviation import Deviation
from avvik.cases.permissions import is_coordinator_of
from avvik.core import queue
from avvik.council.choices import ReportStatus
from avvik.council.freezing import published_figures
from avvik.council.models import CouncilReport, ThresholdDecision, Volume
from avvik.council.pdf import render_report_html, render_report_pdf
from avvik.council.periods import Period
from avvik.council.selectors import council_summaries, may_read_statistics
from avvik.deadlines.due_dates import calendar_for
from avvik.outbox.choices import NotificationKind
from avvik.outbox.writing import notify
from avvik.tenancy.models import Organisation, Partnership, User

logger = logging.getLogger(__name__)


@transaction.atomic
def volume_set(*, by: User, organisation: Organisation, year: int, quarter: int, kind: str, amount: int) -> Volume:
    if organisation.partnership_id not in roles_of(by).coordinator_of:
        raise PermissionDenied(_("Only the partnership's coordinators may enter volumes."))
    volume, _created = Volume.objects.update_or_create(
        organisation=organisation, year=year, quarter=quarter, kind=kind.strip(), defaults={"amount": amount}
    )
    return volume


@transaction.atomic
def council_summary_set(*, by: User, deviation: Deviation, text: str) -> Deviation:
    """A coordinator approves the anonymised text the council's report shows for this case."""
    if not is_coordinator_of(by, deviation):
        raise PermissionDenied(_("Only the contact point approves summaries for the council."))
    Deviation.objects.filter(pk=deviation.pk).update(
        council_summary=text.strip(), council_summary_by=by if text.strip() else None
    )
    deviation.refresh_from_db()
    return deviation


THRESHOLD_RANGE = (2, 50)  # as Partnership.small_count_threshold's validators


@transaction.atomic
def threshold_change(
    *, by: User, partnership: Partnership, new_threshold: int, decided_on, reference: str, reason: str
) -> ThresholdDecision:
    """Change the council's small-count threshold as a recorded decision of the partnership.

    Periods already published keep the threshold they were frozen with (freezing.py); the new one
    applies to periods not yet shown to the council."""
    if partnership.pk not in roles_of(by).partnership_admin_of:
        raise PermissionDenied(_("Only the partnership's administrators may change the threshold."))
    errors = {}
    if not reference.strip():
        errors["reference"] = _("Give the meeting or case where the change was decided.")
    if not reason.strip():
        errors["reason"] = _("Give the reason for the change.")
    low, high = THRESHOLD_RANGE
    if not low <= new_threshold <= high:
        errors["new_threshold"] = _("The threshold must be from %(low)s to %(high)s.") % {"low": low, "high": high}
    # Locked, so two changes at once each record the value they replace.
    locked = Partnership.objects.select_for_update().get(pk=partnership.pk)
    if new_threshold == locked.small_count_threshold:
        errors["new_threshold"] = _("The threshold is %(threshold)s already.") % {
            "threshold": locked.small_count_threshold
        }
    if errors:
        raise ValidationError(errors)
    decision = ThresholdDecision.objects.create(
        partnership=locked,
        old_threshold=locked.small_count_threshold,
        new_threshold=new_threshold,
        decided_on=decided_on,
        reference=reference.strip(),
        reason=reason.strip(),
        recorded_by=by,
    )
    Partnership.objects.filter(pk=locked.pk).update(small_count_threshold=new_threshold)
    partnership.small_count_threshold = new_threshold
    return decision


# Reports waiting or being made at once: per person, and per partnership (a PDF takes a worker for
# seconds to minutes; nobody may fill the queue).
REPORTS_PER_PERSON = 2
REPORTS_PER_PARTNERSHIP = 6


class TooManyReports(PermissionDenied):
    """The person or the partnership has as many reports waiting as allowed; nothing was queued."""


class NotAReportPeriod(ValueError):
    """Not a completed quarter or year; nothing was queued."""


def report_request(
    *, partnership: Partnership, period: Period, by: User | None = None, automatic: bool = False
) -> CouncilReport | None:
    """Queue a new version of the report; None when the automatic one for the period exists already.

    Reports are archived for the council, so they cover completed quarters and years only."""
    if not period.completed(timezone.localdate()):
        raise NotAReportPeriod(_("Reports are made for completed quarters and years only."))
    if by is not None and not may_read_statistics(by, partnership.pk):
        raise PermissionDenied(_("You may not make reports for this partnership."))
    if by is not None:
        unfinished = CouncilReport.objects.filter(
            partnership=partnership, status__in=(ReportStatus.PENDING, ReportStatus.RUNNING)
        )
        if unfinished.filter(requested_by=by).count() >= REPORTS_PER_PERSON:
            raise TooManyReports(_("You already have reports being made. Wait until they are ready, then try again."))
        if unfinished.count() >= REPORTS_PER_PARTNERSHIP:
            raise TooManyReports(_("Many reports are being made for the partnership now. Try again in a few minutes."))
    try:
        with transaction.atomic():
            latest = CouncilReport.objects.filter(
                partnership=partnership, period_start=period.start, period_end=period.end
            ).aggregate(Max("version"))["version__max"]
            report = CouncilReport.objects.create(
                partnership=partnership,
                period_label=period.stored_label,
                period_start=period.start,
                period_end=period.end,
                version=(latest or 0) + 1,
                automatic=automatic,
                requested_by=by,
            )
            transaction.on_commit(lambda: _enqueue_report(report.pk))
    except IntegrityError:  # another beat made this automatic report, or took the version number
        return None
    return report


# The task that builds one report (avvik.council.tasks), named here so that services need not import it.
BUILD_TASK = "avvik.council.tasks.build_council_report"
# A report build may take this long; a claim older than this belongs to a worker that died.
REPORT_TIME_LIMIT = 900


def _enqueue_report(report_id: int) -> None:
    """Queue the build; when the broker is down, the report sweep picks it up."""
    queue.dispatch(BUILD_TASK, report_id)


def report_build(*, report_id: int) -> bool:
    """Render and archive one report; True when this call made it."""
    claimed_at = timezone.now()
    claimed = CouncilReport.objects.filter(pk=report_id, status=ReportStatus.PENDING).update(
        status=ReportStatus.RUNNING, progress=5, claimed_at=claimed_at
    )
    if not claimed:
        return False
    report = CouncilReport.objects.select_related("partnership").get(pk=report_id)
    ours = CouncilReport.objects.filter(pk=report_id, status=ReportStatus.RUNNING, claimed_at=claimed_at)
    try:
        period = Period(report.period_start, report.period_end, report.period_label)
        # Labels made while counting (consequences, backlog ages) must be in the report's language.
        with translation.override(report.partnership.written_form):
            stats, figures = published_figures(report.partnership, period)
            summaries = council_summaries(report.partnership, period)
        _progress(report, 40)
        generated_at = timezone.now()
        html = render_report_html(
            stats,
            summaries=summaries,
            generated_at=generated_at,
            language=report.partnership.written_form,
            figures=figures,
        )
        _progress(report, 60)
        pdf = render_report_pdf(html)
        _progress(report, 90)
        name = f"{report.partnership.slug}-{period.stored_label.replace(' ', '')}-v{report.version}.pdf"
        report.file.save(name, ContentFile(pdf), save=False)
    except Exception as exc:
        ours.update(status=ReportStatus.FAILED, error=repr(exc)[:2000])
        raise
    # Done and the council told, or neither: a worker that dies in between leaves the report
    # running, and after the lease another builds it again.
    with transaction.atomic():
        finished = ours.update(
            file=report.file.name,
            sha256=hashlib.sha256(pdf).hexdigest(),
            size=len(pdf),
            generated_at=generated_at,
            status=ReportStatus.DONE,
            progress=100,
        )
        if not finished:
            # The lease ran out and another worker took the report over; its file is the one kept.
            report.file.delete(save=False)
            return False
        council = council_members_of(report.partnership_id)
        notify(kind=NotificationKind.REPORT_READY, recipients=council, report=report, threshold=f"r{report.pk}")
    return True


def reports_requeue(*, lease_seconds: int) -> list[int]:
    """Hands reports whose worker died back to the queue, and queues those still waiting.
    A pending report is left alone for a minute: its own message is probably on the way."""
    now = timezone.now()
    CouncilReport.objects.filter(
        status=ReportStatus.RUNNING, claimed_at__lt=now - timedelta(seconds=lease_seconds)
    ).update(status=ReportStatus.PENDING, progress=0)
    waiting = list(
        CouncilReport.objects.filter(
            Q(claimed_at__isnull=True, requested_at__lt=now - timedelta(minutes=1)) | Q(claimed_at__isnull=False),
            status=ReportStatus.PENDING,
        ).values_list("pk", flat=True)
    )
    for pk in waiting:
        _enqueue_report(pk)
    return waiting


def _progress(report: CouncilReport, percent: int) -> None:
    CouncilReport.objects.filter(pk=report.pk).update(progress=percent)


def quarterly_reports_create(*, today) -> list[CouncilReport]:
    """On the first working day after a quarter, every partnership gets that quarter's report, once."""
    made = []
    quarter = Period.containing(Period.containing(today).start - timedelta(days=1))
    for partnership in Partnership.objects.all():
        first_working_day = calendar_for(partnership.pk).next_working_day(quarter.end)
        if today < first_working_day:
            continue
        report = report_request(partnership=partnership, period=quarter, automatic=True)
        if report is not None:
            made.append(report)
    return made
