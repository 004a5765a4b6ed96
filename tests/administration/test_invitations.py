"""Invitations: scope, the one-time link (expiry, use, replacement, withdrawal), throttling, and the
e-mail through the outbox."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from avvik.administration.invitations import (
    PER_ADDRESS,
    PER_SENDER,
    InvitationRefused,
    LinkState,
    accept_path,
    invitation_accept,
    invitation_for_token,
    invitation_resend,
    invitation_revoke,
    invite,
    token_for,
)
from avvik.outbox.choices import NotificationKind
from avvik.outbox.delivery import send_notification
from avvik.outbox.models import Notification
from avvik.tenancy.choices import Role
from avvik.tenancy.models import Membership, User
from tests.factories import UserFactory, grant

PASSWORD = "Fjordhest-Brunost-42"


def invite_handler(by, world, email="ny.handler@kommune.test", **extra):
    return invite(
        by=by,
        partnership=world.partnership,
        organisation=world.municipality,
        email=email,
        full_name="Nora Ny",
        roles=[Role.HANDLER],
        **extra,
    )


def test_an_org_admin_invites_to_their_own_organisation_and_the_link_grants_the_roles(world, org_admin):
    invitation = invite_handler(org_admin, world)
    person = invitation_accept(token=token_for(invitation), password=PASSWORD)
    assert person.check_password(PASSWORD)
    assert list(Membership.objects.filter(user=person).values_list("role", "organisation")) == [
        (Role.HANDLER, world.municipality.pk)
    ]


def test_the_token_is_stored_only_as_a_hash(world, org_admin):
    invitation = invite_handler(org_admin, world)
    token = token_for(invitation)
    assert token.partition("-")[2] not in invitation.token_hash
    assert invitation_for_token(token) == (invitation, LinkState.VALID)
    assert invitation_for_token(token[:-1] + ("0" if token[-1] != "0" else "1"))[1] is LinkState.UNKNOWN


def test_an_org_admin_cannot_invite_to_another_organisation(world, org_admin):
    with pytest.raises(PermissionDenied):
        invite(
            by=org_admin,
            partnership=world.partnership,
            organisation=world.hospital,
            email="x@sykehus.test",
            full_name="X",
            roles=[Role.HANDLER],
        )


def test_an_org_admin_cannot_give_partnership_roles(world, org_admin):
    with pytest.raises(PermissionDenied):
        invite(
            by=org_admin,
            partnership=world.partnership,
            organisation=None,
            email="x@kommune.test",
            full_name="X",
            roles=[Role.COORDINATOR],
        )


def test_a_partnership_admin_invites_anywhere_in_their_partnership_but_not_in_another(world, partnership_admin):
    invite(
        by=partnership_admin,
        partnership=world.partnership,
        organisation=None,
        email="ny.koordinator@test",
        full_name="Kim",
        roles=[Role.COORDINATOR, Role.PARTNERSHIP_ADMIN],
    )
    invite_handler(partnership_admin, world, email="h@sykehus.test")
    with pytest.raises(PermissionDenied):
        invite(
            by=partnership_admin,
            partnership=world.other_partnership,
            organisation=world.other_org,
            email="y@annet.test",
            full_name="Y",
            roles=[Role.HANDLER],
        )


def test_a_link_expires_after_seven_days(world, org_admin):
    invitation = invite_handler(org_admin, world)
    token = token_for(invitation)
    with time_machine.travel(timezone.now() + timedelta(days=7, seconds=1)):
        assert invitation_for_token(token)[1] is LinkState.EXPIRED
        with pytest.raises(InvitationRefused):
            invitation_accept(token=token, password=PASSWORD)
    with time_machine.travel(timezone.now() + timedelta(days=6, hours=23)):
        assert invitation_for_token(token)[1] is LinkState.VALID


def test_a_link_works_once(world, org_admin):
    token = token_for(invite_handler(org_admin, world))
    invitation_accept(token=token, password=PASSWORD)
    assert invitation_for_token(token)[1] is LinkState.USED
    with pytest.raises(InvitationRefused):
        invitation_accept(token=token, password="Annet-Passord-99")


def test_a_newer_invitation_to_the_same_address_replaces_the_link(world, org_admin):
    first = invite_handler(org_admin, world)
    second = invitation_resend(by=org_admin, invitation=first)
    assert invitation_for_token(token_for(first))[1] is LinkState.REPLACED
    assert invitation_for_token(token_for(second))[1] is LinkState.VALID


def test_a_withdrawn_invitation_cannot_be_accepted(world, org_admin):
    invitation = invite_handler(org_admin, world)
    invitation_revoke(by=org_admin, invitation=invitation)
    assert invitation_for_token(token_for(invitation))[1] is LinkState.REVOKED


def test_another_organisations_admin_cannot_withdraw_it(world, org_admin):
    invitation = invite_handler(org_admin, world)
    hospital_admin = UserFactory()
    grant(hospital_admin, Role.ORG_ADMIN, organisation=world.hospital)
    with pytest.raises(PermissionDenied):
        invitation_revoke(by=hospital_admin, invitation=invitation)


def test_a_weak_password_is_refused_by_the_validators(world, org_admin):
    token = token_for(invite_handler(org_admin, world))
    with pytest.raises(ValidationError):
        invitation_accept(token=token, password="123")
    assert invitation_for_token(token)[1] is LinkState.VALID


def test_one_address_gets_at_most_three_invitations_a_day(world, org_admin):
    start = timezone.now()
    for hours in range(PER_ADDRESS):
        with time_machine.travel(start + timedelta(hours=hours), tick=False):
            invite_handler(org_admin, world)
    with time_machine.travel(start + timedelta(hours=23), tick=False), pytest.raises(InvitationRefused) as refused:
        invite_handler(org_admin, world)
    assert refused.value.code == "address_throttled"
    with time_machine.travel(start + timedelta(hours=24, minutes=1), tick=False):
        invite_handler(org_admin, world)


def test_one_sender_sends_at_most_fifty_an_hour(world, org_admin):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for number in range(PER_SENDER):
            invite_handler(org_admin, world, email=f"p{number}@kommune.test")
        with pytest.raises(InvitationRefused) as refused:
            invite_handler(org_admin, world, email="en.for.mye@kommune.test")
    assert refused.value.code == "sender_throttled"
    with time_machine.travel(start + timedelta(hours=1, minutes=1), tick=False):
        invite_handler(org_admin, world, email="en.for.mye@kommune.test")


def test_inviting_someone_who_has_the_roles_is_refused(world, org_admin, handler):
    with pytest.raises(InvitationRefused):
        invite_handler(org_admin, world, email=handler.email)


def test_a_person_of_another_organisation_keeps_their_account_and_gets_the_new_roles(world, partnership_admin, handler):
    invitation = invite(
        by=partnership_admin,
        partnership=world.partnership,
        organisation=world.hospital,
        email=handler.email.upper(),
        full_name="Other Name",
        roles=[Role.REPORTER],
    )
    assert invitation.person == handler
    assert invitation_accept(token=token_for(invitation), password=PASSWORD) == handler
    assert User.objects.filter(email__iexact=handler.email).count() == 1
    assert set(Membership.objects.filter(user=handler).values_list("role", "organisation")) == {
        (Role.HANDLER, world.municipality.pk),
        (Role.REPORTER, world.hospital.pk),
    }


def test_the_email_goes_through_the_outbox_with_the_link(world, org_admin, mailoutbox, settings):
    settings.SITE_URL = "https://samhandling.test"
    invitation = invite_handler(org_admin, world)
    notification = Notification.objects.get(kind=NotificationKind.INVITATION, recipient=invitation.person)
    assert send_notification(notification.pk)
    message = mailoutbox[-1]
    assert message.to == ["ny.handler@kommune.test"]
    assert f"https://samhandling.test{accept_path(invitation)}" in message.body


def test_a_person_deactivated_elsewhere_does_not_get_those_roles_back_by_an_invitation(
    world, org_admin, partnership_admin, reporter
):
    reporter.is_active = False
    reporter.save()
    invitation = invite_handler(org_admin, world, email=reporter.email)
    invitation_accept(token=token_for(invitation), password=None)
    reporter.refresh_from_db()
    assert reporter.is_active
    assert list(Membership.objects.filter(user=reporter).values_list("role", "organisation")) == [
        (Role.HANDLER, world.municipality.pk)
    ]


def test_an_invited_administrator_is_led_into_setting_up_the_second_factor(client, world, partnership_admin, settings):
    settings.SECOND_FACTOR = "admins"
    invitation = invite_handler(partnership_admin, world, email="ny.admin@kommune.test")
    invitation.roles = [Role.ORG_ADMIN]
    invitation.save()
    url = reverse("administration:invitation_accept", args=[token_for(invitation)])
    response = client.post(url, {"new_password1": PASSWORD, "new_password2": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("second_factor_setup"))


def test_with_single_sign_on_the_invitation_is_accepted_without_a_password(client, world, org_admin, settings):
    settings.OIDC_ISSUER = "https://idp.test"
    invitation = invite_handler(org_admin, world)
    url = reverse("administration:invitation_accept", args=[token_for(invitation)])
    response = client.post(url, {"single_sign_on": "1"})
    assert response.url == reverse("oidc_authentication_init")
    person = User.objects.get(email="ny.handler@kommune.test")
    assert not person.has_usable_password()
    assert Membership.objects.filter(user=person, role=Role.HANDLER).exists()
