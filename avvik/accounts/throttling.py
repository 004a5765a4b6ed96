"""Throttling what strangers can repeat: wrong passwords counted per account however the address is
typed, and e-mails with a password link sent at most a few times per address and per client."""

from typing import Any

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def normalised_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    """The account django-axes counts failures against: the e-mail address as login matches it
    (case-insensitively, without surrounding space), so `Leiar@…` and `lEiar@…` count as one."""
    data = credentials if credentials is not None else getattr(request, "data", request.POST)
    return str(data.get(settings.AXES_USERNAME_FORM_FIELD) or "").strip().lower()


def allowed_again(kind: str, keys: list[str], *, limit: int, seconds: int) -> bool:
    """Count one more use of `kind` for each key (an address, a client); False once any key has
    had `limit` uses within `seconds`. Counted in Django's cache: exact across web processes when
    the cache is shared between them, per process otherwise (docs/deploy.md)."""
    allowed = True
    for key in keys:
        name = f"throttle:{kind}:{key}"
        cache.add(name, 0, timeout=seconds)
        try:
            used = cache.incr(name)
        except ValueError:  # expired between add and incr
            cache.set(name, 1, timeout=seconds)
            used = 1
        allowed = allowed and used <= limit
    return allowed


def client_key(request: HttpRequest) -> str:
    return get_client_ip_address(request) or "unknown"
