"""Bearer tokens for systems. A token authenticates as its client's service account, so every
scoping rule and service treats the system as it treats a person with the same memberships."""

import logging

from django.utils.translation import gettext as _
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from avvik.api.models import ApiToken
from avvik.api.services import token_authenticate
from avvik.tenancy.models import User

security_log = logging.getLogger("samhandling.security")


class BearerTokenAuthentication(BaseAuthentication):  # type: ignore[misc]  # DRF is untyped
    """`Authorization: Bearer <token>`; anything else is left to answer 401."""

    keyword = b"bearer"

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(_("Send the token as: Authorization: Bearer <token>."))
        try:
            presented = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed(_("The token is unknown, expired or revoked.")) from None
        token = token_authenticate(presented)
        if token is None:
            # Logged without the token: a mistyped secret must not end up in the logs.
            security_log.warning("API token refused for %s %s", request.method, request.path)
            raise AuthenticationFailed(_("The token is unknown, expired or revoked."))
        return token.client.service_account, token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'
