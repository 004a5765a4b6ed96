"""Forms about people: the admin's person forms and a person's own settings."""

from django import forms
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from avvik.models import User


class PersonCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name")


class PersonChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ("notification_delivery", "language")
        widgets = {"notification_delivery": forms.RadioSelect}
