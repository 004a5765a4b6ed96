"""Invitations: one function that invites (for the page, and for a later bulk import), acceptance,
re-sending and revoking. The link is a one-time token valid for seven days, and only while no
newer invitation went to the same address."""

import enum
import hashlib
from collections.abc import Iterable
from datetime import timedelta

from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from avvik.access.roles import roles_of
from avvik.administration.models import Invitation
from avvik.administration.scope import check_may_grant
from avvik.outbox.choices import NotificationKind
from avvik.outbox.writing import can_receive_mail, notify
from avvik.tenancy.models import Membership, Organisation, Partnership, Unit, User

VALID_DAYS = 7
PER_ADDRESS = 3  # invitations to one address per day
PER_ADDRESS_SECONDS = 24 * 3600
PER_SENDER = 50  # invitations one administrator sends per hour
PER_SENDER_SECONDS = 3600
_SALT = "avvik.administration.invitation"


class InvitationRefused(ValidationError):
    """An invitation that may not be sent; the message says why, in the reader's language."""


def token_for(invitation: Invitation) -> str:
    """The link's token: the row's id and an HMAC of it under the site's secret (never stored)."""
    digest = salted_hmac(_SALT, f"{invitation.pk}:{invitation.email}", algorithm="sha256").hexdigest()
    return f"{invitation.pk}-{digest}"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def accept_path(invitation: Invitation) -> str:
    return reverse("administration:invitation_accept", args=[token_for(invitation)])


def _throttle(*, by: User | None, email: str) -> None:
    now = timezone.now()
    recent = Invitation.objects.filter(email=email, created_at__gt=now - timedelta(seconds=PER_ADDRESS_SECONDS))
    if recent.count() >= PER_ADDRESS:
        raise InvitationRefused(
            _("%(email)s has had %(count)d invitations in the last 24 hours. Wait until tomorrow before you try again.")
            % {"email": email, "count": PER_ADDRESS},
            code="address_throttled",
        )
    if by is not None:
        sent = Invitation.objects.filter(invited_by=by, created_at__gt=now - timedelta(seconds=PER_SENDER_SECONDS))
        if sent.count() >= PER_SENDER:
            raise InvitationRefused(
                _("You have sent %(count)d invitations in the last hour. Wait a while before you send more.")
                % {"count": PER_SENDER},
                code="sender_throttled",
            )


@transaction.atomic
def invite(
    *,
    by: User | None,
    partnership: Partnership,
    organisation: Organisation | None,
    email: str,
    full_name: str,
    roles: Iterable[str],
    unit: Unit | None = None,
) -> Invitation:
    """Invite a person by e-mail to roles in an organisation (or, with none, in the partnership).

    `by` is None only for the site's operators (manage.py create_partnership). Each refusal raises
    InvitationRefused (or PermissionDenied outside the sender's reach) with a translated message."""
    email = email.strip().lower()
    roles = list(dict.fromkeys(roles))
    if not roles:
        raise InvitationRefused(_("Choose at least one role."), code="no_roles")
    if organisation is not None and organisation.partnership_id != partnership.pk:
        raise PermissionDenied(_("The organisation belongs to another partnership."))
    if by is not None:
        for role in roles:
            check_may_grant(roles_of(by), partnership=partnership, organisation=organisation, role=role)
    if unit is not None and (organisation is None or unit.organisation_id != organisation.pk):
        raise InvitationRefused(_("The unit belongs to another organisation."), code="wrong_unit")
    if not can_receive_mail(User(email=email)):
        raise InvitationRefused(_("Nothing can be sent to this address."), code="no_mail")
    person = User.objects.filter(email__iexact=email).first()
    if person is not None and person.is_active:
        held = set(
            Membership.objects.filter(user=person, partnership=partnership, organisation=organisation).values_list(
                "role", flat=True
            )
        )
        if held.issuperset(roles):
            raise InvitationRefused(
                _("%(email)s already has these roles here.") % {"email": email}, code="already_member"
            )
    _throttle(by=by, email=email)
    if person is None:
        # No password: nobody can log in as the person until they accept.
        person = User.objects.create_user(email=email, full_name=full_name.strip())
    now = timezone.now()
    invitation = Invitation.objects.create(
        partnership=partnership,
        organisation=organisation,
        unit=unit,
        email=email,
        full_name=full_name.strip(),
        roles=roles,
        person=person,
        invited_by=by,
        created_at=now,
        expires_at=now + timedelta(days=VALID_DAYS),
    )
    invitation.token_hash = _hash(token_for(invitation))
    invitation.save(update_fields=["token_hash"])
    notify(
        kind=NotificationKind.INVITATION, recipients=[person], organisation=organisation, threshold=str(invitation.pk)
    )
    return invitation


