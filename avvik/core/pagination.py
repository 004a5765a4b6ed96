"""Paging long lists without counting every row: COUNT(*) over a million visible cases costs more
than the page itself. Up to `cap` rows the list is counted as before; beyond that it shows
"more than cap" and pages with previous and next only."""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.core.paginator import EmptyPage, Page, Paginator
from django.db.models import Q, QuerySet
from django.utils.functional import cached_property


class CappedPage(Page[Any]):
    paginator: "CappedPaginator"
    has_more = False

    def has_next(self) -> bool:
        if self.paginator.capped:
            return self.has_more
        return super().has_next()

    def end_index(self) -> int:
        return (self.number - 1) * self.paginator.per_page + len(self)


class CappedPaginator(Paginator):  # type: ignore[type-arg]  # Paginator is not generic at run time
    object_list: QuerySet[Any]
    cap = 1000

    def __init__(self, *args: Any, cap: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if cap is not None:
            self.cap = cap

    @cached_property
    def count(self) -> int:
        """The number of rows, but at most `cap + 1`: COUNT(*) over a LIMIT stops early."""
        # Without the ordering the database may stop at any cap + 1 rows, not the newest ones.
        return self.object_list.order_by()[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.cap

    @cached_property
    def num_pages(self) -> int | None:  # type: ignore[override]  # None: too many rows to count
        return None if self.capped else super().num_pages

    def validate_number(self, number: int | float | str) -> int:
        if not self.capped:
            return super().validate_number(number)
        try:
            number = int(number)
        except (TypeError, ValueError):
            return super().validate_number(number)  # raises PageNotAnInteger
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number

    def page(self, number: int | str) -> Page[Any]:
        if not self.capped:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        # One row more than the page shows: whether there is a next page, without a count.
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        page = self._get_page(rows[: self.per_page], number, self)
        page.has_more = len(rows) > self.per_page
        return page

    def _get_page(self, *args: Any, **kwargs: Any) -> CappedPage:
        return CappedPage(*args, **kwargs)


class PageCountedPaginator(CappedPaginator):
    """Counts no further than the page: "more than" the rows up to the end of this page while
    another row follows, the exact number on the last page. For a text search, where every match
    counted is a row read and its words rechecked, so even a capped count costs more than the page."""

    def settle(self, *, shown: int, more: bool) -> None:
        """What the page found: `shown` rows up to its end, and whether more follow."""
        self.cap = shown
        self.__dict__["count"] = shown + 1 if more else shown
        self.__dict__.pop("num_pages", None)

    def page(self, number: int | str) -> Page[Any]:
        try:
            number = int(number)
        except (TypeError, ValueError):
            return super().page(number)  # raises PageNotAnInteger
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        more = len(rows) > self.per_page
        self.settle(shown=bottom + min(len(rows), self.per_page), more=more)
        page = self._get_page(rows[: self.per_page], number, self)
        page.has_more = more
        return page


# Keyset paging ----------------------------------------------------------------------------------
# OFFSET reads and throws away every row before the page; a cursor (the last row's sort key and id)
# starts where the previous page ended, through the same index, however deep the page.

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_CURSOR = re.compile(r"(\d{1,17})-(\d{1,18})")


@dataclass(frozen=True)
class Cursor:
    """Where a page starts or ends: a row's sort key (a timestamp) and its id, which breaks ties."""

    at: datetime
    pk: int

    def __str__(self) -> str:
        return f"{(self.at - _EPOCH) // _MICROSECOND}-{self.pk}"

    @classmethod
    def parse(cls, text: str) -> "Cursor | None":
        """The cursor a link carries, or None for text that is not one."""
        match = _CURSOR.fullmatch(text)
        if match is None:
            return None
        try:
            at = _EPOCH + int(match[1]) * _MICROSECOND
        except OverflowError:
            return None
        return cls(at=at, pk=int(match[2]))


class KeysetPage(CappedPage):
    """A page read from a cursor: it knows its neighbours, not its offset. `number` is the page's
    place as the links counted it, for the label only."""

    def __init__(
        self, object_list: list[Any], number: int, paginator: "CappedPaginator", *, more_before: bool, more_after: bool
    ) -> None:
        super().__init__(object_list, number, paginator)
        self.more_before, self.has_more = more_before, more_after

    def has_next(self) -> bool:
        return self.has_more

    def has_previous(self) -> bool:
        return self.more_before

    def start_index(self) -> int:
        return (self.number - 1) * self.paginator.per_page + 1 if self.object_list else 0


def keyset_rows(
    queryset: QuerySet[Any], *, field: str, descending: bool, cursor: Cursor, forward: bool, size: int
) -> tuple[list[Any], bool]:
    """Up to `size` rows on one side of `cursor` in the order (`field`, pk), descending or not, and
    whether more lie beyond them. `forward`: the rows after the cursor, else those before it (returned
    in the list's order)."""
    later = forward != descending  # larger keys come next
    beyond = "gt" if later else "lt"
    condition = Q(**{f"{field}__{beyond}": cursor.at}) | Q(**{field: cursor.at, f"pk__{beyond}": cursor.pk})
    key, pk = (field, "pk") if later else (f"-{field}", "-pk")
    rows = list(queryset.filter(condition).order_by(key, pk)[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    if not forward:
        rows.reverse()
    return rows, more
