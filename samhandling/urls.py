"""Root URL configuration."""

from django.contrib import admin
from django.urls import include, path

from avvik import views

admin.site.site_header = "Samhandling"
admin.site.site_title = "Samhandling"

urlpatterns = [
    path("", include("avvik.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/setlang/", views.language_set, name="set_language"),
    path("admin/", admin.site.urls),
]
