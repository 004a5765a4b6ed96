"""Root URL configuration: each area's pages, then Django's login pages and the admin site."""

from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Samhandling"
admin.site.site_title = "Samhandling"

urlpatterns = [
    path("", include("avvik.pages.urls")),
    path("", include("avvik.cases.urls")),
    path("", include("avvik.council.urls")),
    path("", include("avvik.exports.urls")),
    path("", include("avvik.archive.urls")),
    path("", include("avvik.deadlines.urls")),
    path("", include("avvik.outbox.urls")),
    path("", include("avvik.inbox.urls")),
    path("", include("avvik.accounts.urls")),
    path("", include("avvik.operations.urls")),
    path("", include("avvik.api.urls")),
    path("", include("avvik.register.urls")),
    path("", include("avvik.traffic.urls")),
    path("", include("avvik.webhooks.urls")),
    path("", include("avvik.measures.urls")),
    path("", include("avvik.duties.urls")),
    path("", include("avvik.partnership_admin.urls")),
    path("", include("avvik.administration.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]

# Our own error pages, in the person's language (avvik/pages/views.py).
handler400 = "avvik.pages.views.bad_request"
handler403 = "avvik.pages.views.permission_denied"
handler404 = "avvik.pages.views.page_not_found"
handler500 = "avvik.pages.views.server_error"
