"""The API (/api/v1/), its schema and documentation, and the contact point's pages for clients.

API addresses are open to LoginRequiredMiddleware: a bearer token, not a session, authenticates them."""

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from avvik.api.views import cases, clients, events
from avvik.api.views.base import NotFoundView

app_name = "api"


def _open(view: Callable[..., Any]) -> Callable[..., Any]:
    return login_not_required(view)


v1 = [
    path("api/v1/cases/", _open(cases.CaseListView.as_view()), name="cases"),
    path("api/v1/cases/<str:reference>/", _open(cases.CaseDetailView.as_view()), name="case"),
    path("api/v1/cases/<str:reference>/comments/", _open(cases.CommentListView.as_view()), name="comments"),
    path("api/v1/cases/<str:reference>/comments/<int:pk>/", _open(cases.CommentDetailView.as_view()), name="comment"),
    path("api/v1/cases/<str:reference>/attachments/", _open(cases.AttachmentListView.as_view()), name="attachments"),
    path(
        "api/v1/cases/<str:reference>/attachments/<int:pk>/",
        _open(cases.AttachmentDownloadView.as_view()),
        name="attachment",
    ),
    path("api/v1/choices/", _open(cases.ChoicesView.as_view()), name="choices"),
    path("api/v1/message-events/", _open(events.EventBatchView.as_view()), name="message_events"),
]

urlpatterns = [
    *v1,
    path("api/schema/", _open(SpectacularAPIView.as_view()), name="schema"),
    path(
        "api/docs/",
        _open(SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/swagger_ui.html")),
        name="docs",
    ),
    # Any other address under /api/ is answered as the API answers, not with the site's HTML page.
    re_path(r"^api/", _open(NotFoundView.as_view()), name="not_found"),
    path("api-klienter/", clients.client_list, name="clients"),
    path("api-klienter/ny/", clients.client_create, name="client_create"),
    path("api-klienter/<int:pk>/ny-token/", clients.token_rotate, name="token_rotate"),
    path("api-klienter/<int:pk>/trekk-tilbake/", clients.client_revoke, name="client_revoke"),
    path("api-klienter/token/<int:pk>/trekk-tilbake/", clients.token_revoke, name="token_revoke"),
]
