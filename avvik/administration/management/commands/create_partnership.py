"""Start a new health partnership: `manage.py create_partnership --name "…" --admin-email …
[--slug …] [--written-form nb|nn]`. The partnership gets its defaults, and its first administrator an
invitation by e-mail; from there on the partnership is run in the web pages."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.urls import reverse

from avvik.administration.invitations import token_for
from avvik.administration.services import partnership_create
from avvik.tenancy.choices import WrittenForm


class Command(BaseCommand):
    help = "Create a health partnership and invite its partnership administrator."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True, help="The partnership's name.")
        parser.add_argument("--admin-email", required=True, help="Who is invited as its partnership administrator.")
        parser.add_argument("--admin-name", default="", help="The administrator's full name.")
        parser.add_argument("--slug", default="", help="The short name (default: made from the name).")
        parser.add_argument("--written-form", default=WrittenForm.BOKMAL, choices=WrittenForm.values)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with transaction.atomic():
                partnership, invitation = partnership_create(
                    name=options["name"],
                    admin_email=options["admin_email"],
                    admin_name=options["admin_name"],
                    slug=options["slug"],
                    written_form=options["written_form"],
                )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            f"Created {partnership.name} ({partnership.slug}); invited {invitation.email} "
            f"({reverse('administration:invitation_accept', args=[token_for(invitation)])})."
        )
