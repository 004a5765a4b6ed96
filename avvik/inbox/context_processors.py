"""The bell in the navigation: the signed-in person's unread notices."""

from typing import Any

from django.http import HttpRequest
from django.utils.functional import cached_property

from avvik.inbox.selectors import UNREAD_CAP, unread_count


class UnreadNotices:
    """Counted the first time a template reads it, and only then: a page without the navigation
    (or a visitor who is not signed in) costs no query."""

    cap = UNREAD_CAP

    def __init__(self, user: Any) -> None:
        self.user = user

    @cached_property
    def count(self) -> int:
        """The unread notices, up to `cap + 1`."""
        if not getattr(self.user, "is_authenticated", False):
            return 0
        return unread_count(self.user)

    @property
    def more_than_cap(self) -> bool:
        return self.count > self.cap

    @property
    def shown(self) -> str:
        """What the badge shows: the count, or "99+"."""
        return f"{self.cap}+" if self.more_than_cap else str(self.count)


def unread_notices(request: HttpRequest) -> dict[str, UnreadNotices]:
    return {"unread_notices": UnreadNotices(getattr(request, "user", None))}
