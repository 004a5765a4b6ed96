"""Writes for the council's side: volumes, approved case summaries, and quarterly reports."""

import hashlib
import logging
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from avvik import notifications, permissions
from avvik.choices import NotificationKind, ReportStatus, Role
from avvik.models import CouncilReport, Deviation, Organisation, Partnership, User, Volume
from avvik.statistics import Period, statistics_for

logger = logging.getLogger(__name__)


def may_read_statistics(user: User, partnership_id: int) -> bool:
    roles = permissions.roles_of(user)
    return partnership_id in roles.coordinator_of or partnership_id in roles.council_of


@transaction.atomic
def volume_set(*, by: User, organisation: Organisation, year: int, quarter: int, kind: str, amount: int) -> Volume:
    if organisation.partnership_id not in permissions.roles_of(by).coordinator_of:
        raise PermissionDenied(_("Only the partnership's coordinators may enter volumes."))
    volume, _created = Volume.objects.update_or_create(
        organisation=organisation, year=year, quarter=quarter, kind=kind.strip(), defaults={"amount": amount}
    )
    return volume


@transaction.atomic
def council_summary_set(*, by: User, deviation: Deviation, text: str) -> Deviation:
    """A coordinator approves the anonymised text the council's report shows for this case."""
    if not permissions.is_coordinator_of(by, deviation):
        raise PermissionDenied(_("Only the contact point approves summaries for the council."))
    Deviation.objects.filter(pk=deviation.pk).update(
        council_summary=text.strip(), council_summary_by=by if text.strip() else None
    )
    deviation.refresh_from_db()
    return deviation


def report_request(
    *, partnership: Partnership, period: Period, by: User | None = None, automatic: bool = False
) -> CouncilReport | None:
    """Queue a new version of the report; None when the automatic one for the period exists already."""
    if by is not None and not may_read_statistics(by, partnership.pk):
        raise PermissionDenied(_("You may not make reports for this partnership."))
    try:
        with transaction.atomic():
            latest = CouncilReport.objects.filter(
                partnership=partnership, period_start=period.start, period_end=period.end
            ).aggregate(Max("version"))["version__max"]
            report = CouncilReport.objects.create(
                partnership=partnership,
                period_label=period.label,
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


def _enqueue_report(report_id: int) -> None:
    from avvik.tasks import build_council_report

    try:
        build_council_report.apply_async(args=[report_id], retry=False)
    except Exception:  # the broker is down: the report sweep picks it up
        logger.warning("broker unavailable; report %s left for the sweep", report_id)


def report_build(*, report_id: int) -> bool:
    """Render and archive one report; True when this call made it."""
    from avvik.reports import render_report_html, render_report_pdf

    claimed = CouncilReport.objects.filter(pk=report_id, status=ReportStatus.PENDING).update(
        status=ReportStatus.RUNNING, progress=5
    )
    if not claimed:
        return False
    report = CouncilReport.objects.select_related("partnership").get(pk=report_id)
    try:
        period = Period(report.period_start, report.period_end, report.period_label)
        # Labels made while counting (consequences, backlog ages) must be in the report's language.
        with translation.override(report.partnership.written_form):
            stats = statistics_for(report.partnership, period)
            summaries = council_summaries(report.partnership, period)
        _progress(report, 40)
        generated_at = timezone.now()
        html = render_report_html(
            stats, summaries=summaries, generated_at=generated_at, language=report.partnership.written_form
        )
        _progress(report, 60)
        pdf = render_report_pdf(html)
        _progress(report, 90)
        name = f"{report.partnership.slug}-{period.label.replace(' ', '')}-v{report.version}.pdf"
        report.file.save(name, ContentFile(pdf), save=False)
        report.sha256 = hashlib.sha256(pdf).hexdigest()
        report.size = len(pdf)
        report.generated_at = generated_at
        report.status = ReportStatus.DONE
        report.progress = 100
        report.save(update_fields=["file", "sha256", "size", "generated_at", "status", "progress"])
    except Exception as exc:
        CouncilReport.objects.filter(pk=report_id).update(status=ReportStatus.FAILED, error=repr(exc)[:2000])
        raise
    with transaction.atomic():
        council = User.objects.filter(
            is_active=True,
            memberships__partnership=report.partnership,
            memberships__role=Role.COUNCIL,
            memberships__organisation__isnull=True,
        ).distinct()
        notifications.notify(
            kind=NotificationKind.REPORT_READY, recipients=council, report=report, threshold=f"r{report.pk}"
        )
    return True


def council_summaries(partnership: Partnership, period: Period) -> list:
    """The anonymised texts a coordinator approved, for the cases of the period, oldest first."""
    from avvik.reports import CaseSummary

    cases = (
        Deviation.objects.filter(period.within("created_at"), partnership=partnership)
        .exclude(council_summary="")
        .select_related("category")
        .order_by("created_at")
    )
    return [
        CaseSummary(category=d.category.name, consequence=d.get_consequence_display(), text=d.council_summary)
        for d in cases
    ]


def _progress(report: CouncilReport, percent: int) -> None:
    CouncilReport.objects.filter(pk=report.pk).update(progress=percent)


def quarterly_reports_create(*, today) -> list[CouncilReport]:
    """On the first working day after a quarter, every partnership gets that quarter's report, once."""
    from avvik.deadlines import calendar_for

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
