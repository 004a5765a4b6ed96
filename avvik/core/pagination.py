"""Paging long lists without counting every row: COUNT(*) over a million visible cases costs more
than the page itself. Up to `cap` rows the list is counted as before; beyond that it shows
"more than cap" and pages with previous and next only."""

from typing import Any

from django.core.paginator import EmptyPage, Page, Paginator
from django.db.models import QuerySet
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
