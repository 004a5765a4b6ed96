"""The field markup written in Python is crispy's bootstrap5 markup: the same elements, attributes
(ids, names, aria, classes, values) and texts, in the same order. Only whitespace may differ."""

from html.parser import HTMLParser

import pytest
from django import forms
from django.template import Context, Template

from avvik.cases.forms.actions import ActionForm
from avvik.cases.forms.filing import DeviationForm
from avvik.cases.forms.relations import RelationForm
from avvik.cases.forms.thread import AttachmentForm, CommentForm
from avvik.core.field_markup import field_markup, form_markup, widget_markup
from avvik.core.form_fields import DateTimeLocalInput
from avvik.duties.forms import AlertForm, BreachDecisionForm, BreachForm
from avvik.measures.forms import FollowUpForm, MeasureForm
from avvik.measures.models import Measure
from tests.builders import file_case, filing_form_data

CRISPY_FIELD = Template("{% load crispy_forms_tags %}{{ field|as_crispy_field }}")
CRISPY_FORM = Template("{% load crispy_forms_tags %}{{ form|crispy }}")


class _Tokens(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tokens: list[tuple] = []

    def handle_starttag(self, tag, attrs):
        self.tokens.append(("start", tag, tuple(attrs)))

    def handle_endtag(self, tag):
        self.tokens.append(("end", tag))

    def handle_data(self, data):
        if text := " ".join(data.split()):
            self.tokens.append(("text", text))


def tokens(markup: str) -> list[tuple]:
    parser = _Tokens()
    parser.feed(str(markup))
    return parser.tokens


def assert_same_as_crispy(form: forms.BaseForm) -> None:
    for field in form:
        # Ours first: crispy adds its classes to the widget as it renders.
        ours = field_markup(field)
        assert tokens(ours) == tokens(CRISPY_FIELD.render(Context({"field": field}))), field.name
    ours = form_markup(form)
    assert tokens(ours) == tokens(CRISPY_FORM.render(Context({"form": form})))


class EveryWidget(forms.Form):
    box = forms.BooleanField(
        label="Box <b>", help_text="Tick it", widget=forms.CheckboxInput(attrs={"data-no-draft": ""})
    )
    optional_box = forms.BooleanField(label="Optional", required=False)
    grouped = forms.ChoiceField(choices=[("", "--"), ("Group & co", [("a", "A & <b>"), ("b", 'B "q"')])], help_text="h")
    radio = forms.ChoiceField(choices=[("1", "One"), ("2", "Two")], widget=forms.RadioSelect, help_text="Pick")
    locked = forms.CharField(initial='a "quoted" <value>', disabled=True)
    upload = forms.FileField(help_text="A file")
    number = forms.IntegerField(widget=forms.NumberInput(attrs={"class": "narrow"}))
    text = forms.CharField(widget=forms.Textarea)
    secret = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        raise forms.ValidationError("Something about the whole form <b>.")


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"radio": "3", "number": "x", "grouped": "zz", "text": "\nfirst line kept"},
        {"box": "on", "radio": "1", "text": "<x>"},
    ],
)
def test_every_widget_kind_is_written_as_crispy_writes_it(data):
    form = EveryWidget(data, {}) if data is not None else EveryWidget()
    if data is not None:
        form.is_valid()
    assert_same_as_crispy(form)


def test_what_was_typed_comes_back_escaped():
    form = EveryWidget({"text": "</textarea><script>", "number": '"><b>'}, {})
    form.is_valid()
    markup = field_markup(form["text"]) + field_markup(form["number"])
    assert "&lt;/textarea&gt;&lt;script&gt;" in markup
    assert 'value="&quot;&gt;&lt;b&gt;"' in markup
    assert "<script>" not in markup


FILINGS = [
    None,
    {},
    # Errors on many fields at once, and typed text that must come back.
    {
        "title": "Tittel <b>",
        "description": "Hva skjedde\nto linjer",
        "occurred_at": "2099-01-01T10:00",
        "consequence": "very_serious",
        "sender_her_id": "abc",
        "patient_name": "Ola 2",
        "patient_identity_number": "123",
        "apprec_error_code": "e21",
    },
    # A number that may be an account number: the form offers its confirmation box.
    {"description": "Kontonummer 1234 56 78903 ble brukt."},
]


