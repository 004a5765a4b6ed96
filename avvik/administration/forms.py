"""Forms of the people pages. Every choice is narrowed to the administrator's own reach."""

from typing import Any

from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.utils.translation import gettext_lazy as _

from avvik.access.roles import Roles
from avvik.administration.scope import organisations_managed, partnerships_managed
from avvik.tenancy.choices import ORGANISATION_ROLES, PARTNERSHIP_ROLES, Role
from avvik.tenancy.models import Organisation, Partnership, Unit


def place_choices(roles: Roles) -> list[tuple[str, str]]:
    """Where a role can be given: "o<id>" for an organisation, "p<id>" for a whole partnership."""
    choices = [(f"o{org.pk}", org.name) for org in organisations_managed(roles)]
    choices += [
        (f"p{partnership.pk}", str(_("%(name)s (the whole partnership)") % {"name": partnership.name}))
        for partnership in partnerships_managed(roles)
    ]
    return choices


def place_of(value: str) -> tuple[Partnership, Organisation | None]:
    """The partnership and organisation a place choice names (already narrowed by the form)."""
    kind, pk = value[0], int(value[1:])
    if kind == "o":
        organisation = Organisation.objects.select_related("partnership").get(pk=pk)
        return organisation.partnership, organisation
    return Partnership.objects.get(pk=pk), None


def role_choices(roles: Roles) -> list[tuple[str, str]]:
    allowed = list(ORGANISATION_ROLES) + (list(PARTNERSHIP_ROLES) if roles.partnership_admin_of else [])
    return [(str(role), str(Role(role).label)) for role in allowed]


class PeopleFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or e-mail"), required=False, max_length=200)
    role = forms.ChoiceField(label=_("Role"), required=False)

    def __init__(self, *args: Any, roles: Roles, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", _("All roles")), *role_choices(roles)]  # type: ignore[attr-defined]  # a ChoiceField


class InvitationForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full name"), max_length=200, error_messages={"required": _("Write the person's name.")}
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        error_messages={
            "required": _("Write the person's e-mail address."),
            "invalid": _("Write a whole e-mail address, such as ola.nordmann@kommune.no."),
        },
    )
    place = forms.ChoiceField(label=_("Where"), error_messages={"required": _("Choose where the roles hold.")})
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one role.")},
    )

    def __init__(self, *args: Any, roles: Roles, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = place_choices(roles)  # type: ignore[attr-defined]  # a ChoiceField
        self.fields["roles"].choices = role_choices(roles)  # type: ignore[attr-defined]  # a ChoiceField


class RoleGrantForm(forms.Form):
    place = forms.ChoiceField(label=_("Where"))
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args: Any, roles: Roles, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = place_choices(roles)  # type: ignore[attr-defined]  # a ChoiceField
        self.fields["role"].choices = role_choices(roles)  # type: ignore[attr-defined]  # a ChoiceField


class UnitMoveForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), required=False, empty_label=_("No unit")
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(organisation=organisation, is_active=True)  # type: ignore[attr-defined]  # a ModelChoiceField


class InvitationAcceptForm(SetPasswordForm):  # type: ignore[type-arg]
    """The person's new password, checked with the site's password validators."""


class AuditFilterForm(forms.Form):
    model = forms.ChoiceField(
        label=_("What"),
        required=False,
        choices=[
            ("", _("Everything")),
            ("person", _("People")),
            ("membership", _("Roles")),
            ("invitation", _("Invitations")),
            ("organisation", _("Organisations")),
            ("unit", _("Units")),
            ("partnership", _("Partnership settings")),
        ],
    )
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Write the date as dd.mm.yyyy.")},
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Write the date as dd.mm.yyyy.")},
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The first date comes after the last."), code="order")
        return cleaned
