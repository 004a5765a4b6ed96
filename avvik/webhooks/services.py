"""Registering and switching off webhooks: an organisation administrator, for their own organisation."""

import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from avvik.access.roles import roles_of
from avvik.core.crypto import encrypt
from avvik.tenancy.models import Organisation, User
from avvik.webhooks.models import Endpoint
from avvik.webhooks.targets import check_target


def _check_admin(by: User, organisation_id: int) -> None:
    if organisation_id not in roles_of(by).admin_in:
        raise PermissionDenied(_("You do not administer this organisation."))


@transaction.atomic
def endpoint_create(*, by: User, organisation: Organisation, name: str, url: str) -> tuple[Endpoint, str]:
    """Register a webhook; returns it and its signing secret, which is shown this once."""
    _check_admin(by, organisation.pk)
    check_target(url)
    secret = secrets.token_urlsafe(32)
    endpoint = Endpoint.objects.create(
        organisation=organisation, name=name, url=url, secret=encrypt(secret), created_by=by
    )
    return endpoint, secret


@transaction.atomic
def endpoint_switch_off(*, by: User, endpoint: Endpoint) -> Endpoint:
    _check_admin(by, endpoint.organisation_id)
    endpoint.is_active = False
    endpoint.save(update_fields=["is_active"])
    return endpoint
