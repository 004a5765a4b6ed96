"""The forms of a bulk action on the lists: which cases and which action, then the action's own
fields (the organisation to forward to, the case handler, the closing reason) on the confirmation page."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from avvik.access.people import handlers_of
from avvik.access.roles import roles_of
from avvik.cases.choices import Action
from avvik.cases.services.bulk import BULK_ACTIONS, BULK_LIMIT
from avvik.core.form_fields import AccountNumberConfirmationMixin
from avvik.core.identity_numbers import free_text_validator
from avvik.tenancy.models import Organisation, User

# The longest reference accepted from a form; ours are far shorter.
REFERENCE_MAX_LENGTH = 40


class ReferencesField(forms.Field):
    """Case references from checkboxes or hidden fields: unique, in the order given."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[str]:
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        references = [str(reference).strip() for reference in value]
        return list(dict.fromkeys(reference for reference in references if reference))

    def validate(self, value: list[str]) -> None:
        super().validate(value)
        if any(len(reference) > REFERENCE_MAX_LENGTH for reference in value):
            raise ValidationError(_("A chosen reference is not one of ours."), code="invalid")


class BulkSelectionForm(forms.Form):
    """What the list posts: the action, the chosen cases, and, when "all on this page" is ticked,
    every case on the page."""

    action = forms.ChoiceField(choices=[(action, Action(action).label) for action in BULK_ACTIONS])
    references = ReferencesField(required=False)
    all_on_page = forms.BooleanField(required=False)
    page = ReferencesField(required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        chosen = list(cleaned.get("references") or [])
        if cleaned.get("all_on_page"):
            chosen = list(dict.fromkeys(chosen + list(cleaned.get("page") or [])))
        if not chosen:
            raise ValidationError(_("Choose at least one deviation in the list."), code="required")
        if len(chosen) > BULK_LIMIT:
            raise ValidationError(
                _("Choose at most {limit} deviations at a time.").format(limit=BULK_LIMIT), code="max"
            )
        cleaned["chosen"] = chosen
        return cleaned


class BulkActionForm(AccountNumberConfirmationMixin, forms.Form):
    """The confirmation page's form: the chosen cases, and the action's own fields. The choices are
    narrowed to the person's partnerships and organisations, so no list shows another tenant."""

    references = ReferencesField()
    # "reference:version" of each case as the confirmation page showed it.
    versions = ReferencesField(required=False)
    to = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Responsible organisation"))
    assignee = forms.ModelChoiceField(queryset=User.objects.none(), label=_("Case handler"))
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        validators=[free_text_validator],
    )

    def __init__(self, *args: Any, action: str, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.action = action
        roles = roles_of(user)
        if action == Action.FORWARD:
            self.fields["to"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]  # a ModelChoiceField
                partnership_id__in=roles.coordinator_of, is_active=True
            ).order_by("name")
            self.fields["note"].label = _("Message to the responsible organisation")
        else:
            del self.fields["to"]
        if action == Action.ACCEPT:
            # Handlers of the organisations the person handles for; each case checks its own.
            self.fields["assignee"].queryset = (  # type: ignore[attr-defined]  # a ModelChoiceField
                User.objects.filter(pk__in=_handler_ids(roles.handles_in)).order_by("full_name", "email")
            )
            self.fields["note"].label = _("Note (optional)")
        else:
            del self.fields["assignee"]
        if action == Action.CLOSE:
            self.fields["note"].label = _("Closing note")
            self.fields["note"].help_text = _(
                "The same note is written on every case closed, and the reporter sees it."
            )
            self.fields["note"].required = True

    def clean_references(self) -> list[str]:
        references: list[str] = self.cleaned_data["references"]
        if len(references) > BULK_LIMIT:
            raise ValidationError(_("Choose at most {limit} deviations at a time.").format(limit=BULK_LIMIT))
        return references

    def clean_versions(self) -> dict[str, int]:
        versions = {}
        for pair in self.cleaned_data["versions"]:
            reference, _sep, version = pair.rpartition(":")
            if reference and version.isascii() and version.isdigit():
                versions[reference] = int(version)
        return versions

    def transition_arguments(self) -> dict[str, Any]:
        """The note, the versions seen and the action's own details, for
        services.bulk.deviations_bulk_transition."""
        arguments: dict[str, Any] = {"note": self.cleaned_data["note"], "versions": self.cleaned_data["versions"]}
        for name in ("to", "assignee"):
            if name in self.fields:
                arguments[name] = self.cleaned_data[name]
        return arguments


def _handler_ids(organisation_ids: frozenset[int]) -> set[int]:
    ids: set[int] = set()
    for organisation_id in organisation_ids:
        ids.update(handlers_of(organisation_id).values_list("pk", flat=True))
    return ids
