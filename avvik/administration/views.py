"""People pages for organisation and partnership administrators: thin views over the services."""

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from avvik.access.guards import role_required
from avvik.access.roles import roles_of
from avvik.accounts.sso import sso_enabled
from avvik.administration import invitations, people, selectors
from avvik.administration.audit import audit_entries_for, described
from avvik.administration.forms import (
    AuditFilterForm,
    InvitationAcceptForm,
    InvitationForm,
    PeopleFilterForm,
    RoleGrantForm,
    UnitMoveForm,
    place_of,
)
from avvik.administration.scope import administers, membership_scope
from avvik.tenancy.models import Membership, Organisation

if TYPE_CHECKING:
    from avvik.access.guards import AuthenticatedHttpRequest


def _person_page(pk: int) -> str:
    return reverse("administration:person", args=[pk])


@require_GET
@role_required(administers)
def people_list(request: "AuthenticatedHttpRequest") -> HttpResponse:
    roles = roles_of(request.user)
    form = PeopleFilterForm(request.GET, roles=roles)
    q, role = "", ""
    if form.is_valid():
        q, role = form.cleaned_data["q"], form.cleaned_data["role"]
    found = selectors.people_for(roles, q=q, role=role)[:500]
    return render(request, "administration/people.html", {"form": form, "people": found})


@require_GET
@role_required(administers)
def person(request: "AuthenticatedHttpRequest", pk: int) -> HttpResponse:
    roles = roles_of(request.user)
    found = selectors.person_for(roles, pk)
    organisations = {m.organisation for m in found.memberships_in_reach if m.organisation is not None}  # type: ignore[attr-defined]
    unit_forms = [
        (
            organisation,
            UnitMoveForm(
                organisation=organisation,
                initial={
                    "unit": next(
                        (m.unit for m in found.memberships_in_reach if m.organisation == organisation and m.unit),  # type: ignore[attr-defined]
                        None,
                    )
                },
            ),
        )
        for organisation in sorted(organisations, key=lambda o: o.name)
    ]
    return render(
        request,
        "administration/person.html",
        {"person": found, "grant_form": RoleGrantForm(roles=roles), "unit_forms": unit_forms},
    )


@require_POST
@role_required(administers)
def role_grant(request: "AuthenticatedHttpRequest", pk: int) -> HttpResponse:
    roles = roles_of(request.user)
    found = selectors.person_for(roles, pk)
    form = RoleGrantForm(request.POST, roles=roles)
    if not form.is_valid():
        messages.error(request, _("Choose where and which role."))
        return redirect(_person_page(pk))
    partnership, organisation = place_of(form.cleaned_data["place"])
    people.role_grant(
        by=request.user,
        person=found,
        role=form.cleaned_data["role"],
        partnership=partnership,
        organisation=organisation,
    )
    messages.success(request, _("The role is given."))
    return redirect(_person_page(pk))


