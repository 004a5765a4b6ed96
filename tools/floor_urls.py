"""The tiny page the floor is measured on (tools/middleware_cost.py), before the site's own URLs:
middleware reverses the login and second-factor pages."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

FLOOR_PATH = "/_middleware_cost/floor/"


def floor(request: HttpRequest) -> HttpResponse:
    """Who is signed in, without a template or a query of its own."""
    return HttpResponse(f"<!doctype html><title>floor</title><p>{request.user.pk}</p>")


urlpatterns = [
    path(FLOOR_PATH.strip("/") + "/", floor, name="middleware_cost_floor"),
    path("", include("samhandling.urls")),
]
