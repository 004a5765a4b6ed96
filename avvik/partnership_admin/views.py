"""The partnership administrator's pages: organisations and their units, the catalogue and the
partnership's settings. Thin: fetch within the person's own partnerships (404 for any other),
hand the form's data to a service, redirect."""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.forms import BaseForm
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from avvik.access.guards import chosen_partnership, role_required
from avvik.access.roles import roles_of
from avvik.partnership_admin import selectors, services
from avvik.partnership_admin.forms import (
    CategoryForm,
    ClauseForm,
    OrganisationForm,
    PartnershipSettingsForm,
    RegisterEntryChoiceForm,
    UnitForm,
)
from avvik.tenancy.models import Partnership

if TYPE_CHECKING:
    from avvik.access.guards import AuthenticatedHttpRequest

admin_required = role_required(lambda r: r.is_partnership_admin)


def _partnership(request: "AuthenticatedHttpRequest") -> Partnership:
    partnership = chosen_partnership(request, roles_of(request.user).partnership_admin_of)
    assert partnership is not None  # admin_required: the person administers at least one
    return partnership


def _in(name: str, partnership: Partnership, *args: object) -> str:
    """A page of the partnership, chosen with ?p=."""
    return f"{reverse(name, args=args)}?p={partnership.slug}"


def _saved(request: "AuthenticatedHttpRequest", form: BaseForm, save: Callable[[dict[str, Any]], object]) -> bool:
    """Validate the form and hand its data to `save`; a refusal is shown on the form's fields."""
    if request.method != "POST":
        return False
    if form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as refused:
            for field, errors in refused.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Saved."))
            return True
    messages.error(request, _("Nothing was saved; see the fields marked below."))
    return False


def _form_page(
    request: "AuthenticatedHttpRequest", form: BaseForm, *, title: str, back: str, **extra: object
) -> HttpResponse:
    return render(
        request,
        "partnership_admin/form.html",
        {"form": form, "title": title, "back": back, **extra},
        status=400 if request.method == "POST" else 200,
    )


def _others(request: "AuthenticatedHttpRequest", partnership: Partnership) -> object:
    return selectors.administered_partnerships(request.user).exclude(pk=partnership.pk)


# The partnership -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@admin_required
def partnership_settings(request: "AuthenticatedHttpRequest") -> HttpResponse:
    partnership = _partnership(request)
    form = PartnershipSettingsForm(request.POST or None, instance=partnership)
    if _saved(
        request,
        form,
        lambda data: services.partnership_settings_save(by=request.user, partnership=partnership, data=data),
    ):
        return redirect(_in("partnership_admin:settings", partnership))
    partnership.refresh_from_db()  # the heading shows the stored name, not a refused one
    return render(
        request,
        "partnership_admin/settings.html",
        {"partnership": partnership, "form": form, "other_partnerships": _others(request, partnership)},
        status=400 if request.method == "POST" else 200,
    )


# Organisations and units -----------------------------------------------------------------


@require_GET
@admin_required
def organisations(request: "AuthenticatedHttpRequest") -> HttpResponse:
    partnership = _partnership(request)
    context = {
        "partnership": partnership,
        "organisations": selectors.organisation_list(partnership),
        "other_partnerships": _others(request, partnership),
    }
    return render(request, "partnership_admin/organisations.html", context)


@require_http_methods(["GET", "POST"])
@admin_required
def organisation_create(request: "AuthenticatedHttpRequest") -> HttpResponse:
    partnership = _partnership(request)
    entries = selectors.register_entries_offered(partnership)
    pick = RegisterEntryChoiceForm(request.GET if "entry" in request.GET else None, entries=entries)
    initial = {}
    if pick.is_bound and pick.is_valid():
        # Taken over from the register copy; the administrator adds the rest.
        entry = pick.cleaned_data["entry"]
        initial = {"name": entry.name, "her_id": entry.her_id, "organisation_number": entry.organisation_number}
    form = OrganisationForm(request.POST or None, initial=initial)
    if _saved(
        request, form, lambda data: services.organisation_save(by=request.user, partnership=partnership, data=data)
    ):
        return redirect(_in("partnership_admin:organisations", partnership))
    return _form_page(
        request,
        form,
        title=_("New organisation"),
        back=_in("partnership_admin:organisations", partnership),
        partnership=partnership,
        pick=pick if entries.exists() else None,
    )


@require_http_methods(["GET", "POST"])
@admin_required
def organisation_edit(request: "AuthenticatedHttpRequest", pk: int) -> HttpResponse:
    organisation = get_object_or_404(selectors.organisations_administered(request.user), pk=pk)
    form = OrganisationForm(request.POST or None, instance=organisation)
    partnership = organisation.partnership
    back = _in("partnership_admin:organisations", partnership)
    if _saved(
        request,
        form,
        lambda data: services.organisation_save(
            by=request.user, partnership=partnership, organisation=organisation, data=data
        ),
    ):
        return redirect(back)
    organisation.refresh_from_db()
    return _form_page(request, form, title=organisation.name, back=back, partnership=partnership)


def _set_active(request: "AuthenticatedHttpRequest", row: Model, back: str) -> HttpResponse:
    active = request.POST.get("active") == "1"
    services.active_set(by=request.user, row=row, active=active)  # type: ignore[arg-type]
    if active:
        messages.success(request, _("{name} is active again.").format(name=row))
    else:
        messages.success(
            request,
            _("{name} is deactivated: it is kept on its cases, but no longer offered for new ones.").format(name=row),
        )
    return redirect(back)


@require_POST
@admin_required
def organisation_active(request: "AuthenticatedHttpRequest", pk: int) -> HttpResponse:
    organisation = get_object_or_404(selectors.organisations_administered(request.user), pk=pk)
    return _set_active(request, organisation, _in("partnership_admin:organisations", organisation.partnership))


