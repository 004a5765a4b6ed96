"""The deviation lists and their exports."""

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import ListView

from avvik.access.roles import Roles, roles_of
from avvik.cases import services
from avvik.cases.choices import AccessKind, Status
from avvik.cases.filters import DeviationFilter, DeviationFilterForm
from avvik.cases.forms.saved_filters import SavedFilterForm
from avvik.cases.models.deviation import Deviation
from avvik.cases.models.saved_filters import SavedFilter
from avvik.cases.querysets import DeviationQuerySet
from avvik.cases.queues import QUEUES, Queue
from avvik.cases.views.common import LIST_READ_AFTER, attach_related
from avvik.core.exports import csv_response
from avvik.core.pagination import CappedPaginator, Cursor, KeysetPage, PageCountedPaginator, keyset_rows
from avvik.exports.services import TooManyExports, export_request

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from avvik.access.guards import AuthenticatedHttpRequest


# An empty list of a reporter's own cases under a filter.
NONE_OF_YOURS_MATCH = gettext_lazy("None of the deviations you have reported match the filter.")

# A CSV download of more rows than this is written by a worker and fetched from the export page.
CSV_STREAMED_ROWS = 10_000

# The highest page number asked for: beyond it the offset is nonsense (and may overflow the database's).
MAX_PAGE = 100_000

# The orders a long list pages through with a cursor (?after= / ?before=, the last or first row's
# key) instead of an offset: (sort key field, descending). Each has an index per scope.
KEYSET_ORDERS = {"-created": ("created_at", True), "created": ("created_at", False)}
CURSOR_PARAMETERS = ("after", "before")


