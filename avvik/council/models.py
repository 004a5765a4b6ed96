"""What the council reads: volumes for rates, and the archive of quarterly reports."""

from django.conf import settings
from django.core.files.storage import Storage
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from avvik.access.roles import Roles
from avvik.access.scoping import ScopedQuerySet, partnership_rule
from avvik.core.file_storage import configured_storage
from avvik.council.choices import ReportStatus
from avvik.council.periods import Period, quarter_label
from avvik.tenancy.models import Organisation, Partnership


class VolumeQuerySet(ScopedQuerySet):
    def scope(self, roles: Roles, user) -> Q | None:
        """Volumes are entered and read by the contact point; the council reads only the rates."""
        return partnership_rule(roles.coordinator_of, "organisation__partnership")


class Volume(models.Model):
    """How much an organisation did in a quarter (discharges, messages sent, …), for rates per 1,000."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="volumes", verbose_name=_("organisation")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), choices=[(q, str(q)) for q in range(1, 5)])
    kind = models.CharField(_("what is counted"), max_length=60, help_text=_("For example: discharges."))
    amount = models.PositiveIntegerField(_("number"))

    objects = VolumeQuerySet.as_manager()

    class Meta:
        verbose_name = _("volume")
        verbose_name_plural = _("volumes")
        ordering = ["organisation__name", "-year", "-quarter", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "quarter", "kind"],
                name="volume_unique_per_quarter",
                violation_error_message=_("This volume is already entered for the quarter."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {quarter_label(self.year, self.quarter)} {self.kind}: {self.amount}"


def report_storage() -> Storage:
    # A callable, so the storage comes from settings.STORAGES["reports"] at run time and not into migrations.
    return configured_storage("reports")


class CouncilReportQuerySet(ScopedQuerySet):
    def scope(self, roles: Roles, user) -> Q | None:
        return partnership_rule(roles.coordinator_of | roles.council_of)


class CouncilReport(models.Model):
    """One generated PDF for a partnership and period; archived unchanged with its SHA-256.

    Generating again makes a new version; earlier versions stay downloadable.
    """

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="reports", verbose_name=_("partnership")
    )
    period_label = models.CharField(_("period"), max_length=30)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    automatic = models.BooleanField(_("made automatically"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.PENDING)
    progress = models.PositiveSmallIntegerField(_("progress in per cent"), default=0)
    file = models.FileField(_("file"), storage=report_storage, upload_to="%Y", max_length=200, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    # When a worker took the report; a claim older than the build's time limit belongs to a
    # worker that died, and the report sweep hands the report to another.
    claimed_at = models.DateTimeField(_("started"), null=True, blank=True)
    generated_at = models.DateTimeField(_("generated"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    objects = CouncilReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("council report")
        verbose_name_plural = _("council reports")
        ordering = ["-period_start", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "period_start", "period_end", "version"],
                name="report_version_unique",
                violation_error_message=_("This version of the report exists already."),
            ),
            # A second beat must not make a second automatic report for the same quarter.
            models.UniqueConstraint(
                fields=["partnership", "period_start", "period_end"],
                condition=Q(automatic=True),
                name="report_automatic_once",
                violation_error_message=_("The automatic report for this period exists already."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partnership} {self.period.label} v{self.version}"

    @property
    def period(self) -> Period:
        """The report's period, named in the reader's language."""
        return Period(self.period_start, self.period_end, self.period_label)


class FrozenFiguresQuerySet(ScopedQuerySet):
    def scope(self, roles: Roles, user) -> Q | None:
        """The counts behind the council's figures: the contact point may read them; the council
        reads only the protected figures made from them."""
        return partnership_rule(roles.coordinator_of)


class FrozenFigures(models.Model):
    """The counts of a completed quarter or year as they stood when the council first saw them.

    Every later page, report version and year of the period is protected from these counts, never
    from the live cases, so no two publications of a period can be set against each other
    (docs/disclosure.md). Written once, never changed.
    """

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="frozen_figures", verbose_name=_("partnership")
    )
    period_label = models.CharField(_("period"), max_length=30)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    threshold = models.PositiveSmallIntegerField(_("threshold for small counts"))
    counts = models.JSONField(_("counts"))
    frozen_at = models.DateTimeField(_("frozen"), default=timezone.now)

    objects = FrozenFiguresQuerySet.as_manager()

    class Meta:
        verbose_name = _("frozen council figures")
        verbose_name_plural = _("frozen council figures")
        ordering = ["partnership", "-period_start", "period_end"]
        constraints = [
            # Also the index for reading a period and its trend quarters (partnership, period_start IN …).
            models.UniqueConstraint(
                fields=["partnership", "period_start", "period_end"],
                name="frozen_figures_once_per_period",
                violation_error_message=_("The figures of this period are frozen already."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.partnership} {self.period_label} ({self.frozen_at:%Y-%m-%d})"


class ThresholdDecisionQuerySet(ScopedQuerySet):
    def scope(self, roles: Roles, user) -> Q | None:
        """The partnership's administrators record them; its coordinators and council read them."""
        return partnership_rule(roles.partnership_admin_of | roles.coordinator_of | roles.council_of, "partnership")


class ThresholdDecision(models.Model):
    """A recorded decision to change the partnership's small-count threshold: which figures the council
    may see is the partnership's decision, so the change names the meeting or case that made it."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="threshold_decisions", verbose_name=_("partnership")
    )
    old_threshold = models.PositiveSmallIntegerField(_("old threshold"))
    new_threshold = models.PositiveSmallIntegerField(_("new threshold"))
    decided_on = models.DateField(_("decided on"))
    reference = models.CharField(
        _("decision reference"),
        max_length=200,
        help_text=_("The meeting or case, for example SSU 12.03.2027, sak 14/27."),
    )
    reason = models.TextField(_("reason"), max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now, editable=False)

    objects = ThresholdDecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("threshold decision")
        verbose_name_plural = _("threshold decisions")
        ordering = ["-recorded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.old_threshold} → {self.new_threshold} ({self.reference})"


class MonthlyCount(models.Model):
    """How many cases of a partnership a measure counted in one local month, per item (a category,
    a pair of organisations, …). Kept by triggers on the cases table in the same transaction as the
    case's change (migration 0005, which says what each measure counts); the statistics sum these."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+", verbose_name=_("partnership")
    )
    month = models.DateField(_("month"))
    measure = models.CharField(_("what is counted"), max_length=20)
    item = models.CharField(_("item"), max_length=64, blank=True)
    cases = models.IntegerField(_("cases"), default=0)

    class Meta:
        verbose_name = _("monthly count")
        verbose_name_plural = _("monthly counts")
        constraints = [
            models.UniqueConstraint(
                fields=("partnership", "month", "measure", "item"), name="council_monthly_count_unique"
            )
        ]
        # One measure over a span of months (the period's sums, the backlog's filing days, the trend's
        # new and closed, the hotspots' items) without walking every measure of those months. It holds
        # the item and the count too, so that these reads need not visit the table, whose pages hold a
        # partnership's rows scattered: a year's sums read 10,000 rows. The counts are therefore
        # updated without HOT, which costs each change of a case a little more.
        indexes = [
            models.Index(
                fields=("partnership", "measure", "month"),
                include=("item", "cases"),
                name="council_monthly_count_measure",
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.measure} {self.item}: {self.cases}"
