"""Forms: they validate input and hand cleaned_data to a service."""

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
