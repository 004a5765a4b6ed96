"""Forms for filing and correcting a case. Choice fields start empty and are narrowed to the
person's partnership in __init__, so no drop-down lists another tenant's data."""

from datetime import timedelta
from typing import TYPE_CHECKING, Any, Protocol

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from avvik.access.roles import roles_of
from avvik.cases.choices import APPREC_ERROR_CODES, AppRec
from avvik.cases.forms.choice_fields import GroupedUnitChoiceField, UnitChoiceField
from avvik.cases.forms.held import HeldUploadsMixin
from avvik.cases.models.deviation import Deviation
from avvik.cases.services.filing import EDITABLE_FIELDS, FILED_FIELDS
from avvik.catalogue.choices import SERIOUS_CONSEQUENCES, Consequence, consequence_rank
from avvik.catalogue.models import AgreementClause, Category
from avvik.core.form_fields import (
    YES_NO,
    AccountNumberConfirmationMixin,
    DateTimeLocalInput,
    MultipleFileField,
    read_once,
)
from avvik.core.identity_numbers import free_text_validator, validate_identity_number
from avvik.register.checks import her_id_warnings, register_loaded
from avvik.tenancy.models import Organisation, Partnership, Unit, User, validate_her_id

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    class _DeviationModelForm(Protocol):
        """What DeviationFieldsMixin uses of the model form it is mixed into."""

        fields: dict[str, Any]
        instance: Deviation

        def add_error(self, field: str, error: StrOrPromise) -> None: ...


def _her_id_options(partnership_id: int | None, own: QuerySet[Organisation]) -> list[tuple[str, str]]:
    """HER-ids of the partnership for the address fields, the reporter's own organisation first."""
    own_ids = {o.pk for o in own}
    # Rows, not model instances: some hundred units.
    units: dict[int, list[tuple[str, str]]] = {}
    for organisation_id, name, her_id in (
        Unit.objects.filter(organisation__partnership_id=partnership_id)  # type: ignore[misc]  # None: no organisation
        .exclude(her_id="")
        .order_by("organisation__name", "name")
        .values_list("organisation_id", "name", "her_id")
    ):
        units.setdefault(organisation_id, []).append((her_id, name))
    options = []
    organisations = (
        Organisation.objects.filter(partnership_id=partnership_id)  # type: ignore[misc]  # None: no organisation
        .order_by("name")
        .values_list("pk", "name", "her_id")
    )
    for pk, name, her_id in sorted(organisations, key=lambda o: (o[0] not in own_ids, o[1])):
        if her_id:
            options.append((her_id, name))
        options += [(unit_her_id, f"{name}, {unit_name}") for unit_her_id, unit_name in units.get(pk, [])]
    return options


FREE_TEXT = ("title", "description", "immediate_action", "suggested_measure", "message_id")


