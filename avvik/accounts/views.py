"""A person's own account: two-step login, settings and language."""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.views import PasswordResetView
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language

from avvik.accounts import services
from avvik.accounts.forms import AuthenticatorSetupForm, PreferencesForm, SecondFactorForm
from avvik.accounts.second_factor import (
    SETUP_KEY_SESSION_KEY,
    needs_verification,
    qr_svg,
    recovery_codes_left,
    second_factor_enabled,
    second_factor_required,
    secret_for_display,
    session_verified,
    setup_device,
)
from avvik.accounts.services import Verification
from avvik.accounts.throttling import allowed_again, client_key

security_log = logging.getLogger("samhandling.security")

NEW_CODES_SESSION_KEY = "samhandling_new_recovery_codes"


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return resolve_url("pages:home")


def _offered() -> None:
    if settings.SECOND_FACTOR == "off":
        raise Http404


@require_http_methods(["GET", "POST"])
def second_factor(request: HttpRequest) -> HttpResponse:
    """The code page every login passes when a second factor is required or switched on."""
    if not needs_verification(request):
        return redirect(_next_url(request))
    if not second_factor_enabled(request.user):
        return redirect(f"{resolve_url('second_factor_setup')}?{request.GET.urlencode()}")
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = services.second_factor_verify(request=request, code=form.cleaned_data["code"])
        if result is Verification.ACCEPTED:
            return redirect(_next_url(request))
        if result is Verification.WAIT:
            form.add_error("code", _("Too many wrong codes. Wait a minute and try again."))
        else:
            form.add_error("code", _("The code is not right. Check that the clock on your phone is correct."))
    return render(request, "accounts/second_factor.html", {"form": form, "next": _next_url(request)})


@require_http_methods(["GET", "POST"])
def second_factor_setup(request: HttpRequest) -> HttpResponse:
    """Adds (or replaces) the authenticator app. Replacing needs a verified session."""
    _offered()
    if second_factor_enabled(request.user) and not session_verified(request):
        return redirect("second_factor")
    device = setup_device(request)
    form = AuthenticatorSetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.authenticator_confirm(request=request, key=device.key, code=form.cleaned_data["code"])
        if codes is None:
            form.add_error("code", _("The code does not match. Scan the QR code again or check the phone's clock."))
        else:
            del request.session[SETUP_KEY_SESSION_KEY]
            request.session[NEW_CODES_SESSION_KEY] = codes
            messages.success(request, _("Two-step login is on."))
            return redirect(f"{resolve_url('second_factor_codes')}?next={_next_url(request)}")
    context = {
        "form": form,
        "qr": qr_svg(device, _("QR code to scan with the authenticator app")),
        "secret": secret_for_display(device),
        "required": second_factor_required(request.user),
        "replacing": second_factor_enabled(request.user),
        "next": _next_url(request),
    }
    return render(request, "accounts/second_factor_setup.html", context)


@require_http_methods(["GET", "POST"])
def second_factor_codes(request: HttpRequest) -> HttpResponse:
    """Shows new recovery codes once; a POST makes a new set (the old ones stop working)."""
    _offered()
    if not second_factor_enabled(request.user):
        return redirect("second_factor_setup")
    if request.method == "POST":
        request.session[NEW_CODES_SESSION_KEY] = services.recovery_codes_renew(user=request.user)
        messages.success(request, _("New recovery codes are made. The old ones no longer work."))
        return redirect("second_factor_codes")
    codes = request.session.pop(NEW_CODES_SESSION_KEY, None)
    context = {"codes": codes, "left": recovery_codes_left(request.user), "next": _next_url(request)}
    return render(request, "accounts/second_factor_codes.html", context)


@require_POST
def second_factor_remove(request: HttpRequest) -> HttpResponse:
    _offered()
    if second_factor_required(request.user):
        messages.error(request, _("Your role requires two-step login; it cannot be turned off."))
    else:
        services.second_factor_remove(user=request.user)
        messages.success(request, _("Two-step login is off."))
    return redirect("preferences")


@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.preferences_update(
            user=request.user,
            notification_delivery=form.cleaned_data["notification_delivery"],
            keyboard_shortcuts=form.cleaned_data["keyboard_shortcuts"],
        )
        messages.success(request, _("Your settings are saved."))
        return redirect("preferences")
    context = {
        "form": form,
        "second_factor_offered": settings.SECOND_FACTOR != "off",
        "second_factor_on": second_factor_enabled(request.user),
        "second_factor_required": second_factor_required(request.user),
    }
    return render(request, "accounts/preferences.html", context)


@login_not_required
@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """Django's language switch, and for a signed-in person also remembered on their account; chosen
    before login (on the login page), it is kept and stored on the account at login."""

    language = request.POST.get("language", "")
    if language in dict(settings.LANGUAGES):
        if request.user.is_authenticated:
            services.preferences_update(user=request.user, language=language)
        else:
            request.session[services.LANGUAGE_BEFORE_LOGIN_SESSION_KEY] = language
    return set_language(request)


class ThrottledPasswordResetView(PasswordResetView):
    """Django's password reset, sending at most PASSWORD_RESET_LIMIT e-mails an hour to one address
    and for one client. The page reads the same whether or not an e-mail went out, so it tells a
    stranger neither that the account exists nor that the limit was reached."""

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        email = form.cleaned_data["email"].strip().lower()
        keys = [f"address:{email}", f"client:{client_key(self.request)}"]
        if not allowed_again("password-reset", keys, limit=settings.PASSWORD_RESET_LIMIT, seconds=3600):
            security_log.warning("password reset throttled for %s", client_key(self.request))
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)
