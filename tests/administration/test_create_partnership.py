"""manage.py create_partnership: the partnership with its defaults, and its administrator invited."""

import pytest
from django.core.management import CommandError, call_command

from avvik.administration.invitations import LinkState, invitation_accept, invitation_for_token, token_for
from avvik.administration.models import Invitation
from avvik.catalogue.models import Category
from avvik.outbox.choices import NotificationKind
from avvik.outbox.models import Notification
from avvik.tenancy.choices import Role
from avvik.tenancy.models import Membership, Partnership


def test_it_creates_the_partnership_and_invites_its_administrator(db):
    call_command("create_partnership", name="Helsefellesskap Nord", admin_email="Admin@Nord.test", written_form="nn")
    partnership = Partnership.objects.get(slug="helsefellesskap-nord")
    assert partnership.written_form == "nn"
    assert Category.objects.filter(partnership=partnership).exists()
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.roles, invitation.organisation) == (
        "admin@nord.test",
        ["partnership_admin"],
        None,
    )
    assert Notification.objects.filter(kind=NotificationKind.INVITATION, recipient=invitation.person).exists()
    person = invitation_accept(token=token_for(invitation), password="Fjordhest-Brunost-42")
    assert Membership.objects.get(user=person).role == Role.PARTNERSHIP_ADMIN


def test_a_taken_short_name_is_a_clear_error_and_creates_nothing(db):
    call_command("create_partnership", name="Helsefellesskap Nord", admin_email="a@nord.test", slug="nord")
    with pytest.raises(CommandError, match="nord"):
        call_command("create_partnership", name="Et annet navn", admin_email="b@nord.test", slug="nord")
    assert Partnership.objects.count() == 1
    assert Invitation.objects.count() == 1
    assert invitation_for_token(token_for(Invitation.objects.get()))[1] is LinkState.VALID
