"""Keeping data no longer than needed. Idempotent: a second run the same day changes nothing."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from avvik.cases.choices import ENDED_STATUSES
from avvik.cases.models.deviation import Deviation
from avvik.cases.models.logs import AccessLog, RetentionRun
from avvik.cases.models.records import Attachment, Comment, PatientReference, Transition
from avvik.catalogue.models import Category


@transaction.atomic
def retention_apply(*, now: datetime | None = None) -> RetentionRun:
    now = now or timezone.now()
    run = RetentionRun.objects.create(started_at=now)
    patient_cutoff = now - timedelta(days=settings.PATIENT_RETENTION_DAYS)
    run.patients_erased = PatientReference.objects.filter(
        erased_at__isnull=True, deviation__status__in=ENDED_STATUSES, deviation__closed_at__lt=patient_cutoff
    ).update(name_encrypted="", identity_number_encrypted="", identity_index="", erased_at=now)

    case_cutoff = now - timedelta(days=365 * settings.CASE_RETENTION_YEARS)
    old = Deviation.objects.filter(anonymised_at__isnull=True, status__in=ENDED_STATUSES, closed_at__lt=case_cutoff)
    old_ids = list(old.values_list("pk", flat=True))
    for attachment in Attachment.objects.filter(deviation_id__in=old_ids):
        attachment.file.delete(save=False)
    Attachment.objects.filter(deviation_id__in=old_ids).delete()
    Comment.objects.filter(deviation_id__in=old_ids).delete()
    # The timeline keeps what happened and when (the statistics read it), not who or why.
    Transition.objects.filter(deviation_id__in=old_ids).update(note="", by=None)
    # That a case was read stays in the access log; what was read (a file name) goes.
    AccessLog.objects.filter(deviation_id__in=old_ids).exclude(detail="").erase_details()
    # What the statistics need stays: dates, organisations, category, clause, consequence,
    # message fields without the message id, and the council summary a coordinator approved.
    # The free-text title gives way to the category's name.
    category_name = Category.objects.filter(pk=OuterRef("category_id")).values("name")[:1]
    run.cases_anonymised = Deviation.objects.filter(pk__in=old_ids).update(
        title=Subquery(category_name),
        description="",
        immediate_action="",
        suggested_measure="",
        answer_cause="",
        answer_measures="",
        message_id="",
        reporter=None,
        assignee=None,
        answered_by=None,
        alert_sent_by=None,
        anonymised_at=now,
    )
    run.finished_at = timezone.now()
    run.save(update_fields=["patients_erased", "cases_anonymised", "finished_at"])
    return run