@require_GET
@admin_required
def units(request: "AuthenticatedHttpRequest", pk: int) -> HttpResponse:
    organisation = get_object_or_404(selectors.organisations_administered(request.user), pk=pk)
    context = {
        "partnership": organisation.partnership,
        "organisation": organisation,
        "units": organisation.units.order_by("-is_active", "name"),
    }
    return render(request, "partnership_admin/units.html", context)


@require_http_methods(["GET", "POST"])
@admin_required
def unit_create(request: "AuthenticatedHttpRequest", pk: int) -> HttpResponse:
    organisation = get_object_or_404(selectors.organisations_administered(request.user), pk=pk)
    form = UnitForm(request.POST or None)
    back = reverse("partnership_admin:units", args=[organisation.pk])
    if _saved(request, form, lambda data: services.unit_save(by=request.user, organisation=organisation, data=data)):
        return redirect(back)
    title = _("New unit in {organisation}").format(organisation=organisation.name)
    return _form_page(request, form, title=title, back=back, partnership=organisation.partnership)


@require_http_methods(["GET", "POST"])
@admin_required
def unit_edit(request: "AuthenticatedHttpRequest", pk: int) -> HttpResponse:
    unit = get_object_or_404(selectors.units_administered(request.user), pk=pk)
    form = UnitForm(request.POST or None, instance=unit)
    back = reverse("partnership_admin:units", args=[unit.organisation_id])
    if _saved(
        request,
        form,
        lambda data: services.unit_save(by=request.user, organisation=unit.organisation, unit=unit, data=data),
    ):
        return redirect(back)
    unit.refresh_from_db()
    return _form_page(request, form, title=str(unit), back=back, partnership=unit.organisation.partnership)


@require_POST
@admin_required
def unit_active(request: "AuthenticatedHttpRequest", pk: int) -> HttpResponse:
    unit = get_object_or_404(selectors.units_administered(request.user), pk=pk)
    return _set_active(request, unit, reverse("partnership_admin:units", args=[unit.organisation_id]))


# The catalogue ---------------------------------------------------------------------------


@require_GET
@admin_required
def categories(request: "AuthenticatedHttpRequest") -> HttpResponse:
    partnership = _partnership(request)
    rows = selectors.categories_administered(request.user).filter(partnership=partnership)
    context = {"partnership": partnership, "categories": rows, "other_partnerships": _others(request, partnership)}
    return render(request, "partnership_admin/categories.html", context)


@require_http_methods(["GET", "POST"])
@admin_required
def category_create(request: "AuthenticatedHttpRequest") -> HttpResponse:
    partnership = _partnership(request)
    form = CategoryForm(request.POST or None)
    back = _in("partnership_admin:categories", partnership)
    if _saved(request, form, lambda data: services.category_save(by=request.user, partnership=partnership, data=data)):
        return redirect(back)
    return _form_page(request, form, title=_("New category"), back=back, partnership=partnership)


@require_http_methods(["GET", "POST"])
@admin_required
def category_edit(request: "AuthenticatedHttpRequest", pk: int) -> HttpResponse:
    category = get_object_or_404(selectors.categories_administered(request.user), pk=pk)
    partnership = category.partnership
    form = CategoryForm(request.POST or None, instance=category)
    back = _in("partnership_admin:categories", partnership)
    if _saved(
        request,
        form,
        lambda data: services.category_save(by=request.user, partnership=partnership, category=category, data=data),
    ):
        return redirect(back)
    category.refresh_from_db()
    return _form_page(request, form, title=category.display_name, back=back, partnership=partnership)


@require_POST
@admin_required
def category_active(request: "AuthenticatedHttpRequest", pk: int) -> HttpResponse:
    category = get_object_or_404(selectors.categories_administered(request.user), pk=pk)
    return _set_active(request, category, _in("partnership_admin:categories", category.partnership))


@require_GET
@admin_required
def clauses(request: "AuthenticatedHttpRequest") -> HttpResponse:
    partnership = _partnership(request)
    rows = selectors.clauses_administered(request.user).filter(partnership=partnership)
    context = {"partnership": partnership, "clauses": rows, "other_partnerships": _others(request, partnership)}
    return render(request, "partnership_admin/clauses.html", context)


@require_http_methods(["GET", "POST"])
@admin_required
def clause_create(request: "AuthenticatedHttpRequest") -> HttpResponse:
    partnership = _partnership(request)
    form = ClauseForm(request.POST or None)
    back = _in("partnership_admin:clauses", partnership)
    if _saved(request, form, lambda data: services.clause_save(by=request.user, partnership=partnership, data=data)):
        return redirect(back)
    return _form_page(request, form, title=_("New agreement clause"), back=back, partnership=partnership)


@require_http_methods(["GET", "POST"])
@admin_required
def clause_edit(request: "AuthenticatedHttpRequest", pk: int) -> HttpResponse:
    clause = get_object_or_404(selectors.clauses_administered(request.user), pk=pk)
    partnership = clause.partnership
    form = ClauseForm(request.POST or None, instance=clause)
    back = _in("partnership_admin:clauses", partnership)
    if _saved(
        request,
        form,
        lambda data: services.clause_save(by=request.user, partnership=partnership, clause=clause, data=data),
    ):
        return redirect(back)
    clause.refresh_from_db()
    return _form_page(request, form, title=str(clause), back=back, partnership=partnership)


@require_POST
@admin_required
def clause_active(request: "AuthenticatedHttpRequest", pk: int) -> HttpResponse:
    clause = get_object_or_404(selectors.clauses_administered(request.user), pk=pk)
    return _set_active(request, clause, _in("partnership_admin:clauses", clause.partnership))
