"""The signed-in person's roles in every template, for the navigation."""

from django.http import HttpRequest

from avvik.access.roles import Roles, roles_of


def roles(request: HttpRequest) -> dict[str, Roles]:
    """The signed-in person's roles, for the navigation."""
    return {"roles": roles_of(request.user)}