class DeviationListView(ListView):  # type: ignore[type-arg]  # not generic at run time
    """A filtered, sorted, paginated list of deviations, and its CSV export.

    Every list starts from `Deviation.objects.visible_to(user)`; a subclass narrows it in
    `scope()` and must say who may open it.
    """

    request: "AuthenticatedHttpRequest"
    template_name = "cases/deviation_list.html"
    paginate_by = 25
    paginator_class = CappedPaginator
    list_name = ""
    title: "StrOrPromise" = ""
    empty_text: "StrOrPromise" = ""
    allowed: Callable[[Roles], bool] | None = None
    # The order without a sort chosen, and the statuses shown without a status chosen (None: all).
    default_ordering = "-created"
    default_statuses: tuple[str, ...] | None = None
    refused = False
    missing_page = False

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if self.allowed is None:
            raise ImproperlyConfigured(f"{type(self).__name__} must set `allowed`.")
        if not self.allowed(roles_of(request.user)):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def scope(self, queryset: DeviationQuerySet) -> DeviationQuerySet:
        raise ImproperlyConfigured(f"{type(self).__name__} must define scope().")

    def get_queryset(self) -> QuerySet[Deviation]:
        base = self.scope(Deviation.objects.visible_to(self.request.user))
        self.filterset = DeviationFilter(
            self.request.GET or None,
            queryset=base,
            user=self.request.user,
            default_ordering=self.default_ordering,
            default_statuses=self.default_statuses,
        )
        return self.filterset.qs

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:  # type: ignore[override]  # the CSV streams
        self.object_list = self.get_queryset()
        export = request.GET.get("format") or ""
        if export not in ("", "csv", "xlsx"):
            self.filterset.form.add_error(None, _("Downloads are made as CSV or Excel (format=csv or format=xlsx)."))
        if self.filterset.is_bound and not self.filterset.is_valid():
            return self.refuse(status=400)
        page = request.GET.get(self.page_kwarg) or ""
        if page and not (page.isascii() and page.isdigit() and 1 <= int(page) <= MAX_PAGE):
            return self.no_such_page(page)
        if any(request.GET.get(name) and Cursor.parse(request.GET[name]) is None for name in CURSOR_PARAMETERS):
            return self.no_such_page(page or "?")
        if export == "csv":
            return self.export_csv()
        if export == "xlsx":
            return self.export_xlsx()
        try:
            context = self.get_context_data()
        except Http404:  # a page beyond the last
            return self.no_such_page(page)
        return self.render_to_response(context)

    def no_such_page(self, page: str) -> HttpResponse:
        """A page number that is not one, or beyond the last page: 404, saying so on the list page."""
        self.filterset.form.add_error(None, _("There is no page {number} in this list.").format(number=page[:20]))
        self.missing_page = True
        return self.refuse(status=404)

    def refuse(self, *, status: int) -> HttpResponse:
        """The list page with the filter's errors and no rows: a filter in error is never read as
        "no filter", neither on the page nor in a download."""
        self.refused = True
        self.object_list = Deviation.objects.none()
        return self.render_to_response(self.get_context_data(), status=status)

    def get_paginate_by(self, queryset: QuerySet[Deviation]) -> int | None:
        return None if self.refused else self.paginate_by

    def get_paginator(self, *args: Any, **kwargs: Any) -> CappedPaginator:
        # A text search counts no further than its page: each match counted is a row read and its
        # words rechecked, and even a count capped at a hundred cost four times the page.
        if self.searching():
            return PageCountedPaginator(*args, **kwargs)
        return cast("CappedPaginator", super().get_paginator(*args, **kwargs))

    def searching(self) -> bool:
        return not self.refused and bool(getattr(self.filterset.form, "cleaned_data", {}).get("q"))

    def sort_key(self) -> str:
        """The key of the order the list is in (avvik.cases.filters.SORTS)."""
        chosen = getattr(self.filterset.form, "cleaned_data", {}).get("ordering") if self.filterset.is_bound else ""
        return chosen or self.default_ordering

    def paginate_queryset(self, queryset: Any, page_size: int) -> tuple[Any, ...]:
        """The page's rows with what they show of their organisations and category."""
        paginator, page, rows, is_paginated = self._page(queryset, page_size)
        page.object_list = rows = list(rows)
        # The filter form offers the partnership's organisations and categories: the rows take theirs from it.
        form = cast("DeviationFilterForm", self.filterset.form)
        attach_related(rows, LIST_READ_AFTER, known=form.choice_rows)
        return paginator, page, rows, is_paginated

    def _page(self, queryset: Any, page_size: int) -> tuple[Any, ...]:
        """A page by offset, or, with a cursor in a keyset order, the rows next to the cursor."""
        order = KEYSET_ORDERS.get(self.sort_key())
        cursors = [(name, Cursor.parse(self.request.GET.get(name) or "")) for name in CURSOR_PARAMETERS]
        chosen = [(name, cursor) for name, cursor in cursors if cursor is not None]
        if order is None or not chosen:
            return super().paginate_queryset(queryset, page_size)
        name, cursor = chosen[0]
        paginator = self.get_paginator(queryset, page_size)
        field, descending = order
        forward = name == "after"
        rows, more = keyset_rows(
            queryset, field=field, descending=descending, cursor=cursor, forward=forward, size=page_size
        )
        if not rows:
            raise Http404
        number = int(self.request.GET.get(self.page_kwarg) or 2)
        if isinstance(paginator, PageCountedPaginator):
            # Rows before this page are not counted again: it is at least where the links say.
            paginator.settle(shown=(number - 1) * page_size + len(rows), more=more or not forward)
        page = KeysetPage(
            rows, number, paginator, more_before=more if not forward else True, more_after=more if forward else True
        )
        return paginator, page, page.object_list, True

    def page_links(self, page: Any, query: str) -> tuple[str, str]:
        """The query strings of the previous and the next page ("" where there is none): a cursor
        beside the page's place in a long list in a keyset order, the page number otherwise."""
        if page is None:
            return "", ""
        prefix = f"{query}&" if query else ""
        keyset = self.sort_key() in KEYSET_ORDERS and page.paginator.capped and page.object_list
        previous = following = ""
        if page.has_previous():
            number = page.number - 1
            if number <= 1:
                previous = f"{prefix}page=1"
            elif keyset:
                previous = f"{prefix}before={self.cursor_of(page.object_list[0])}&page={number}"
            else:
                previous = f"{prefix}page={number}"
        if page.has_next():
            number = page.number + 1
            if keyset:
                following = f"{prefix}after={self.cursor_of(page.object_list[-1])}&page={number}"
            else:
                following = f"{prefix}page={number}"
        return previous, following

    def cursor_of(self, deviation: Deviation) -> Cursor:
        field, _descending = KEYSET_ORDERS[self.sort_key()]
        return Cursor(at=getattr(deviation, field), pk=deviation.pk)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        for name in ("page", "format", *CURSOR_PARAMETERS):
            query.pop(name, None)
        previous_query, next_query = self.page_links(context.get("page_obj"), query.urlencode())
        context.update(
            previous_query=previous_query,
            next_query=next_query,
            filter=self.filterset,
            refused=self.refused,
            missing_page=self.missing_page,
            title=self.title,
            empty_text=self.empty_text,
            list_name=self.list_name,
            query=query.urlencode(),
            statuses_shown=self.statuses_shown(),
            more_filters_chosen=any(key not in ("q", "page", *CURSOR_PARAMETERS) for key in self.request.GET),
            saved_filters=SavedFilter.objects.owned_by(self.request.user),
            saved_filter_form=SavedFilterForm(initial={"list_name": self.list_name, "query": query.urlencode()}),
        )
        return context

    def statuses_shown(self) -> str:
        """The statuses a work queue shows while the filter chooses none, as words (empty: all)."""
        if self.default_statuses is None or self.filterset.form["status"].value():
            return ""
        return ", ".join(str(Status(value).label) for value in Status.values if value in self.default_statuses)

    def export_rows(self) -> Iterator[list[str]]:
        """The header and the rows of an export: the same for CSV and XLSX. The read is logged at once,
        not when a streamed response reaches the rows."""
        services.access_log_write(
            user=self.request.user, kind=AccessKind.EXPORT, detail=f"{self.list_name}?{self.request.GET.urlencode()}"
        )
        return self._rows(translation.get_language())

    def _rows(self, language: str) -> Iterator[list[str]]:
        # A streamed response is read after the view has returned: keep the request's language.
        with translation.override(language):
            yield from self._translated_rows()

    def _translated_rows(self) -> Iterator[list[str]]:
        yield [
            _("Reference"),
            _("Reported"),
            _("Happened"),
            _("Status"),
            _("Category"),
            _("Agreement clause"),
            _("Consequence"),
            _("Reported by"),
            _("Other party"),
            _("Responsible organisation"),
            _("Answer due"),
            _("Potential consequence"),
            _("Message type"),
            _("Receipt (AppRec)"),
            _("AppRec error code"),
            _("Channel used"),
            # Last, as the free text it is.
            _("Title"),
        ]
        rows = cast("DeviationQuerySet", self.get_queryset()).for_list().select_related("clause")
        for d in rows.iterator(chunk_size=2000):
            yield [
                value
                for value in (
                    d.reference,
                    timezone.localtime(d.created_at).strftime("%Y-%m-%d %H:%M"),
                    timezone.localtime(d.occurred_at).strftime("%Y-%m-%d %H:%M"),
                    d.get_status_display(),
                    d.category.display_name,
                    str(d.clause) if d.clause else "",
                    d.get_consequence_display(),
                    d.reporting_organisation.name,
                    d.counterpart.name,
                    d.responsible_organisation.name if d.responsible_organisation else "",
                    d.answer_due.isoformat() if d.answer_due else "",
                    d.get_potential_consequence_display(),
                    d.get_message_type_display(),
                    d.get_apprec_display(),
                    d.apprec_error_code,
                    d.get_channel_display(),
                    d.title,
                )
            ]

    def _filename(self, extension: str) -> str:
        return f"avvik-{self.list_name}-{timezone.localtime():%Y%m%d-%H%M}.{extension}"

    def export_csv(self) -> HttpResponseBase:
        """Streamed row by row from a server-side cursor up to CSV_STREAMED_ROWS rows; a longer list is
        written by a worker like the Excel file, so no web process is held by a slow download."""
        if self.filterset.qs[: CSV_STREAMED_ROWS + 1].count() > CSV_STREAMED_ROWS:
            return self.export_by_worker("csv")
        return csv_response(self.export_rows(), self._filename("csv"))

    def export_xlsx(self) -> HttpResponse:
        """For coordinators: the same rows as a spreadsheet, made by a worker (avvik.exports) while the
        person follows it on the export's page; the read is logged when the file is downloaded."""
        if not roles_of(self.request.user).is_coordinator:
            raise PermissionDenied
        return self.export_by_worker("xlsx")

    def export_by_worker(self, file_format: str) -> HttpResponse:
        try:
            export = export_request(
                by=self.request.user,
                list_name=self.list_name,
                list_path=self.request.path,
                query=self.request.GET.urlencode(),
                file_format=file_format,
                language=translation.get_language(),
            )
        except TooManyExports as refusal:
            messages.error(self.request, str(refusal))
            return redirect("exports:list")
        return redirect("exports:detail", pk=export.pk)


