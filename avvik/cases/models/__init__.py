"""The case and what hangs on it; import them from here."""

from avvik.cases.models.deviation import Deviation
from avvik.cases.models.held import HeldUpload
from avvik.cases.models.logs import AccessLog, AppendOnlyError, RetentionRun
from avvik.cases.models.records import Attachment, Comment, PatientReference, Transition
from avvik.cases.models.relations import Relation
from avvik.cases.models.saved_filters import SavedFilter

__all__ = [
    "AccessLog",
    "AppendOnlyError",
    "Attachment",
    "Comment",
    "Deviation",
    "HeldUpload",
    "PatientReference",
    "Relation",
    "RetentionRun",
    "SavedFilter",
    "Transition",
]
