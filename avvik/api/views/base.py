"""What every endpoint shares: token authentication, scopes, the per-client throttle, problem+json
errors, and a row in the call log for every authenticated call."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from avvik.api.models import ApiCall, ApiToken
from avvik.api.problems import PROBLEM_JSON, problem
from avvik.tenancy.models import User


class ApiView(APIView):  # type: ignore[misc]  # DRF is untyped
    """An endpoint. Subclasses name `read_scope` and/or `write_scope` (avvik.api.permissions)."""

    read_scope: str | tuple[str, ...] = ""
    write_scope: str | tuple[str, ...] = ""

    @property
    def client_user(self) -> User:
        user = self.request.user
        assert isinstance(user, User)  # the permission class let only a token's service account in
        return user

    @property
    def token(self) -> ApiToken:
        token = self.request.auth
        assert isinstance(token, ApiToken)
        return token

    def permission_denied(self, request: Request, message: str | None = None, code: str | None = None) -> None:
        if request.authenticators and not request.successful_authenticator:
            raise exceptions.NotAuthenticated(_("Send a token: Authorization: Bearer <token>."))
        raise exceptions.PermissionDenied(message, code)

    def throttled(self, request: Request, wait: float | None) -> None:
        seconds = int(wait or 0) + 1
        raise exceptions.Throttled(
            wait,
            detail=_("Too many requests from this client. Try again in {seconds} seconds.").format(seconds=seconds),
        )

    def http_method_not_allowed(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Response:
        raise exceptions.MethodNotAllowed(
            request.method or "", detail=_("The method {method} is not allowed here.").format(method=request.method)
        )

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        token = getattr(request, "auth", None)
        if isinstance(token, ApiToken):
            ApiCall.objects.create(
                client_id=token.client_id,
                token=token,
                method=(request.method or "")[:10],
                path=request.get_full_path()[:300],
                status=response.status_code,
            )
        if response.status_code >= 400 and response.get("Content-Type", "").startswith("application/json"):
            response["Content-Type"] = PROBLEM_JSON
        return response


class NotFoundView(APIView):  # type: ignore[misc]  # DRF is untyped
    """Any other address under /api/: 404 as problem+json, not the site's HTML page."""

    authentication_classes = ()
    permission_classes = ()
    throttle_classes = ()
    schema = None  # not an operation of the API

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Response:
        self.args, self.kwargs, self.request = args, kwargs, self.initialize_request(request)
        self.headers = self.default_response_headers
        response = problem(404, _("There is no such address in the API."), code="not_found")
        self.response = self.finalize_response(self.request, response)
        return self.response
