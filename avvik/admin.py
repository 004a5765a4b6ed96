"""The administrator's pages for partnerships, organisations, units and people."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from avvik.catalogue import partnership_catalogue_create
from avvik.forms import PersonChangeForm, PersonCreationForm
from avvik.models import (
    AccessLog,
    AgreementClause,
    Category,
    Deviation,
    Membership,
    Organisation,
    Partnership,
    RetentionRun,
    Transition,
    Unit,
    User,
)


class OrganisationInline(admin.TabularInline):
    model = Organisation
    extra = 0
    fields = ("name", "kind", "organisation_number", "her_id", "written_form", "is_active")
    show_change_link = True


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "written_form")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [OrganisationInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            partnership_catalogue_create(partnership=obj)


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0
    fields = ("name", "her_id", "is_active")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "partnership", "kind", "organisation_number", "her_id", "written_form", "is_active")
    list_filter = ("partnership", "kind", "written_form", "is_active")
    search_fields = ("name", "organisation_number", "her_id")
    list_select_related = ("partnership",)
    inlines = [UnitInline]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "organisation", "her_id", "is_active")
    list_filter = ("organisation__partnership", "organisation", "is_active")
    search_fields = ("name", "her_id", "organisation__name")
    list_select_related = ("organisation",)
    autocomplete_fields = ("organisation",)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ("role", "partnership", "organisation")
    autocomplete_fields = ("organisation",)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
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
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "organisation", "partnership")
    list_filter = ("role", "partnership")
    search_fields = ("user__email", "user__full_name", "organisation__name")
    list_select_related = ("user", "organisation", "partnership")
    autocomplete_fields = ("user", "organisation")


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "partnership", "concerns_message", "position", "is_active")
    list_filter = ("partnership", "concerns_message", "is_active")
    list_editable = ("position", "is_active")
    search_fields = ("name",)


@admin.register(AgreementClause)
class AgreementClauseAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "document", "partnership", "position", "is_active")
    list_filter = ("partnership", "document", "is_active")
    list_editable = ("position", "is_active")
    search_fields = ("code", "title")


class TransitionInline(admin.TabularInline):
    model = Transition
    extra = 0
    can_delete = False
    fields = ("at", "action", "from_status", "to_status", "by", "note")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Deviation)
class DeviationAdmin(admin.ModelAdmin):
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

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name not in self.exclude]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        from avvik.choices import AccessKind
        from avvik.services import access_log_write

        deviation = self.get_object(request, object_id)
        if deviation is not None:
            # Administrators are the exception to tenancy, so what they open is logged too.
            access_log_write(user=request.user, kind=AccessKind.CASE, deviation=deviation, detail="admin")
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ("at", "user", "organisation", "kind", "deviation", "detail")
    list_filter = ("kind",)
    search_fields = ("user__email", "deviation__reference")
    list_select_related = ("user", "organisation", "deviation")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RetentionRun)
class RetentionRunAdmin(admin.ModelAdmin):
    """What each retention run erased and anonymised; written by the task only."""

    list_display = ("started_at", "finished_at", "patients_erased", "cases_anonymised")
    date_hierarchy = "started_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