@require_POST
@role_required(administers)
def role_revoke(request: "AuthenticatedHttpRequest", pk: int) -> HttpResponse:
    roles = roles_of(request.user)
    membership = get_object_or_404(Membership.objects.filter(membership_scope(roles)), pk=pk)
    try:
        people.role_revoke(by=request.user, membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The role is taken away."))
    return redirect(_person_page(membership.user_id))


@require_POST
@role_required(administers)
def unit_move(request: "AuthenticatedHttpRequest", pk: int, organisation_pk: int) -> HttpResponse:
    roles = roles_of(request.user)
    found = selectors.person_for(roles, pk)
    organisation = get_object_or_404(
        Organisation.objects.filter(Q(pk__in=roles.admin_in) | Q(partnership__in=roles.partnership_admin_of)),
        pk=organisation_pk,
    )
    form = UnitMoveForm(request.POST, organisation=organisation)
    if not form.is_valid():
        messages.error(request, _("Choose one of the organisation's units."))
        return redirect(_person_page(pk))
    people.unit_move(by=request.user, person=found, organisation=organisation, unit=form.cleaned_data["unit"])
    messages.success(request, _("The unit is changed."))
    return redirect(_person_page(pk))


@require_http_methods(["GET", "POST"])
@role_required(administers)
def person_deactivate(request: "AuthenticatedHttpRequest", pk: int) -> HttpResponse:
    found = selectors.person_for(roles_of(request.user), pk)
    if request.method == "POST":
        try:
            outcome = people.person_deactivate(by=request.user, person=found)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(_person_page(pk))
        if outcome is people.Deactivation.DEACTIVATED:
            messages.success(request, _("%(name)s is deactivated.") % {"name": found})
            return redirect(_person_page(pk))
        messages.success(request, _("%(name)s no longer has any role where you administer.") % {"name": found})
        return redirect("administration:people")
    return render(
        request,
        "administration/person_deactivate.html",
        {"person": found, "elsewhere": people.memberships_elsewhere(request.user, found)},
    )


@require_POST
@role_required(administers)
def person_reactivate(request: "AuthenticatedHttpRequest", pk: int) -> HttpResponse:
    found = selectors.person_for(roles_of(request.user), pk)
    people.person_reactivate(by=request.user, person=found)
    messages.success(request, _("%(name)s is active again.") % {"name": found})
    return redirect(_person_page(pk))


@require_GET
@role_required(administers)
def audit_log(request: "AuthenticatedHttpRequest") -> HttpResponse:
    form = AuditFilterForm(request.GET)
    entries = None
    if form.is_valid():
        entries = described(
            list(
                audit_entries_for(
                    roles_of(request.user),
                    model=form.cleaned_data["model"],
                    date_from=form.cleaned_data["date_from"],
                    date_to=form.cleaned_data["date_to"],
                )[:200]
            )
        )
    status = 400 if form.errors else 200
    return render(request, "administration/audit_log.html", {"form": form, "entries": entries}, status=status)


@require_GET
@role_required(administers)
def invitation_list(request: "AuthenticatedHttpRequest") -> HttpResponse:
    pending = selectors.pending_invitations_for(roles_of(request.user)).order_by("-created_at")[:500]
    return render(request, "administration/invitations.html", {"invitations": pending})


@require_http_methods(["GET", "POST"])
@role_required(administers)
def invitation_create(request: "AuthenticatedHttpRequest") -> HttpResponse:
    roles = roles_of(request.user)
    form = InvitationForm(request.POST or None, roles=roles)
    if request.method == "POST" and form.is_valid():
        partnership, organisation = place_of(form.cleaned_data["place"])
        try:
            invitation = invitations.invite(
                by=request.user,
                partnership=partnership,
                organisation=organisation,
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                roles=form.cleaned_data["roles"],
            )
        except (ValidationError, PermissionDenied) as error:
            # The form keeps what was typed; the reason stands above it.
            form.add_error(None, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, _("The invitation is sent to %(email)s.") % {"email": invitation.email})
            return redirect("administration:invitations")
    status = 400 if form.errors else 200
    return render(request, "administration/invitation_form.html", {"form": form}, status=status)


def _invitation(request: "AuthenticatedHttpRequest", pk: int):  # type: ignore[no-untyped-def]
    return get_object_or_404(selectors.invitations_for(roles_of(request.user)), pk=pk)


@require_POST
@role_required(administers)
def invitation_resend(request: "AuthenticatedHttpRequest", pk: int) -> HttpResponse:
    try:
        invitations.invitation_resend(by=request.user, invitation=_invitation(request, pk))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The invitation is sent again. The earlier link no longer works."))
    return redirect("administration:invitations")


@require_POST
@role_required(administers)
def invitation_revoke(request: "AuthenticatedHttpRequest", pk: int) -> HttpResponse:
    invitations.invitation_revoke(by=request.user, invitation=_invitation(request, pk))
    messages.success(request, _("The invitation is withdrawn."))
    return redirect("administration:invitations")


@login_not_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation, state = invitations.invitation_for_token(token)
    if invitation is None or state is not invitations.LinkState.VALID:
        return render(
            request,
            "administration/invitation_invalid.html",
            {"invitation": invitation, "state": state.value},
            status=410 if invitation is not None else 404,
        )
    form = InvitationAcceptForm(invitation.person, request.POST or None)
    # Someone who has an account already keeps their password: they accept, then log in as before.
    has_account = invitation.person.has_usable_password()
    if request.method == "POST" and has_account:
        invitations.invitation_accept(token=token, password=None)
        messages.success(request, _("The invitation is accepted. Log in to use your new roles."))
        return redirect("login")
    if request.method == "POST":
        single_sign_on = sso_enabled() and "single_sign_on" in request.POST
        if single_sign_on or form.is_valid():
            password = None if single_sign_on else form.cleaned_data["new_password1"]
            person = invitations.invitation_accept(token=token, password=password)
            if single_sign_on:
                # The provider's login matches the address; the roles are waiting there.
                return redirect("oidc_authentication_init")
            login(request, person, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome to Samhandling."))
            # The second-factor gate sends a person whose role requires it to set one up first.
            return redirect("pages:home")
    return render(
        request,
        "administration/invitation_accept.html",
        {"invitation": invitation, "form": form, "sso": sso_enabled(), "has_account": has_account},
        status=400 if form.errors else 200,
    )