class DeviationFieldsMixin:
    """Narrowing and checks shared by the filing form and the edit form."""

    def _narrow(self: "_DeviationModelForm", partnership_id: int) -> None:
        fields = self.fields
        if "category" in fields:
            fields["category"].queryset = Category.objects.filter(partnership_id=partnership_id, is_active=True)
            fields["category"].empty_label = _("Choose a category")
            read_once(fields["category"])
        if "clause" in fields:
            fields["clause"].queryset = AgreementClause.objects.filter(partnership_id=partnership_id, is_active=True)
            fields["clause"].empty_label = _("No particular point / don't know")
            read_once(fields["clause"])
        if "counterpart_unit" in fields:
            fields["counterpart_unit"] = GroupedUnitChoiceField(
                queryset=Unit.objects.filter(organisation__partnership_id=partnership_id, is_active=True)
                .select_related("organisation")
                .order_by("organisation__name", "name"),
                required=False,
                label=_("Unit at the counterpart"),
                empty_label=_("Unknown or not relevant"),
                help_text=_("Only the units of the organisation chosen above can be chosen."),
            )
            # static/js/unit_filter.js narrows the list to the units of the chosen counterpart.
            fields["counterpart_unit"].widget.attrs["data-units-of"] = "counterpart"
        if "unexpected" in fields:
            fields["unexpected"] = forms.TypedChoiceField(
                choices=YES_NO,
                coerce=lambda v: v == "true",
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                label=_("Was the event unexpected?"),
                help_text=_(
                    "Asked for very serious harm and death: an unexpected one is alerted to Helsetilsynet and Ukom."
                ),
            )
        if "potential_consequence" in fields:
            fields["potential_consequence"].choices = [
                ("", _("Choose the potential consequence")),
                *Consequence.choices,
            ]
            fields["potential_consequence"].label = _("Potential consequence")
            fields["potential_consequence"].help_text = _(
                "The worst that could reasonably have happened, had it not been caught."
            )
        if "consequence" in fields:
            fields["consequence"].choices = [("", _("Choose the consequence")), *Consequence.choices]
            fields["consequence"].label = _("Actual consequence")
        if "apprec_error_code" in fields:
            # Shown always, so the form works without script; static/js/deviation_form.js hides it
            # unless the receipt is negative.
            fields["apprec_error_code"].widget.attrs.update(list="apprec-error-codes", autocomplete="off")
            fields["apprec_error_code"].help_text = _(
                "Only for a negative receipt: the code it gave, for example E21 or T02."
            )
        for name in ("occurred_at", "message_sent_at"):
            if name in fields:
                fields[name].widget = DateTimeLocalInput()
        for name in FREE_TEXT:
            if name in fields:
                fields[name].validators.append(free_text_validator)
        # The model is not validated by these forms (the service builds it), so the model
        # fields' own validators are attached here.
        for name in ("sender_her_id", "receiver_her_id"):
            if name in fields:
                fields[name].validators.append(validate_her_id)

    apprec_error_codes = APPREC_ERROR_CODES

    def clean_apprec_error_code(self: "_DeviationModelForm") -> str:
        code: str = self.cleaned_data.get("apprec_error_code") or ""  # type: ignore[attr-defined]  # a form's
        return code.strip().upper()

    def _check_common(self: "_DeviationModelForm", cleaned: dict[str, Any]) -> None:
        category = cleaned.get("category")
        if category and category.concerns_message and not cleaned.get("message_type"):
            self.add_error("message_type", _("Choose the type of message the deviation concerns."))
        if cleaned.get("consequence") in SERIOUS_CONSEQUENCES and cleaned.get("unexpected") is None:
            self.add_error("unexpected", _("Answer whether the serious event was unexpected."))
        actual, potential = cleaned.get("consequence"), cleaned.get("potential_consequence")
        if actual and potential and consequence_rank(potential) < consequence_rank(actual):
            self.add_error(
                "potential_consequence",
                _(
                    "What could have happened cannot be less serious than what happened. Choose the actual "
                    "consequence or a more serious one."
                ),
            )
        code = cleaned.get("apprec_error_code")
        if code and cleaned.get("apprec") != AppRec.NEGATIVE:
            self.add_error(
                "apprec_error_code",
                _(
                    "An error code comes with a negative application receipt only. Choose “Received, negative” "
                    "as the receipt, or empty the error code."
                ),
            )
        occurred = cleaned.get("occurred_at")
        if occurred and occurred > timezone.now() + timedelta(minutes=5):
            self.add_error("occurred_at", _("The time cannot be in the future."))
        sent = cleaned.get("message_sent_at")
        if sent and sent > timezone.now() + timedelta(minutes=5):
            self.add_error("message_sent_at", _("The time cannot be in the future."))
        counterpart = cleaned.get("counterpart") or getattr(self.instance, "counterpart", None)
        unit = cleaned.get("counterpart_unit")
        if unit and counterpart and unit.organisation_id != counterpart.pk:
            self.add_error(
                "counterpart_unit",
                gettext(
                    "{unit} is a unit of {organisation}, not of {counterpart}. Choose one of the units of "
                    "{counterpart}, or “Unknown or not relevant”."
                ).format(unit=unit.name, organisation=unit.organisation.name, counterpart=counterpart.name),
            )


