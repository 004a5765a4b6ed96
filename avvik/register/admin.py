from django.contrib import admin

from avvik.register.models import EntryChange, ImportRun, RegisterEntry


@admin.register(RegisterEntry)
class RegisterEntryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # not generic at run time
    list_display = ("her_id", "name", "kind", "parent_her_id", "partnership", "active")
    list_filter = ("partnership", "kind", "active")
    search_fields = ("her_id", "name")


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # not generic at run time
    list_display = ("source", "partnership", "at", "by", "new", "renamed", "removed", "unchanged")
    list_filter = ("partnership",)


@admin.register(EntryChange)
class EntryChangeAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # not generic at run time
    list_display = ("entry", "kind", "name_before", "name_after", "at")
    list_filter = ("kind",)
