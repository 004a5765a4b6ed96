"""The partnership's catalogue: categories of deviation and the agreement clauses a deviation may break."""

from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from avvik.access.roles import Roles
from avvik.access.scoping import ScopedQuerySet, partnership_rule
from avvik.catalogue.choices import ResponsibleKind
from avvik.tenancy.models import Partnership


def in_language(bokmal: str, nynorsk: str, english: str) -> str:
    """The text in the active language, bokmål when it has none (and when no language is active,
    as when counts are frozen in their source text)."""
    language = translation.get_language() or ""
    if language.startswith("nn") and nynorsk:
        return nynorsk
    if language.startswith("en") and english:
        return english
    return bokmal


class CategoryQuerySet(ScopedQuerySet):
    def scope(self, roles: Roles, user) -> Q | None:
        return partnership_rule(roles.partnerships)


class Category(models.Model):
    """A kind of deviation, per partnership; the defaults follow the guideline's areas."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="categories", verbose_name=_("partnership")
    )
    name = models.CharField(_("name"), max_length=120, help_text=_("In bokmål; shown when no other name is given."))
    name_nn = models.CharField(_("name in nynorsk"), max_length=120, blank=True)
    name_en = models.CharField(_("name in English"), max_length=120, blank=True)
    concerns_message = models.BooleanField(
        _("concerns an electronic message"),
        default=False,
        help_text=_("Ask for the message's type, sender, receiver and receipt when this category is chosen."),
    )
    clause = models.ForeignKey(
        "AgreementClause",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agreement clause"),
        help_text=_("The point of the agreement a deviation of this category usually breaks."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # Retired categories stay, inactive, because the cases filed under them keep them.
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
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the active language."""
        return in_language(self.name, self.name_nn, self.name_en)


class AgreementClauseQuerySet(ScopedQuerySet):
    def scope(self, roles: Roles, user) -> Q | None:
        return partnership_rule(roles.partnerships)


class AgreementClause(models.Model):
    """A numbered point of the cooperation agreement that a deviation may break."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="clauses", verbose_name=_("partnership")
    )
    code = models.CharField(_("point"), max_length=30, help_text=_('For example "6.2 e)".'))
    title = models.CharField(_("title"), max_length=300, help_text=_("In bokmål; shown when no other title is given."))
    title_nn = models.CharField(_("title in nynorsk"), max_length=300, blank=True)
    title_en = models.CharField(_("title in English"), max_length=300, blank=True)
    document = models.CharField(_("agreement document"), max_length=120, default="Retningslinje 4")
    responsible_kind = models.CharField(
        _("responsible party"),
        max_length=20,
        choices=ResponsibleKind.choices,
        default=ResponsibleKind.EITHER,
        help_text=_("Whose duty the point is: the hospital trust's (6.2), the municipality's (6.3) or both (6.1)."),
    )
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
        return f"{self.code} {self.display_title}"

    @property
    def display_title(self) -> str:
        """The title in the active language."""
        return in_language(self.title, self.title_nn, self.title_en)

    @property
    def source_label(self) -> str:
        """Point and bokmål title: how counts of the clause are kept, whatever the reader's language."""
        return f"{self.code} {self.title}"
