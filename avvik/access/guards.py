"""What every view module shares: the role check."""

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from avvik.access.roles import Roles, roles_of
from avvik.tenancy.models import Partnership


def role_required(test: Callable[[Roles], bool]):
    """Refuse with 403 a signed-in person whose roles do not pass `test`."""

    def decorator(view):
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            if not test(roles_of(request.user)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def chosen_partnership(request: HttpRequest, partnership_ids):
    """The partnership named by ?p=slug among `partnership_ids` (404 for any other), else the first."""

    allowed = Partnership.objects.filter(pk__in=partnership_ids).order_by("name")
    slug = request.GET.get("p") or request.POST.get("p")
    return get_object_or_404(allowed, slug=slug) if slug else allowed.first()
