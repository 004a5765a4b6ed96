from django.contrib import admin

from avvik.duties.models import AlertRule


@admin.register(AlertRule)
class AlertRuleAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # not generic at run time
    list_display = ("name", "valid_from", "valid_to", "deadline_working_days")
    ordering = ("-valid_from",)
