"""Each person's language: their own choice, else their organisation's written form."""

import logging

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode

from avvik.access.roles import roles_of
from avvik.accounts.second_factor import needs_verification
from avvik.accounts.services import LANGUAGE_BEFORE_LOGIN_SESSION_KEY, preferences_update

security_log = logging.getLogger("samhandling.security")


class PersonLanguageMiddleware:
    """Runs after authentication and overrides the browser's language for signed-in people. A
    language chosen on the login page becomes the person's own at their first request after login."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            chosen = request.session.pop(LANGUAGE_BEFORE_LOGIN_SESSION_KEY, None)
            if chosen in dict(settings.LANGUAGES) and chosen != user.language:
                preferences_update(user=user, language=chosen)
            language = user.language or roles_of(user).written_form
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)


class SessionLimitMiddleware:
    """Ends a session 12 hours after login even when it is used all the time, and keeps a used
    session from its idle expiry (SESSION_COOKIE_AGE) by saving it again at most once every
    SESSION_REFRESH_SECONDS, rather than at every request: a page view does not write the session
    row. The idle limit thereby counts from the last refresh, so it may end a session up to that
    much sooner than SESSION_COOKIE_AGE after the last request, never later."""

    KEY = "samhandling_login_at"
    REFRESHED_KEY = "samhandling_refreshed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = timezone.now().timestamp()
            started = request.session.setdefault(self.KEY, now)
            if now - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                return redirect(f"{resolve_url(settings.LOGIN_URL)}?next={request.path}")
        response = self.get_response(request)
        self._refresh(request)
        return response

    def _refresh(self, request) -> None:
        session = getattr(request, "session", None)
        # A session the request did not use, a stale cookie or one the view ended: nothing to keep.
        if session is None or not session.accessed or session.session_key is None or session.is_empty():
            return
        now = timezone.now().timestamp()
        refreshed = session.get(self.REFRESHED_KEY)
        if session.modified or refreshed is None or now - refreshed >= settings.SESSION_REFRESH_SECONDS:
            session[self.REFRESHED_KEY] = now  # saved by SessionMiddleware, with a new expiry


def session_limits_start(sender, request, user, **kwargs) -> None:
    """At login, which writes the session anyway, start its 12 hours and its refresh: the first
    page after login then has nothing to write."""
    session = getattr(request, "session", None)
    if session is not None:
        now = timezone.now().timestamp()
        session[SessionLimitMiddleware.KEY] = now
        session[SessionLimitMiddleware.REFRESHED_KEY] = now


class NoStoreMiddleware:
    """Pages for a signed-in person may carry case data: never keep them in a cache. Refused
    accesses are logged, so that probing for other tenants' cases can be seen."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store"
            if response.status_code in (403, 404):
                security_log.warning(
                    "refused %s %s for person %s: %s", request.method, request.path, user.pk, response.status_code
                )
        return response


class SecondFactorMiddleware:
    """Until a person who must give a second factor has given it in this session, every page
    but the code page, set-up, logout and the language switch sends them there. One gate for
    every path in: the login form, a password reset, the admin login and a typed URL."""

    OPEN = frozenset(
        {
            "second_factor",
            "second_factor_setup",
            "logout",
            "set_language",
            "healthz",
            "pages:accessibility",
        }
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.resolver_match.view_name in self.OPEN or not needs_verification(request):
            return None
        target = reverse("second_factor")
        if request.method == "GET":
            target = f"{target}?{urlencode({'next': request.get_full_path()})}"
        return redirect(target)
