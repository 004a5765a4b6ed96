"""What every view module shares: the role check."""

from collections.abc import Callable, Iterable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from avvik.access.roles import Roles, roles_of
from avvik.tenancy.models import Partnership

if TYPE_CHECKING:
    from avvik.tenancy.models import User

    class AuthenticatedHttpRequest(HttpRequest):
        """A request past LoginRequiredMiddleware: the person is signed in (for type checking only)."""

        user: User


_Response = TypeVar("_Response")


def role_required(test: Callable[[Roles], bool]) -> Callable[[Callable[..., _Response]], Callable[..., _Response]]:
    """Refuse with 403 a signed-in person whose roles do not pass `test`."""

    def decorator(view: Callable[..., _Response]) -> Callable[..., _Response]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> _Response:
            if not test(roles_of(request.user)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def chosen_partnership(request: HttpRequest, partnership_ids: Iterable[int]) -> Partnership | None:
    """The partnership named by ?p=slug among `partnership_ids` (404 for any other), else the first."""

    allowed = Partnership.objects.filter(pk__in=partnership_ids).order_by("name")
    slug = request.GET.get("p") or request.POST.get("p")
    return get_object_or_404(allowed, slug=slug) if slug else allowed.first()
