"""The operators' admin pages for categories and agreement clauses."""

from django.contrib import admin

from avvik.catalogue.models import AgreementClause, Category


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "name_nn", "name_en", "partnership", "concerns_message", "position", "is_active")
    list_filter = ("partnership", "concerns_message", "is_active")
    list_editable = ("position", "is_active")
    search_fields = ("name", "name_nn", "name_en")


@admin.register(AgreementClause)
class AgreementClauseAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "document", "partnership", "position", "is_active")
    list_filter = ("partnership", "document", "is_active")
    list_editable = ("position", "is_active")
    search_fields = ("code", "title", "title_nn", "title_en")
