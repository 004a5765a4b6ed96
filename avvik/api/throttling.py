"""Each client is throttled on its own: one busy system does not slow the others."""

from typing import Any

from django.core.cache import caches
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from avvik.api.models import ApiToken


class ClientRateThrottle(SimpleRateThrottle):  # type: ignore[misc]  # DRF is untyped
    """API_REQUESTS_PER_MINUTE per client (all its tokens together); counted in the `api` cache,
    which is Redis when REDIS_URL is set, so every web process counts the same client together.
    Calls without a valid token are counted by address."""

    scope = "api_client"
    cache = caches["api"]

    def get_cache_key(self, request: Request, view: Any) -> str:
        token = request.auth
        ident = f"client-{token.client_id}" if isinstance(token, ApiToken) else f"address-{self.get_ident(request)}"
        key: str = self.cache_format % {"scope": self.scope, "ident": ident}
        return key
