"""Root URL configuration."""

from django.contrib import admin
from django.urls import include, path

from avvik import sso, views

admin.site.site_header = "Samhandling"
admin.site.site_title = "Samhandling"

urlpatterns = [
    path("", include("avvik.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("konto/totrinn/", views.second_factor, name="second_factor"),
    path("konto/totrinn/ny/", views.second_factor_setup, name="second_factor_setup"),
    path("konto/totrinn/reservekoder/", views.second_factor_codes, name="second_factor_codes"),
    path("konto/totrinn/slett/", views.second_factor_remove, name="second_factor_remove"),
    # Single sign-on; both answer 404 unless OIDC_ISSUER is configured.
    path("accounts/oidc/authenticate/", sso.SSOStartView.as_view(), name="oidc_authentication_init"),
    path("accounts/oidc/callback/", sso.SSOCallbackView.as_view(), name="oidc_authentication_callback"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/setlang/", views.language_set, name="set_language"),
    path("admin/", admin.site.urls),
]
