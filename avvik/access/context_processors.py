"""TODO"""

from avvik.access.roles import roles_of


def roles(request):
    """The signed-in person's roles, for the navigation."""
    return {"roles": roles_of(request.user)}
