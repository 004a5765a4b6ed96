"""Errors as RFC 9457 problem details (`application/problem+json`): type, title, status, detail,
and for invalid input `errors`, the messages per field. One handler for every API view."""

import logging
from http import HTTPStatus
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler

logger = logging.getLogger("django.request")

PROBLEM_JSON = "application/problem+json"


def _titles() -> dict[int, str]:
    # Translated per call: the title follows the language of the request.
    return {
        400: _("The request has errors"),
        401: _("Not authenticated"),
        403: _("Not allowed"),
        404: _("Not found"),
        405: _("Method not allowed"),
        406: _("Not acceptable"),
        413: _("Too large"),
        415: _("Unsupported media type"),
        429: _("Too many requests"),
        500: _("Server error"),
    }


class PayloadTooLarge(exceptions.APIException):  # type: ignore[misc]  # DRF is untyped
    status_code = 413
    default_detail = "Too large."
    default_code = "too_large"


def problem(status: int, detail: str, *, code: str = "", errors: dict[str, list[str]] | None = None) -> Response:
    """A problem details response. `type` is about:blank: the status says what kind of problem it is,
    and `code` names it for programs."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": _titles().get(status) or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    if code:
        body["code"] = code
    if errors:
        body["errors"] = errors
    return Response(body, status=status, content_type=PROBLEM_JSON)


def _messages(detail: Any) -> dict[str, list[str]]:
    """DRF's nested error details as {field: [message, ...]}; nested fields joined with dots."""
    flat: dict[str, list[str]] = {}

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), inner)
        elif isinstance(value, list) and value and all(isinstance(v, dict | list) for v in value):
            for index, inner in enumerate(value):
                walk(f"{prefix}.{index}" if prefix else str(index), inner)
        elif isinstance(value, list):
            flat.setdefault(prefix or "non_field_errors", []).extend(str(v) for v in value)
        else:
            flat.setdefault(prefix or "non_field_errors", []).append(str(value))

    walk("", detail)
    return flat


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found, or not visible to this client."))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    response = exception_handler(exc, context)
    if response is None:
        # Not an API error: a bug. Logged as Django logs a failed request (and so sent to Sentry);
        # the client is told no more than that it failed.
        request = context.get("request")
        logger.error("Internal Server Error: %s", getattr(request, "path", ""), exc_info=exc)
        return problem(500, _("Something went wrong on our side. The error is logged; try again later."), code="error")
    assert isinstance(exc, exceptions.APIException)  # exception_handler answers nothing else
    status = response.status_code
    if isinstance(exc, exceptions.ValidationError):
        result = problem(
            status,
            _("The request has errors; see the messages per field."),
            code="invalid",
            errors=_messages(exc.detail),
        )
    else:
        detail = exc.detail if isinstance(exc.detail, str) else " ".join(_messages(exc.detail).get("detail", []))
        codes = exc.get_codes()
        result = problem(status, str(detail), code=codes if isinstance(codes, str) else exc.default_code)
    for header in ("WWW-Authenticate", "Retry-After", "Allow"):
        if header in response:
            result[header] = response[header]
    return result