class LinkState(enum.Enum):
    VALID = "valid"
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    USED = "used"
    REVOKED = "revoked"
    REPLACED = "replaced"


def _state(invitation: Invitation) -> LinkState:
    if invitation.accepted_at is not None:
        return LinkState.USED
    if invitation.revoked_at is not None:
        return LinkState.REVOKED
    if Invitation.objects.filter(email=invitation.email, pk__gt=invitation.pk).exists():
        return LinkState.REPLACED
    if invitation.expires_at <= timezone.now():
        return LinkState.EXPIRED
    return LinkState.VALID


def invitation_for_token(token: str) -> tuple[Invitation | None, LinkState]:
    """The invitation a link names, and whether it may still be accepted."""
    pk, _sep, _digest = token.partition("-")
    if not pk.isdigit():
        return None, LinkState.UNKNOWN
    invitation = Invitation.objects.select_related("organisation", "partnership", "person").filter(pk=pk).first()
    if invitation is None or not constant_time_compare(invitation.token_hash, _hash(token)):
        return None, LinkState.UNKNOWN
    return invitation, _state(invitation)


def is_pending(invitation: Invitation) -> bool:
    return _state(invitation) == LinkState.VALID


@transaction.atomic
def invitation_accept(*, token: str, password: str | None) -> User:
    """Take the invitation's roles. With a password (Django's validators apply), it becomes the
    person's; without one the person logs in by single sign-on, matched on the address."""
    found, _state_then = invitation_for_token(token)
    if found is None:
        raise InvitationRefused(_("The link is not valid."), code="unknown")
    invitation = Invitation.objects.select_for_update().get(pk=found.pk)
    if _state(invitation) != LinkState.VALID:
        raise InvitationRefused(_("The link is no longer valid."), code="not_valid")
    person = invitation.person
    if not person.is_active:
        # Deactivated elsewhere: the roles kept there (for a reactivation by their administrator)
        # must not come back with this invitation. Only those where the invitation holds stay.
        Membership.objects.filter(user=person).exclude(
            partnership=invitation.partnership, organisation=invitation.organisation
        ).delete()
    if password is not None:
        password_validation.validate_password(password, person)
        person.set_password(password)
    person.is_active = True
    person.full_name = person.full_name or invitation.full_name
    person.save()
    for role in invitation.roles:
        Membership.objects.get_or_create(
            user=person,
            role=role,
            partnership=invitation.partnership,
            organisation=invitation.organisation,
            defaults={"unit": invitation.unit},
        )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return person


def _check_manages(by: User, invitation: Invitation) -> None:
    roles = roles_of(by)
    if invitation.organisation_id is not None and invitation.organisation_id in roles.admin_in:
        return
    if invitation.partnership_id not in roles.partnership_admin_of:
        raise PermissionDenied(_("You may not change this invitation."))


@transaction.atomic
def invitation_revoke(*, by: User, invitation: Invitation) -> None:
    _check_manages(by, invitation)
    if invitation.accepted_at is not None or invitation.revoked_at is not None:
        return
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])


def invitation_resend(*, by: User, invitation: Invitation) -> Invitation:
    """Send the invitation again as a new one; the old link stops working."""
    _check_manages(by, invitation)
    if invitation.accepted_at is not None:
        raise InvitationRefused(_("The invitation has been accepted already."), code="used")
    return invite(
        by=by,
        partnership=invitation.partnership,
        organisation=invitation.organisation,
        email=invitation.email,
        full_name=invitation.full_name,
        roles=invitation.roles,
        unit=invitation.unit,
    )
