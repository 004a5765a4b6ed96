"""The operators' admin pages for organisations, units, people and memberships."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from avvik.tenancy.forms import PersonChangeForm, PersonCreationForm
from avvik.tenancy.models import Membership, Organisation, Unit, User


class UnitInline(admin.TabularInline):  # type: ignore[type-arg]  # not generic at run time
    model = Unit
    extra = 0
    fields = ("name", "her_id", "is_active")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # not generic at run time
    list_display = ("name", "partnership", "kind", "organisation_number", "her_id", "written_form", "is_active")
    list_filter = ("partnership", "kind", "written_form", "is_active")
    search_fields = ("name", "organisation_number", "her_id")
    list_select_related = ("partnership",)
    inlines = [UnitInline]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # not generic at run time
    list_display = ("name", "organisation", "her_id", "is_active")
    list_filter = ("organisation__partnership", "organisation", "is_active")
    search_fields = ("name", "her_id", "organisation__name")
    list_select_related = ("organisation",)
    autocomplete_fields = ("organisation",)


class MembershipInline(admin.TabularInline):  # type: ignore[type-arg]  # not generic at run time
    model = Membership
    extra = 0
    fields = ("role", "partnership", "organisation")
    autocomplete_fields = ("organisation",)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):  # type: ignore[type-arg]  # not generic at run time
    form = PersonChangeForm
    add_form = PersonCreationForm
    ordering = ("full_name", "email")
    list_display = ("email", "full_name", "is_active", "is_staff", "last_login")
    list_filter = ("is_active", "is_staff", "is_superuser", "memberships__role", "memberships__partnership")
    search_fields = ("email", "full_name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("full_name", "language")}),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        # Filled in at the first single sign-on matched on a verified e-mail address. An
        # administrator enters it for providers without e-mail (ID-porten), or clears it.
        (_("Single sign-on"), {"fields": ("oidc_issuer", "oidc_subject")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "usable_password", "password1", "password2")}),
    )
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # not generic at run time
    list_display = ("user", "role", "organisation", "partnership")
    list_filter = ("role", "partnership")
    search_fields = ("user__email", "user__full_name", "organisation__name")
    list_select_related = ("user", "organisation", "partnership")
    autocomplete_fields = ("user", "organisation")
