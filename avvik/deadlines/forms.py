"""Forms for the coordinators' deadline page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from avvik.catalogue.choices import Consequence
from avvik.catalogue.models import Category


class DeadlinePolicyForm(forms.Form):
    category = forms.ModelChoiceField(queryset=Category.objects.none(), required=False, label=_("Category"))
    consequence = forms.ChoiceField(required=False, label=_("Consequence"))
    triage_days = forms.IntegerField(min_value=0, max_value=60, label=_("Working days to intake and routing"))
    answer_days = forms.IntegerField(min_value=1, max_value=120, label=_("Working days to answer"))

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, prefix="policy", **kwargs)
        self.fields["category"].queryset = Category.objects.filter(partnership=partnership, is_active=True)
        self.fields["category"].empty_label = _("Every category")
        self.fields["consequence"].choices = [("", _("Every consequence")), *Consequence.choices]


class ClosureDayForm(forms.Form):
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    name = forms.CharField(label=_("What is closed, and why"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="closure", **kwargs)
