"""Scopes: a client may call an operation only with the scope the view names for its method."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from avvik.api.models import ApiToken

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class ClientHasScope(BasePermission):  # type: ignore[misc]  # DRF is untyped
    """The token's client holds the view's `read_scope` for reads and `write_scope` for writes
    (a scope, or a tuple of scopes any of which will do).
    A view that names neither is refused, so a forgotten scope never opens an operation."""

    message = _("The client does not have the scope this operation needs.")

    def has_permission(self, request: Request, view: Any) -> bool:
        token = request.auth
        if not isinstance(token, ApiToken):
            return False
        needed = getattr(view, "read_scope" if request.method in SAFE_METHODS else "write_scope", None)
        if not needed:
            return False
        # A tuple names alternatives: any one of them is enough.
        alternatives = needed if isinstance(needed, tuple) else (needed,)
        return any(scope in token.client.scopes for scope in alternatives)
