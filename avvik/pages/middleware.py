"""A request body over the limit is answered 413 with our page, not Django's bare 400, and an
upload too large for any form is refused before its body is read."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFilesSent
from django.http import HttpRequest, HttpResponse

from avvik.pages.views import request_too_large


class RequestTooLargeMiddleware:
    """Reads a form's body before anything else does, and answers 413 when it is too large.

    Django refuses a body over DATA_UPLOAD_MAX_MEMORY_SIZE (files not counted) with
    RequestDataTooBig when it is first read, which it answers 400. The check runs in
    process_view, so that the page is drawn after the person and their language are known; the
    middleware stands near the top of MIDDLEWARE, so that its process_view runs before
    CsrfViewMiddleware's reads the body.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: Any) -> HttpResponse | None:
        if request.method in ("GET", "HEAD", "OPTIONS", "TRACE"):
            return None
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is None:
            return None
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return None  # Django answers a malformed length itself
        if request.content_type != "multipart/form-data":
            # The whole body counts: refuse it by its declared length without reading it.
            return request_too_large(request) if length > limit else None
        if length > limit + settings.ATTACHMENTS_MAX_TOTAL_BYTES:
            # More than the fields and every file together may be: refused unread, so a person on a
            # slow line is told at once and the worker is not held by the upload.
            return request_too_large(request, files=True)
        try:
            request.POST  # noqa: B018  # parsing a multipart body counts its fields, not its files
        except RequestDataTooBig:
            return request_too_large(request)
        except TooManyFilesSent:
            return request_too_large(request, files=True)
        except OSError:
            return None  # the client went away; CsrfViewMiddleware treats it as before
        return None
