"""Writes on cases. Every change goes through a function here: keyword-only, one transaction,
current state checked first, illegal transitions refused."""

from avvik.cases.services.comments import comment_add
from avvik.cases.services.filing import (
    EDITABLE_FIELDS,
    FILED_FIELDS,
    PatientData,
    StaleVersion,
    deviation_submit,
    deviation_update,
)
from avvik.cases.services.held import held_uploads_attach, held_uploads_clean, held_uploads_discard, uploads_hold
from avvik.cases.services.reading import access_log_write, patient_reference_read
from avvik.cases.services.relations import RelationRefused, deviation_merge, relation_add, relation_remove
from avvik.cases.services.retention import retention_apply
from avvik.cases.services.thread import attachment_add
from avvik.cases.services.transitions import ClosingBlocked, TransitionRefused, deviation_transition

__all__ = [
    "EDITABLE_FIELDS",
    "FILED_FIELDS",
    "ClosingBlocked",
    "PatientData",
    "RelationRefused",
    "StaleVersion",
    "TransitionRefused",
    "access_log_write",
    "attachment_add",
    "comment_add",
    "deviation_merge",
    "deviation_submit",
    "deviation_transition",
    "deviation_update",
    "held_uploads_attach",
    "held_uploads_clean",
    "held_uploads_discard",
    "patient_reference_read",
    "relation_add",
    "relation_remove",
    "retention_apply",
    "uploads_hold",
]
