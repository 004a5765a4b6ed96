"""Writes of the people import: hold a file, discard it, confirm it, and invite its rows.

Pacing: invite() refuses more than PER_SENDER invitations per sender per hour. The import does
not go around that limit: each row is invited through invite() as the uploader, and when the
limit is reached the task stops, records when the oldest invitation of the hour leaves the
window, and is queued again for that moment. A large file is therefore sent in hourly portions,
and each invitation is written (with its e-mail) only when it may be sent."""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from celery import current_app
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from avvik.access.roles import roles_of
from avvik.administration import invitations
from avvik.administration.imports.checking import INVITE, people_dry_run
from avvik.administration.models import (
    HeldPeopleFile,
    Invitation,
    PeopleImport,
    PeopleImportRow,
    PeopleImportRowStatus,
    PeopleImportStatus,
)
from avvik.tenancy.models import Partnership, User

logger = logging.getLogger(__name__)

IMPORT_TASK = "avvik.administration.imports.tasks.import_people"
IMPORT_TIME_LIMIT = 30 * 60


class ImportRefused(Exception):
    """The file may not be imported (it has errors, or nothing to do); the message says why."""


def people_file_hold(*, owner: User, partnership: Partnership, name: str, data: bytes) -> HeldPeopleFile:
    return HeldPeopleFile.objects.create(owner=owner, partnership=partnership, name=name[:300], content=data)


def people_file_discard(*, held: HeldPeopleFile) -> None:
    held.delete()


@transaction.atomic
def people_file_confirm(*, held: HeldPeopleFile, by: User) -> PeopleImport:
    """Check the file again (the register may have changed since the dry run) and, with no error,
    write its rows for the task; the held file is then gone. Any error: nothing is saved."""
    held = HeldPeopleFile.objects.select_for_update().get(pk=held.pk)
    if held.owner_id != by.pk:
        raise PermissionDenied
    dry_run = people_dry_run(roles=roles_of(by), partnership=held.partnership, data=bytes(held.content))
    if not dry_run.can_import:
        raise ImportRefused(
            _("The file has errors and nothing was imported. Correct the file and upload it again.")
            if dry_run.file_errors or dry_run.error_rows
            else _("Everyone in the file has their roles already; there is nothing to import.")
        )
    people_import = PeopleImport.objects.create(owner=by, partnership=held.partnership, source=held.name)
    PeopleImportRow.objects.bulk_create(
        [
            PeopleImportRow(
                people_import=people_import,
                line=result.line,
                email=result.email,
                full_name=result.name,
                organisation=result.organisation,
                unit=result.unit,
                roles=list(result.roles),
                status=PeopleImportRowStatus.PENDING if result.outcome == INVITE else PeopleImportRowStatus.NOTHING,
                message="" if result.outcome == INVITE else _("Has these roles already."),
            )
            for result in dry_run.results
        ],
        batch_size=500,
    )
    held.delete()
    transaction.on_commit(lambda: _enqueue(people_import.pk))
    return people_import


def _enqueue(import_id: int, *, at: datetime | None = None) -> None:
    try:
        current_app.send_task(IMPORT_TASK, args=[import_id], eta=at, retry=False)
    except Exception:  # any broker failure: the rows wait in the database; the page offers to go on
        logger.warning("broker unavailable; people import %s not queued", import_id)


@dataclass
class StepResult:
    invited: int = 0
    refused: int = 0
    resumes_at: datetime | None = None


def people_import_run(*, import_id: int) -> StepResult:
    """Invite the import's waiting rows in line order, each in its own transaction; stop when the
    sender's hourly limit is reached and say when to go on. Running it twice invites nobody twice:
    a row is claimed with a lock and changes status in the transaction that invites."""
    people_import = PeopleImport.objects.select_related("owner", "partnership").get(pk=import_id)
    PeopleImport.objects.filter(pk=import_id).exclude(status=PeopleImportStatus.DONE).update(
        status=PeopleImportStatus.RUNNING, resumes_at=None
    )
    step = StepResult()
    waiting = PeopleImportRow.objects.filter(people_import_id=import_id, status=PeopleImportRowStatus.PENDING)
    for row_id in list(waiting.order_by("line").values_list("pk", flat=True)):
        outcome = _invite_row(row_id, people_import)
        if outcome is None:
            step.resumes_at = _limit_lifts(people_import.owner)
            PeopleImport.objects.filter(pk=import_id).update(
                status=PeopleImportStatus.WAITING, resumes_at=step.resumes_at
            )
            return step
        if outcome == PeopleImportRowStatus.INVITED:
            step.invited += 1
        elif outcome == PeopleImportRowStatus.REFUSED:
            step.refused += 1
    PeopleImport.objects.filter(pk=import_id).update(status=PeopleImportStatus.DONE, finished_at=timezone.now())
    return step


def _invite_row(row_id: int, people_import: PeopleImport) -> str | None:
    """One row in one transaction: its invitation and its new status, or neither. None when the
    sender's hourly limit stops the import before this row."""
    with transaction.atomic():
        row = (
            PeopleImportRow.objects.select_for_update(of=("self",))
            .select_related("organisation", "unit")
            .filter(pk=row_id, status=PeopleImportRowStatus.PENDING)
            .first()
        )
        if row is None:  # another run took it
            return ""
        try:
            invitation = invitations.invite(
                by=people_import.owner,
                partnership=people_import.partnership,
                organisation=row.organisation,
                email=row.email,
                full_name=row.full_name,
                roles=row.roles,
                unit=row.unit,
            )
        except invitations.InvitationRefused as refusal:
            if refusal.code == "sender_throttled":
                return None
            row.status = (
                PeopleImportRowStatus.NOTHING if refusal.code == "already_member" else PeopleImportRowStatus.REFUSED
            )
            row.message = " ".join(refusal.messages)[:500]
        except PermissionDenied as refusal:
            row.status = PeopleImportRowStatus.REFUSED
            row.message = str(refusal)[:500]
        else:
            row.status = PeopleImportRowStatus.INVITED
            row.invitation = invitation
        row.save(update_fields=["status", "message", "invitation"])
        return str(row.status)


def _limit_lifts(sender: User) -> datetime:
    """When the oldest invitation of the sender's last hour leaves the window (and one more may go)."""
    now = timezone.now()
    window = timedelta(seconds=invitations.PER_SENDER_SECONDS)
    oldest = (
        Invitation.objects.filter(invited_by=sender, created_at__gt=now - window)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return (oldest or now) + window + timedelta(seconds=5)


def people_imports_requeue() -> list[int]:
    """Queue again the imports whose message was lost: queued for over a minute, or waiting past
    their time by five. A second message does no harm: a row is invited only once."""
    now = timezone.now()
    lost = list(
        PeopleImport.objects.filter(
            Q(status=PeopleImportStatus.QUEUED, created_at__lt=now - timedelta(minutes=1))
            | Q(status=PeopleImportStatus.WAITING, resumes_at__lt=now - timedelta(minutes=5))
        ).values_list("pk", flat=True)
    )
    for import_id in lost:
        _enqueue(import_id)
    return lost
