"""The domain's models, by area; import them from here."""

from avvik.models.council import CouncilReport, Volume
from avvik.models.deadlines import ClosureDay, DeadlinePolicy, Notification
from avvik.models.deviation import (
    AgreementClause,
    Attachment,
    Category,
    Comment,
    Deviation,
    PatientReference,
    ReferenceCounter,
    Transition,
)
from avvik.models.logs import AccessLog, AppendOnlyError, RetentionRun
from avvik.models.tenancy import (
    Membership,
    Organisation,
    Partnership,
    Unit,
    User,
    UserManager,
    WorkerHeartbeat,
    validate_her_id,
    validate_organisation_number,
)

__all__ = [
    "AccessLog",
    "AgreementClause",
    "AppendOnlyError",
    "Attachment",
    "Category",
    "ClosureDay",
    "Comment",
    "CouncilReport",
    "DeadlinePolicy",
    "Deviation",
    "Membership",
    "Notification",
    "Organisation",
    "Partnership",
    "PatientReference",
    "ReferenceCounter",
    "RetentionRun",
    "Transition",
    "Unit",
    "User",
    "UserManager",
    "Volume",
    "WorkerHeartbeat",
    "validate_her_id",
    "validate_organisation_number",
]
