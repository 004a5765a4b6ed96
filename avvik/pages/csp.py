"""The Content-Security-Policy header, built once per process rather than on every response.

django-csp builds the header from CONTENT_SECURITY_POLICY on each response (copying, sorting and
joining every directive). Our policy is the same for every page: no nonce, and no view changes it
with django-csp's decorators. So the header is built once, by django-csp's own build_policy, and
reused; a response or request that does carry its own parts (a decorator, a nonce asked for) goes
through django-csp unchanged, as does a setting changed while running (tests).
"""

from functools import cache

from csp.constants import HEADER
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from django.http.response import HttpResponseBase

# What django-csp's decorators set on a response, and the nonce it keeps on the request.
_PER_RESPONSE = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_exempt",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
    "_csp_exempt_ro",
)


@cache
def _header() -> str:
    """The enforced policy from settings, as django-csp would build it for a plain response."""
    return build_policy()


@cache
def _plain() -> bool:
    """True when settings hold only an enforced policy, with no report-only one and no excluded paths."""
    policy = getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}
    return (
        bool(_header())
        and not getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
        and not policy.get("EXCLUDE_URL_PREFIXES")
    )


@receiver(setting_changed)
def _forget(*, setting: str, **kwargs: object) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _header.cache_clear()
        _plain.cache_clear()


class CachedPolicyCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, writing the header built once when nothing about the response changes it."""

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if (
            not _plain()
            or getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in _PER_RESPONSE)
            or (response.status_code in (404, 500) and settings.DEBUG)
        ):
            return super().process_response(request, response)
        if HEADER not in response:
            response[HEADER] = _header()
        # As django-csp does: a nonce asked for after the header is written is an error, not a silent gap.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response