class QueueView(DeviationListView):
    """One work queue (avvik.cases.queues): its cases, default statuses and order."""

    queue: Queue

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.list_name = self.queue.name
        self.title = self.queue.label
        self.empty_text = self.queue.empty_text
        self.default_ordering = self.queue.ordering
        self.default_statuses = self.queue.statuses

    def allowed(self, roles: Roles) -> bool:
        return self.queue.allowed(roles)

    def scope(self, queryset: DeviationQuerySet) -> DeviationQuerySet:
        return self.queue.narrow(queryset, roles_of(self.request.user), timezone.localdate())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if self.list_name == "mine" and self.filterset.is_bound:
            context["empty_text"] = NONE_OF_YOURS_MATCH
        return context


def queue_view(name: str) -> Callable[..., HttpResponseBase]:
    """The view of the work queue `name` (avvik.cases.queues.QUEUES)."""
    view: type[QueueView] = type(f"{name.title().replace('_', '')}QueueView", (QueueView,), {"queue": QUEUES[name]})
    return view.as_view()


class AllDeviationsView(DeviationListView):
    list_name = "all"
    title = gettext_lazy("All deviations")
    empty_text = gettext_lazy("No deviations match.")

    @staticmethod
    def allowed(roles: Roles) -> bool:
        return roles.is_reporter or roles.is_handler or roles.is_coordinator

    def scope(self, queryset: DeviationQuerySet) -> DeviationQuerySet:
        return queryset

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if roles_of(self.request.user).reads_only_own_cases:
            # A reporter reads only what they filed: an empty list says why, not just "none".
            context["empty_text"] = (
                NONE_OF_YOURS_MATCH
                if self.filterset.is_bound
                else _("You see the deviations you have reported yourself, and you have not reported any yet.")
            )
        return context
