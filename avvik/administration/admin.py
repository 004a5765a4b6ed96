"""The operators' admin page for partnerships: a new one gets its catalogue and deadlines."""

from typing import Any

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest

from avvik.administration.services import partnership_setup
from avvik.tenancy.models import Organisation, Partnership


class OrganisationInline(admin.TabularInline):  # type: ignore[type-arg]  # not generic at run time
    model = Organisation
    extra = 0
    fields = ("name", "kind", "organisation_number", "her_id", "written_form", "is_active")
    show_change_link = True


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # not generic at run time
    list_display = ("name", "slug", "written_form", "small_count_threshold")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [OrganisationInline]

    def save_model(self, request: HttpRequest, obj: Partnership, form: "ModelForm[Any]", change: bool) -> None:
        super().save_model(request, obj, form, change)
        if not change:
            partnership_setup(partnership=obj)
