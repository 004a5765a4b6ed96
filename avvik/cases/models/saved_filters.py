"""A person's saved filters of the deviation lists."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from avvik.tenancy.models import User


class SavedFilterQuerySet(models.QuerySet["SavedFilter"]):
    def owned_by(self, user: "User | AnonymousUser") -> "SavedFilterQuerySet":
        """A person's own saved filters, and nobody else's: not even an administrator reads another's."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self.filter(owner_id=user.pk)


class SavedFilter(models.Model):
    """A filter a person saved under a name: the list it belongs to and its query string, nothing
    else. The query is checked again each time it is opened, against the person's rights then."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_filters", verbose_name=_("owner")
    )
    name = models.CharField(_("name"), max_length=80)
    list_name = models.CharField(_("list"), max_length=40)
    query = models.CharField(_("query string"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("saved"), default=timezone.now, editable=False)

    objects = SavedFilterQuerySet.as_manager()

    class Meta:
        verbose_name = _("saved filter")
        verbose_name_plural = _("saved filters")
        ordering = ["name", "pk"]
        constraints = [
            # Also the index the list pages read a person's filters by (owner, in name order).
            models.UniqueConstraint(
                fields=["owner", "name"],
                name="saved_filter_unique_name_per_owner",
                violation_error_message=_("You already have a saved filter with this name."),
            ),
        ]

    def __str__(self) -> str:
        return self.name
