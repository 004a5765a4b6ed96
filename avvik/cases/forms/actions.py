"""One form per lifecycle action: a note, the version the person saw, and the action's own fields."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from avvik.access.people import handlers_of, handles_for
from avvik.cases.choices import Action
from avvik.cases.lifecycle import LIFECYCLE
from avvik.cases.models.deviation import Deviation
from avvik.catalogue.models import Category
from avvik.catalogue.responsibility import responsible_suggested
from avvik.core.form_fields import YES_NO, AccountNumberConfirmationMixin, ReadOnceChoiceField
from avvik.core.identity_numbers import free_text_validator
from avvik.tenancy.models import Organisation, User


class ActionForm(AccountNumberConfirmationMixin, forms.Form):
    """Base for the lifecycle actions: a note and the version the person saw. The note, cause and
    measures offer the confirmation of account numbers; `confirmed_account_numbers` is for
    services.account_number_confirmations_record, after the transition."""

    action: str = ""
    note_label = _("Note")
    by_action: dict[str, type["ActionForm"]] = {}  # every action's form, filled in as they are defined
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, validators=[free_text_validator])

    def __init__(self, *args: Any, deviation: Deviation, user: User, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", self.action)
        super().__init__(*args, **kwargs)
        self.deviation = deviation
        self.user = user
        self.fields["note"].label = self.note_label

        self.fields["note"].required = LIFECYCLE[self.action].note_required
        if not self.is_bound:
            self.initial["version"] = deviation.version

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        ActionForm.by_action[cls.action] = cls

    def transition_arguments(self) -> dict[str, Any]:
        """The note, the version and the action's own details, for services.deviation_transition."""
        return {name: self.cleaned_data[name] for name in ("note", "version", *LIFECYCLE[self.action].details)}


class ForwardForm(ActionForm):
    action = Action.FORWARD
    note_label = _("Message to the responsible organisation")
    to = ReadOnceChoiceField(queryset=Organisation.objects.none(), label=_("Responsible organisation"))
    category = ReadOnceChoiceField(queryset=Category.objects.none(), label=_("Category"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        deviation = self.deviation
        self.fields["to"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]  # a ModelChoiceField
            partnership_id=deviation.partnership_id, is_active=True
        ).order_by("name")
        self.fields["category"].queryset = Category.objects.filter(  # type: ignore[attr-defined]  # a ModelChoiceField
            partnership_id=deviation.partnership_id, is_active=True
        )
        # Until someone has chosen, the guideline suggests: the party whose duty the clause is.
        self.suggestion = None
        if deviation.responsible_organisation_id is None:
            self.suggestion = responsible_suggested(
                clause=deviation.clause or deviation.category.clause,
                parties=(deviation.reporting_organisation, deviation.counterpart),
            )
        if self.suggestion is not None:
            self.fields["to"].help_text = self.suggestion.reason
        if not self.is_bound:
            self.initial["to"] = (
                deviation.responsible_organisation_id
                or (self.suggestion and self.suggestion.organisation.pk)
                or deviation.counterpart_id
            )
            self.initial["category"] = deviation.category_id
        self.order_fields(["to", "category", "note"])


class RejectForm(ActionForm):
    action = Action.REJECT
    note_label = _("Reason, shown to the reporter")


class WithdrawForm(ActionForm):
    action = Action.WITHDRAW
    note_label = _("Why you withdraw it (optional)")


class AcceptForm(ActionForm):
    action = Action.ACCEPT
    note_label = _("Note (optional)")
    assignee = ReadOnceChoiceField(queryset=User.objects.none(), required=False, label=_("Case handler"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = handlers_of(self.deviation.responsible_organisation_id)  # type: ignore[attr-defined]  # a ModelChoiceField
        self.fields["assignee"].empty_label = _("Me")  # type: ignore[attr-defined]  # a ModelChoiceField

    def clean_assignee(self) -> User | None:
        assignee: User | None = self.cleaned_data.get("assignee")
        if assignee and not handles_for(assignee, self.deviation.responsible_organisation_id):
            raise ValidationError(_("Choose a handler in the responsible organisation."))
        return assignee


class WaitForm(ActionForm):
    action = Action.WAIT
    note_label = _("Your question to the reporter")


class ResumeForm(ActionForm):
    action = Action.RESUME
    note_label = _("Note (optional)")


class ReplyForm(ActionForm):
    """The reporter's answer to the question the case waits on: a comment on the shared thread
    (services.comment_add), which resumes the case."""

    action = Action.REPLY
    note_label = _("Your answer")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["note"].required = True
        self.fields["note"].widget.attrs["rows"] = 4
        self.fields["note"].help_text = _(
            "The handler reads it under Comments, and the answer deadline runs again. No patient data."
        )


class AnswerForm(ActionForm):
    action = Action.ANSWER
    note_label = _("Note (optional)")
    cause = forms.CharField(
        label=_("Cause"), widget=forms.Textarea(attrs={"rows": 3}), validators=[free_text_validator]
    )
    measures = forms.CharField(
        label=_("Measures agreed"), widget=forms.Textarea(attrs={"rows": 3}), validators=[free_text_validator]
    )
    measures_done = forms.TypedChoiceField(
        label=_("Are the measures carried out?"), choices=YES_NO, coerce=lambda v: v == "true", widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(["cause", "measures", "measures_done", "note"])


class CloseForm(ActionForm):
    action = Action.CLOSE
    note_label = _("Closing note, shown to the reporter")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["note"].help_text = _(
            "The reporter reads it on the case page and in the e-mail that tells them the case is closed. "
            "No patient data."
        )


class ReopenForm(ActionForm):
    action = Action.REOPEN
    note_label = _("Why the case is reopened")


class MergeForm(ActionForm):
    """Merge a duplicate into its main case, named by its reference; only a case the person may read."""

    action = Action.MERGE
    note_label = _("Note (optional)")
    into = forms.CharField(
        label=_("Reference of the main case"),
        max_length=20,
        help_text=_("As it stands on the case, for example SA-2026-K7QX4M."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(["into", "note"])

    def clean_into(self) -> Deviation:
        reference = self.cleaned_data["into"].strip().upper()
        main = (
            Deviation.objects.visible_to(self.user)
            .filter(reference=reference, partnership_id=self.deviation.partnership_id)
            .first()
        )
        if main is None:
            raise ValidationError(_("There is no case with this reference in the partnership."))
        if main.pk == self.deviation.pk:
            raise ValidationError(_("A case cannot be merged into itself."))
        return main


def action_form(action: str) -> type[ActionForm]:
    """The form for a lifecycle action; KeyError for an action that has none."""
    return ActionForm.by_action[action]
