"""The admin site's forms for people."""

from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from avvik.tenancy.models import User


class PersonCreationForm(AdminUserCreationForm):  # type: ignore[type-arg]  # not generic at run time
    class Meta:
        model = User
        fields = ("email", "full_name")


class PersonChangeForm(UserChangeForm):  # type: ignore[type-arg]  # not generic at run time
    class Meta:
        model = User
        fields = "__all__"
