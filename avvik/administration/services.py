"""Writes that run a partnership: setting up a new one with what it starts from."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from avvik.administration.invitations import invite
from avvik.administration.models import Invitation
from avvik.catalogue.defaults import catalogue_defaults_create
from avvik.deadlines.services import default_policies_create
from avvik.tenancy.choices import Role, WrittenForm
from avvik.tenancy.models import Partnership


@transaction.atomic
def partnership_setup(*, partnership: Partnership) -> None:
    """Give a partnership the default categories, the guideline's clauses and the deadlines it lacks."""
    default_policies_create(partnership=partnership)
    catalogue_defaults_create(partnership=partnership)


@transaction.atomic
def partnership_create(
    *, name: str, admin_email: str, admin_name: str = "", slug: str = "", written_form: str = WrittenForm.BOKMAL
) -> tuple[Partnership, Invitation]:
    """A new partnership with its defaults, and the first invitation: to its partnership administrator.
    Refuses a name or short name that is taken, so that running it twice creates nothing twice."""
    slug = slug or slugify(name)
    if not slug:
        raise ValidationError(_("The partnership needs a short name."), code="no_slug")
    if Partnership.objects.filter(slug=slug).exists():
        raise ValidationError(_("A partnership with the short name %(slug)s exists.") % {"slug": slug}, code="slug")
    if Partnership.objects.filter(name=name).exists():
        raise ValidationError(_("A partnership named %(name)s exists.") % {"name": name}, code="name")
    partnership = Partnership.objects.create(name=name, slug=slug, written_form=written_form)
    partnership_setup(partnership=partnership)
    invitation = invite(
        by=None,
        partnership=partnership,
        organisation=None,
        email=admin_email,
        full_name=admin_name or admin_email,
        roles=[Role.PARTNERSHIP_ADMIN],
    )
    return partnership, invitation
