"""The partnership's catalogue: categories of deviation and the agreement clauses a deviation may break."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from avvik.access.roles import Roles
from avvik.access.scoping import ScopedQuerySet, partnership_rule
from avvik.tenancy.models import Partnership


class CategoryQuerySet(ScopedQuerySet):
    def scope(self, roles: Roles, user) -> Q | None:
        return partnership_rule(roles.partnerships)


class Category(models.Model):
    """A kind of deviation, per partnership; the defaults follow the guideline's areas."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="categories", verbose_name=_("partnership")
    )
    name = models.CharField(_("name"), max_length=120)
    concerns_message = models.BooleanField(
        _("concerns an electronic message"),
        default=False,
        help_text=_("Ask for the message's type, sender, receiver and receipt when this category is chosen."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = CategoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["partnership", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "name"],
                name="category_name_unique_in_partnership",
                violation_error_message=_("The partnership already has a category with this name."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class AgreementClauseQuerySet(ScopedQuerySet):
    def scope(self, roles: Roles, user) -> Q | None:
        return partnership_rule(roles.partnerships)


class AgreementClause(models.Model):
    """A numbered point of the cooperation agreement that a deviation may break."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="clauses", verbose_name=_("partnership")
    )
    code = models.CharField(_("point"), max_length=30, help_text=_('For example "6.2 e)".'))
    title = models.CharField(_("title"), max_length=300)
    document = models.CharField(_("agreement document"), max_length=120, default="Retningslinje 4")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = AgreementClauseQuerySet.as_manager()

    class Meta:
        verbose_name = _("agreement clause")
        verbose_name_plural = _("agreement clauses")
        ordering = ["partnership", "position", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "document", "code"],
                name="clause_code_unique_in_partnership",
                violation_error_message=_("The partnership already has this point for this agreement document."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"
