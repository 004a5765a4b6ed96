"""What every view module shares: the role check."""

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from avvik.selectors import (
    Roles,
    roles_of,
)


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
