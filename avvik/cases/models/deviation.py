"""The deviation (samhandlingsavvik) and its reference counter."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from avvik.cases.choices import (
    ANSWER_CLOCK_RUNNING,
    ENDED_STATUSES,
    OPEN_STATUSES,
    STATUS_COLOURS,
    AppRec,
    Channel,
    MessageType,
    Status,
)
from avvik.cases.querysets import DeviationQuerySet, waiting_rank
from avvik.catalogue.choices import CONSEQUENCE_COLOURS, SERIOUS_CONSEQUENCES, Consequence
from avvik.catalogue.models import AgreementClause, Category
from avvik.tenancy.models import Organisation, Partnership, Unit, validate_her_id


class Deviation(models.Model):
    """One reported event between two organisations: a samhandlingsavvik."""

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    # The composite indexes in Meta lead with these foreign keys; a single-column index would be a
    # duplicate to keep up on every write.
    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.PROTECT,
        related_name="deviations",
        verbose_name=_("partnership"),
        db_index=False,
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="reported_deviations",
        verbose_name=_("reporter"),
        db_index=False,
    )
    reporting_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="reported_deviations",
        verbose_name=_("reported by"),
        db_index=False,
    )
    reporting_unit = models.ForeignKey(
        Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("reporting unit")
    )
    occurred_at = models.DateTimeField(_("when it happened"))
    counterpart = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="deviations_about", verbose_name=_("counterpart")
    )
    counterpart_unit = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("counterpart unit"),
    )
    responsible_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deviations_responsible",
        verbose_name=_("responsible organisation"),
        db_index=False,
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_deviations",
        verbose_name=_("case handler"),
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="+", verbose_name=_("category"), db_index=False
    )
    clause = models.ForeignKey(
        AgreementClause,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deviations",
        verbose_name=_("agreement clause"),
    )
    consequence = models.CharField(_("consequence"), max_length=20, choices=Consequence.choices)
    # What could have happened; blank on cases filed before it was asked for.
    potential_consequence = models.CharField(
        _("potential consequence"), max_length=20, choices=Consequence.choices, blank=True
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what happened"))
    immediate_action = models.TextField(_("immediate action"), blank=True)
    suggested_measure = models.TextField(_("suggested measure"), blank=True)

    # The electronic message the deviation concerns, as structured fields so that repeated
    # failures between the same two parties can be counted.
    message_type = models.CharField(_("message type"), max_length=30, choices=MessageType.choices, blank=True)
    sender_her_id = models.CharField(_("sender HER-id"), max_length=9, blank=True, validators=[validate_her_id])
    receiver_her_id = models.CharField(_("receiver HER-id"), max_length=9, blank=True, validators=[validate_her_id])
    message_sent_at = models.DateTimeField(_("message sent"), null=True, blank=True)
    apprec = models.CharField(_("application receipt"), max_length=20, choices=AppRec.choices, blank=True)
    message_id = models.CharField(_("message id"), max_length=100, blank=True)
    # The error the receiving system gave in a negative application receipt (its code, as in the AppRec).
    apprec_error_code = models.CharField(_("AppRec error code"), max_length=20, blank=True)
    channel = models.CharField(_("channel used"), max_length=20, choices=Channel.choices, blank=True)

    # Serious events: the statutory alert to Helsetilsynet and Ukom.
    unexpected = models.BooleanField(_("unexpected event"), null=True, blank=True)
    alert_sent_at = models.DateTimeField(_("statutory alert sent"), null=True, blank=True)
    alert_sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("statutory alert recorded by"),
    )

    # The answer from the responsible organisation.
    answer_cause = models.TextField(_("cause"), blank=True)
    answer_measures = models.TextField(_("measures agreed"), blank=True)
    measures_done = models.BooleanField(_("measures carried out"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )

    # An anonymised short summary a coordinator approved for the council's report.
    council_summary = models.TextField(
        _("summary for the council"),
        blank=True,
        help_text=_("Anonymised: no names, no patient data. Shown in the council's report when filled in."),
    )
    council_summary_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("summary approved by"),
    )

    # Deadlines in working days on the Norwegian calendar (see avvik/deadlines/due_dates.py).
    triage_due = models.DateField(_("triage due"), null=True, blank=True)
    answer_due = models.DateField(_("answer due"), null=True, blank=True)
    waiting_since = models.DateTimeField(_("waiting for the reporter since"), null=True, blank=True)
    # Kept so that a due date computed again (a corrected category or consequence) keeps the pauses.
    answer_paused_days = models.PositiveIntegerField(
        _("working days the answer clock stood still"),
        default=0,
        help_text=_("Working days spent waiting for the reporter since the answer clock started."),
    )

    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)
    # Set when this case, a duplicate, is merged into a main case (services.deviation_merge); its
    # reporter then follows the main case (querysets.readable_cases).
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_duplicates",
        verbose_name=_("merged into"),
    )

    created_at = models.DateTimeField(_("reported"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now)
    forwarded_at = models.DateTimeField(_("forwarded"), null=True, blank=True)
    # The first forward or rejection: when the contact point's triage was done, for its deadline's figures.
    triaged_at = models.DateTimeField(_("triaged"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    objects = DeviationQuerySet.as_manager()

    class Meta:
        verbose_name = _("deviation")
        verbose_name_plural = _("deviations")
        ordering = ["-created_at"]
        indexes = [
            # Lists. Every list is scoped by partnership (coordinators), reporting or responsible
            # organisation (members) or reporter ("My deviations"), newest first unless re-sorted.
            # Coordinator's "All deviations", the "Reported between" filter, and the statistics'
            # new cases per period and per quarter of the trend.
            models.Index(fields=["partnership", "-created_at"], name="deviation_partner_created"),
            # The statistics cache's check for changes: the partnership's latest change and count.
            models.Index(fields=["partnership", "updated_at"], name="deviation_partner_updated"),
            # Triage queue (status=submitted) and lists filtered or sorted by status.
            models.Index(fields=["partnership", "status", "-created_at"], name="deviation_partner_status"),
            # "For handling": cases where my organisation is responsible, newest first; and with a status filter.
            models.Index(fields=["responsible_organisation", "-created_at"], name="deviation_resp_created"),
            models.Index(fields=["responsible_organisation", "status", "-created_at"], name="deviation_resp_status"),
            # The reporting organisation's visibility and the "Reported by" filter.
            models.Index(fields=["reporting_organisation", "-created_at"], name="deviation_reporting_org"),
            # "My deviations" sorted by filing; with the partnership the reporter's scope asks for,
            # its capped count reads the index alone (8 ms → 0.3 ms for 3,500 cases). The reporting
            # organisation, which the scope asks for too, is a key after the reporter in both of the
            # reporter's indexes: with the reporter alone, PostgreSQL ANDed the reporter's index with
            # the organisation's, costed the AND as if the two were independent (a handful of rows)
            # and sorted all of the reporter's cases (670 cases: 3.5 ms → 0.2 ms).
            models.Index(
                fields=["reporter", "reporting_organisation", "-created_at"],
                name="deviation_reporter",
                include=["partnership"],
            ),
            # "My deviations" as it opens, waiting for the reporter first: read 25 in order, not all
            # of the reporter's cases sorted.
            models.Index(
                F("reporter"),
                F("reporting_organisation"),
                waiting_rank(),
                F("created_at").desc(),
                F("id").desc(),
                name="deviation_reporter_waiting",
            ),
            # "Happened between" filter and sort by when it happened.
            models.Index(fields=["partnership", "-occurred_at"], name="deviation_partner_occurred"),
            # Category filter (a category belongs to one partnership). The partnership is in it too:
            # every list also asks for the partnership, and PostgreSQL, not knowing that the one
            # follows from the other, otherwise ANDs this index with the partnership's whole bitmap.
            models.Index(fields=["category", "partnership", "-created_at"], name="deviation_category_partner"),
            # Consequence filter and sort.
            models.Index(fields=["partnership", "consequence", "-created_at"], name="deviation_partner_consequence"),
            # Sort by answer due.
            models.Index(fields=["partnership", "answer_due"], name="deviation_partner_answer_due"),
            # The reminder sweep's answer query and the answer half of the overdue filter: only cases
            # whose answer clock runs, a small share of all.
            models.Index(
                fields=["partnership", "answer_due"],
                condition=Q(status__in=ANSWER_CLOCK_RUNNING),
                name="deviation_answer_clock_due",
            ),
            # The reminder sweep's triage query and the triage half of the overdue filter.
            models.Index(
                fields=["partnership", "triage_due"],
                condition=Q(status=Status.SUBMITTED),
                name="deviation_submitted_triage_due",
            ),
            # Related-case suggestions: other reports of the same message.
            models.Index(
                fields=["partnership", "message_id"],
                condition=~Q(message_id=""),
                name="deviation_partner_message",
            ),
            # Statistics: the backlog of cases still open at the end of a period.
            models.Index(
                fields=["partnership", "created_at"],
                condition=Q(status__in=OPEN_STATUSES),
                name="deviation_open_created",
            ),
            # Work queues (avvik.cases.queues) of a handler: "My cases" and "Without a case handler" and
            # their counts in the navigation on every page; only open cases, a small share of all.
            models.Index(
                fields=["responsible_organisation", "assignee"],
                condition=Q(status__in=OPEN_STATUSES),
                name="deviation_open_resp_assignee",
            ),
            # Statistics: cases closed in a period (count, trend) and those closed after it (backlog).
            models.Index(fields=["partnership", "closed_at"], name="deviation_partner_closed"),
            # Statistics: answers in a period (deadline compliance, handling time, measures).
            models.Index(fields=["partnership", "answered_at"], name="deviation_partner_answered"),
            # Free-text search: a GIN index on the stored words (avvik.cases.search.SearchDocument),
            # on PostgreSQL only, created by migration 0022 (in place of the index of 0003) and
            # deliberately not listed here (see there why).
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(counterpart=models.F("reporting_organisation")),
                name="deviation_counterpart_is_another_organisation",
                violation_error_message=_("The counterpart must be another organisation than the reporting one."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def status_colour(self) -> str:
        return STATUS_COLOURS[self.status]

    @property
    def consequence_colour(self) -> str:
        return CONSEQUENCE_COLOURS[self.consequence]  # type: ignore[index]  # the column holds Consequence values

    @property
    def potential_consequence_colour(self) -> str:
        if not self.potential_consequence:
            return "light"
        return CONSEQUENCE_COLOURS[self.potential_consequence]  # type: ignore[index]  # the column holds Consequence values

    @property
    def is_ended(self) -> bool:
        return self.status in ENDED_STATUSES

    @property
    def is_serious(self) -> bool:
        return self.consequence in SERIOUS_CONSEQUENCES

    @cached_property
    def parties(self) -> set[int]:
        """The organisations that are a party to the case."""
        return {
            pk for pk in (self.reporting_organisation_id, self.counterpart_id, self.responsible_organisation_id) if pk
        }
