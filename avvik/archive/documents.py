"""A case record as the JSON document described in docs/case-export.md (schema version 1)."""

from datetime import date, datetime
from typing import Any

from avvik.archive.selectors import CaseRecord
from avvik.cases import conversation
from avvik.cases.choices import Status
from avvik.cases.models.deviation import Deviation
from avvik.duties.models import StatutoryAlert
from avvik.tenancy.models import Organisation, Unit, User

SCHEMA = "samhandling.case-export/1"


def case_document(record: CaseRecord) -> dict[str, Any]:
    """The JSON document; labels are in the active language, codes stay as stored."""
    deviation = record.deviation
    return {
        "schema": SCHEMA,
        "exported_at": _when(record.exported_at),
        "exported_by": _person(record.reader),
        "case": _case(deviation),
        "parties": parties(deviation),
        "answer": {
            "cause": deviation.answer_cause,
            "measures": deviation.answer_measures,
            "measures_done": deviation.measures_done,
            "answered_at": _when(deviation.answered_at),
            "answered_by": _person(deviation.answered_by),
        },
        "transitions": [
            {
                "action": transition.action,
                "from": transition.from_status,
                "to": transition.to_status,
                "to_label": str(Status(transition.to_status).label),
                "by": _person(transition.by),
                "at": _when(transition.at),
                "note": transition.note,
            }
            for transition in record.transitions
        ],
        "thread": [_entry(deviation, entry) for entry in record.thread],
        "attachments": [
            {
                "name": facts.name,
                "content_type": facts.content_type,
                "size": facts.size,
                "sha256": facts.sha256,
                "uploaded_at": _when(facts.uploaded_at),
            }
            for facts in record.attachments
        ],
    }


def _case(deviation: Deviation) -> dict[str, Any]:
    return {
        "reference": deviation.reference,
        "partnership": deviation.partnership.name,
        "title": deviation.title,
        "status": deviation.status,
        "status_label": deviation.get_status_display(),
        "category": deviation.category.display_name,
        "clause": str(deviation.clause) if deviation.clause else None,
        "consequence": deviation.consequence,
        "consequence_label": deviation.get_consequence_display(),
        "unexpected": deviation.unexpected,
        "description": deviation.description,
        "immediate_action": deviation.immediate_action,
        "suggested_measure": deviation.suggested_measure,
        "occurred_at": _when(deviation.occurred_at),
        "reported_at": _when(deviation.created_at),
        "forwarded_at": _when(deviation.forwarded_at),
        "closed_at": _when(deviation.closed_at),
        "triage_due": _day(deviation.triage_due),
        "answer_due": _day(deviation.answer_due),
        "statutory_alert_sent_at": _when(_alert_sent_at(deviation)),
        "message": {
            "type": deviation.message_type,
            "sender_her_id": deviation.sender_her_id,
            "receiver_her_id": deviation.receiver_her_id,
            "sent_at": _when(deviation.message_sent_at),
            "apprec": deviation.apprec,
            "apprec_error_code": deviation.apprec_error_code,
            "message_id": deviation.message_id,
            "channel": deviation.channel,
        },
    }


def parties(deviation: Deviation) -> list[dict[str, Any]]:
    """The organisations in the case, each with its role (the Noark package's korrespondanseparter too)."""
    found = [
        ("reporting_organisation", deviation.reporting_organisation, deviation.reporting_unit),
        ("counterpart", deviation.counterpart, deviation.counterpart_unit),
        ("responsible_organisation", deviation.responsible_organisation, None),
    ]
    return [_organisation(role, organisation, unit) for role, organisation, unit in found if organisation]


def _organisation(role: str, organisation: Organisation, unit: Unit | None) -> dict[str, Any]:
    return {
        "role": role,
        "name": organisation.name,
        "organisation_number": organisation.organisation_number,
        "her_id": organisation.her_id,
        "unit": unit.name if unit else None,
        "unit_her_id": unit.her_id if unit else None,
    }


def _entry(deviation: Deviation, entry: conversation.Entry) -> dict[str, Any]:
    if entry.question is not None:
        organisation = deviation.responsible_organisation
        return {
            "kind": "question",
            "author": _person(entry.question.by),
            "organisation": organisation.name if organisation else None,
            "at": _when(entry.at),
            "text": entry.question.note,
        }
    comment = entry.comment
    assert comment is not None  # an entry is a question or a comment
    return {
        "kind": "internal_note" if comment.is_internal else "comment",
        "author": _person(comment.author),
        "organisation": comment.organisation.name if comment.organisation else None,
        "at": _when(entry.at),
        "text": comment.body,
    }


def _person(user: User | None) -> str | None:
    return str(user) if user is not None else None


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _day(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _alert_sent_at(deviation: Deviation) -> datetime | None:
    """When the statutory alert was sent, as recorded through avvik.duties."""
    sent_at: datetime | None = (
        StatutoryAlert.objects.filter(deviation=deviation).values_list("sent_at", flat=True).first()
    )
    return sent_at or deviation.alert_sent_at