class DeviationForm(HeldUploadsMixin, AccountNumberConfirmationMixin, DeviationFieldsMixin, forms.ModelForm):  # type: ignore[type-arg]  # not generic at run time
    """Filing a new deviation: the two-minute form. A free-text field whose only numbers may be bank
    account numbers gets a box to confirm so; deviation_submit records the confirmation."""

    reporting_organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Your organisation"), empty_label=None
    )
    patient_name = forms.CharField(label=_("Patient's name"), required=False, max_length=200)
    patient_identity_number = forms.CharField(
        label=_("National identity number"),
        required=False,
        max_length=13,
        validators=[validate_identity_number],
        help_text=_("Fødselsnummer, D-number or H-number: 11 digits."),
    )
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("PDF, PNG, JPEG or plain text, at most 10 MB each. Never include patient data in file names."),
    )

    class Meta:
        model = Deviation
        fields = ("reporting_organisation", *FILED_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "immediate_action": forms.Textarea(attrs={"rows": 2}),
            "suggested_measure": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "title": _("A short summary, without patient data."),
            "description": _("What happened, and what the consequence was. Do not write names or identity numbers."),
            "sender_her_id": _("Your own organisation's HER-id is suggested first."),
        }

    def __init__(self, *args: Any, user: User, partnership: Partnership | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self._init_held(user)
        own = Organisation.objects.filter(pk__in=roles_of(user).reporter_in).order_by("name")
        if partnership is not None:
            # A person who reports in several partnerships files in one at a time.
            own = own.filter(partnership=partnership)
        self.fields["reporting_organisation"].queryset = own  # type: ignore[attr-defined]  # a ModelChoiceField
        read_once(self.fields["reporting_organisation"])  # type: ignore[arg-type]  # a ModelChoiceField
        own = self.fields["reporting_organisation"].queryset  # type: ignore[attr-defined]  # the field's copy, read once
        first = own[0] if own else None
        partnership_id = first.partnership_id if first else None
        self.single_organisation = first if len(own) == 1 else None
        if self.single_organisation:
            # Nothing to choose: the field is not shown, and the one organisation is used.
            self.fields["reporting_organisation"].widget = forms.HiddenInput()
            self.fields["reporting_organisation"].required = False
            self.initial.setdefault("reporting_organisation", first.pk)  # type: ignore[union-attr]  # the single one
        self.fields["reporting_unit"] = UnitChoiceField(
            queryset=Unit.objects.filter(organisation__in=own, is_active=True).order_by("name"),
            required=False,
            label=_("Your unit"),
            empty_label=_("Choose your unit"),
        )
        self.fields["counterpart"].queryset = (  # type: ignore[attr-defined]  # a ModelChoiceField
            Organisation.objects.filter(partnership_id=partnership_id, is_active=True)  # type: ignore[misc]  # None: no organisation
            .exclude(pk__in=[o.pk for o in own])
            .order_by("kind", "name")
        )
        read_once(self.fields["counterpart"])  # type: ignore[arg-type]  # a ModelChoiceField
        self.fields["counterpart"].empty_label = _("Choose the other organisation")  # type: ignore[attr-defined]  # a ModelChoiceField
        self.fields["counterpart"].label = _("Which organisation is the deviation about?")
        self._narrow(partnership_id)  # type: ignore[arg-type]  # None: no organisation, nothing to choose
        # Asked of every new case; cases filed before it was asked may keep it blank.
        self.fields["potential_consequence"].required = True
        # Only the units of organisations that can be the counterpart, never the reporter's own.
        self.fields["counterpart_unit"].queryset = self.fields["counterpart_unit"].queryset.filter(  # type: ignore[attr-defined]  # a ModelChoiceField
            organisation__in=self.fields["counterpart"].queryset  # type: ignore[attr-defined]  # a ModelChoiceField
        )
        self.initial.setdefault("occurred_at", timezone.localtime().replace(second=0, microsecond=0))
        # Read from the category choices themselves, so the list is read once for both.
        self.message_category_ids = ",".join(
            str(category.pk)
            for category in self.fields["category"].queryset  # type: ignore[attr-defined]  # a ModelChoiceField
            if category.concerns_message
        )
        self.her_id_options = _her_id_options(partnership_id, own)
        # Checked against the partnership's address register copy, when it has one; warnings never refuse.
        self.her_ids_checked = register_loaded(partnership_id)
        self.her_id_warnings: list[str] = []
        for name in ("sender_her_id", "receiver_her_id"):
            self.fields[name].widget.attrs.update(list="her-ids", inputmode="numeric", autocomplete="off")

    def clean_reporting_organisation(self) -> Organisation | None:
        return self.single_organisation or self.cleaned_data.get("reporting_organisation")

    def clean_patient_name(self) -> str:
        name: str = self.cleaned_data["patient_name"].strip()
        if any(ch.isdigit() for ch in name):
            raise ValidationError(_("A name has no digits. Put the identity number in its own field."))
        return name

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()  # type: ignore[assignment]  # a model form's clean returns cleaned_data
        organisation = cleaned.get("reporting_organisation")
        unit = cleaned.get("reporting_unit")
        if organisation and unit and unit.organisation_id != organisation.pk:
            self.add_error("reporting_unit", _("The unit belongs to another organisation."))
        counterpart = cleaned.get("counterpart")
        if organisation and counterpart == organisation:
            self.add_error("counterpart", _("Choose another organisation than your own."))
        elif organisation and counterpart and counterpart.partnership_id != organisation.partnership_id:
            self.add_error("counterpart", _("Choose an organisation in the same health partnership as your own."))
        self._check_common(cleaned)
        self._check_upload_limits()
        if organisation and self.her_ids_checked:
            self.her_id_warnings = her_id_warnings(
                cleaned.get("sender_her_id") or "",
                cleaned.get("receiver_her_id") or "",
                organisation,
                counterpart,
                cleaned.get("message_type") or "",
            )
        return cleaned

    def _post_clean(self) -> None:
        # The service builds the instance; only validate the fields here.
        pass


class DeviationEditForm(HeldUploadsMixin, AccountNumberConfirmationMixin, DeviationFieldsMixin, forms.ModelForm):  # type: ignore[type-arg]  # not generic at run time
    """Correcting a case; carries the version it was read at, so a stale save is refused. Offers the
    same confirmation of account numbers as the filing form; deviation_update records it. Files
    added here are kept like the filing form's when the form comes back with an error."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    attachments = MultipleFileField(
        label=_("Add attachments"),
        required=False,
        help_text=_("PDF, PNG, JPEG or plain text, at most 10 MB each. Never include patient data in file names."),
    )

    class Meta:
        model = Deviation
        fields = EDITABLE_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "immediate_action": forms.Textarea(attrs={"rows": 2}),
            "suggested_measure": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._init_held(user)
        self._narrow(self.instance.partnership_id)
        # Once given, it cannot be taken back to blank; older cases without it may stay so.
        self.fields["potential_consequence"].required = bool(self.instance.potential_consequence)
        self.fields["counterpart_unit"].queryset = self.fields["counterpart_unit"].queryset.filter(  # type: ignore[attr-defined]  # a ModelChoiceField
            organisation=self.instance.counterpart_id
        )
        if not self.is_bound:
            self.initial["version"] = self.instance.version

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()  # type: ignore[assignment]  # a model form's clean returns cleaned_data
        self._check_common(cleaned)
        self._check_upload_limits()
        return cleaned

    def _post_clean(self) -> None:
        # The service writes with a version check; the instance is not touched here.
        pass
