"""A person's own account. The names are site-wide, as Django's own login and logout are."""

from django.urls import path

from avvik.accounts import sso, views

urlpatterns = [
    # Before Django's own login pages (included at accounts/): the reset e-mail is throttled.
    path("accounts/password_reset/", views.ThrottledPasswordResetView.as_view(), name="password_reset"),
    path("innstillinger/", views.preferences, name="preferences"),
    path("konto/totrinn/", views.second_factor, name="second_factor"),
    path("konto/totrinn/ny/", views.second_factor_setup, name="second_factor_setup"),
    path("konto/totrinn/reservekoder/", views.second_factor_codes, name="second_factor_codes"),
    path("konto/totrinn/slett/", views.second_factor_remove, name="second_factor_remove"),
    # Single sign-on; both answer 404 unless OIDC_ISSUER is configured.
    path("accounts/oidc/authenticate/", sso.SSOStartView.as_view(), name="oidc_authentication_init"),
    path("accounts/oidc/callback/", sso.SSOCallbackView.as_view(), name="oidc_authentication_callback"),
    path("i18n/setlang/", views.language_set, name="set_language"),
]