@pytest.mark.django_db
@pytest.mark.parametrize("data", FILINGS)
def test_the_filing_form_is_written_as_crispy_writes_it(world, reporter, data):
    if data is None:
        form = DeviationForm(user=reporter)
    else:
        form = DeviationForm({**filing_form_data(world), **data} if data else {}, user=reporter)
        form.is_valid()
    assert_same_as_crispy(form)


@pytest.mark.django_db
def test_the_forms_of_the_case_page_are_written_as_crispy_writes_them(world, reporter, coordinator):
    deviation = file_case(reporter, world.municipality)
    for form_class in set(ActionForm.by_action.values()):
        for data in (None, {}):
            form = form_class(data, deviation=deviation, user=coordinator)
            if data is not None:
                form.is_valid()
            assert_same_as_crispy(form)
    for form in (
        CommentForm(),
        CommentForm({"body": ""}, may_write_internal=False),
        AttachmentForm(),
        AttachmentForm({}, {}),
        RelationForm(deviation=deviation, user=coordinator),
        RelationForm({"relation-other": "x"}, deviation=deviation, user=coordinator),
    ):
        form.is_valid()
        assert_same_as_crispy(form)


@pytest.mark.django_db
def test_the_forms_of_measures_and_duties_are_written_as_crispy_writes_them(world, reporter):
    """The case page's measure and duty panels and the measure's own pages: among them a list of
    checkboxes (the alert's recipients) and radio buttons (the breach decision)."""
    deviation = file_case(reporter, world.municipality)
    measure = Measure(deviation=deviation, what="Rutine", due_date=deviation.created_at.date())
    recipients = ["Statsforvalteren", "Helsetilsynet <tilsyn>"]
    forms_made = [
        MeasureForm(deviation=deviation),
        MeasureForm({"measure-what": "x", "measure-due_date": "i morgen"}, deviation=deviation),
        FollowUpForm(measure=measure),
        FollowUpForm({"status": "dropped", "effect": "nope"}, measure=measure),
        AlertForm(recipients=recipients),
        AlertForm({"recipients": ["Statsforvalteren", "ukjent"], "sent_at": "x"}, recipients=recipients),
        AlertForm({"recipients": ["Helsetilsynet <tilsyn>"]}, recipients=recipients),
        BreachForm(),
        BreachForm({}),
        BreachDecisionForm(),
        BreachDecisionForm({"decision": "maybe", "notified_at": "x"}),
    ]
    for form in forms_made:
        form.is_valid()
        assert_same_as_crispy(form)


class Inputs(forms.Form):
    hidden = forms.CharField(widget=forms.HiddenInput, max_length=10)
    empty = forms.CharField(widget=forms.HiddenInput, required=False)
    text = forms.CharField(widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}))
    number = forms.IntegerField(required=False)
    when = forms.DateTimeField(widget=DateTimeLocalInput, required=False)
    choice = forms.ChoiceField(choices=[("a", "A & <b>")])


@pytest.mark.parametrize(
    "data",
    [None, {}, {"hidden": 'q=a&b="c"<d>', "text": "' \"<x>", "number": "x", "when": "2026-12-05T10:00", "choice": "z"}],
)
def test_a_widget_alone_is_written_as_django_writes_it(data):
    form = Inputs(data, initial={"hidden": "list & more", "text": "x"}) if data is not None else Inputs()
    if data is not None:
        form.is_valid()
    for field in form:
        assert tokens(widget_markup(field)) == tokens(str(field)), field.name


def test_a_hidden_value_comes_back_escaped():
    form = Inputs({"hidden": '"><script>'})
    form.is_valid()
    assert widget_markup(form["hidden"]) == (
        '<input type="hidden" name="hidden" value="&quot;&gt;&lt;script&gt;" id="id_hidden">'
    )
