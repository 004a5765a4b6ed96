"""The operators' admin pages for cases (read-only) and the access log."""

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

from avvik.cases.choices import AccessKind
from avvik.cases.models.deviation import Deviation
from avvik.cases.models.logs import AccessLog, RetentionRun
from avvik.cases.models.records import Transition
from avvik.cases.services.reading import access_log_write


class TransitionInline(admin.TabularInline):  # type: ignore[type-arg]  # not generic at run time
    model = Transition
    extra = 0
    can_delete = False
    fields = ("at", "action", "from_status", "to_status", "by", "note")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Deviation | None = None) -> bool:
        return False


@admin.register(Deviation)
class DeviationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # not generic at run time
    """Read-only: cases change only through the lifecycle services, never by editing rows."""

    list_display = (
        "reference",
        "title",
        "status",
        "consequence",
        "reporting_organisation",
        "counterpart",
        "created_at",
    )
    list_filter = ("partnership", "status", "consequence", "category")
    search_fields = ("reference", "title")
    list_select_related = ("reporting_organisation", "counterpart")
    date_hierarchy = "created_at"
    inlines = [TransitionInline]
    exclude = ("answer_cause", "answer_measures", "description", "immediate_action", "suggested_measure")

    def get_readonly_fields(self, request: HttpRequest, obj: Deviation | None = None) -> list[str]:
        return [f.name for f in self.model._meta.fields if f.name not in self.exclude]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:

        deviation = self.get_object(request, object_id)
        if deviation is not None:
            # Administrators are the exception to tenancy, so what they open is logged too.
            # The admin site lets in signed-in staff only.
            access_log_write(user=request.user, kind=AccessKind.CASE, deviation=deviation, detail="admin")  # type: ignore[arg-type]
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # not generic at run time
    list_display = ("at", "user", "organisation", "kind", "deviation", "detail")
    list_filter = ("kind",)
    search_fields = ("user__email", "deviation__reference")
    list_select_related = ("user", "organisation", "deviation")
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(RetentionRun)
class RetentionRunAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # not generic at run time
    """What each retention run erased and anonymised; written by the task only."""

    list_display = ("started_at", "finished_at", "patients_erased", "cases_anonymised")
    date_hierarchy = "started_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
