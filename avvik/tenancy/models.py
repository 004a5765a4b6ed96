"""Tenancy: partnerships, organisations, units, people and their roles."""

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.no import orgnr

from avvik.tenancy.choices import ORGANISATION_ROLES, PARTNERSHIP_ROLES, Delivery, OrganisationKind, Role, WrittenForm


def validate_organisation_number(value: str) -> None:
    try:
        orgnr.validate(value)
    except StdnumValidationError:
        raise ValidationError(
            _("%(value)s is not a valid organisation number (nine digits with a correct check digit)."),
            code="invalid_orgnr",
            params={"value": value},
        ) from None


def validate_her_id(value: str) -> None:
    if not value.isdigit() or not 1 <= len(value) <= 9:
        raise ValidationError(
            _("A HER-id is a number of up to nine digits from the address register."),
            code="invalid_her_id",
        )


class Partnership(models.Model):
    """A health partnership (helsefellesskap): one hospital trust and its municipalities.

    The outer wall of tenancy: nothing crosses from one partnership to another.
    """

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    written_form = models.CharField(
        _("written form"), max_length=2, choices=WrittenForm.choices, default=WrittenForm.BOKMAL
    )
    # Counts below this are never shown to the council, alone or in a form it can combine.
    small_count_threshold = models.PositiveSmallIntegerField(
        _("smallest count shown to the council"),
        default=5,
        validators=[MinValueValidator(2), MaxValueValidator(50)],
        help_text=_("Counts from 1 up to this number minus one are hidden in the council's figures."),
    )
    # Partnerships call their joint council fagråd, SSU, OSO or partnerskapsmøte.
    council_name = models.CharField(
        _("name of the council"),
        max_length=60,
        blank=True,
        help_text=_("What the partnership calls its joint council, for example SSU or OSO. Empty: the council."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def council_title(self) -> str:
        """The council's name as the partnership uses it, or the general word in the reader's language."""
        return self.council_name or gettext("the council")


class Organisation(models.Model):
    """A party to the cooperation agreement: a hospital trust, a municipality or another party."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="organisations", verbose_name=_("partnership")
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    organisation_number = models.CharField(
        _("organisation number"), max_length=9, unique=True, validators=[validate_organisation_number]
    )
    her_id = models.CharField(_("HER-id"), max_length=9, blank=True, validators=[validate_her_id])
    written_form = models.CharField(
        _("written form"), max_length=2, choices=WrittenForm.choices, default=WrittenForm.BOKMAL
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "name"],
                name="organisation_name_unique_in_partnership",
                violation_error_message=_("The partnership already has an organisation with this name."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """A ward, home-care district or office inside an organisation."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="units", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=200)
    her_id = models.CharField(_("HER-id"), max_length=9, blank=True, validators=[validate_her_id])
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"],
                name="unit_name_unique_in_organisation",
                violation_error_message=_("The organisation already has a unit with this name."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation.name} – {self.name}"


class UserManager(BaseUserManager["User"]):
    """Creates people who log in with their e-mail address."""

    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: Any) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> "User":
        # People type their address with any capitals; it is stored in lower case.
        return self.get(email__iexact=username)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person; logs in with an e-mail address and holds roles through memberships."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    language = models.CharField(
        _("language"),
        max_length=2,
        blank=True,
        choices=[("nb", _("Norwegian Bokmål")), ("nn", _("Norwegian Nynorsk")), ("en", _("English"))],
        help_text=_("Leave empty to use the written form of the person's organisation."),
    )
    notification_delivery = models.CharField(
        _("notifications"),
        max_length=10,
        choices=Delivery.choices,
        default=Delivery.IMMEDIATE,
        help_text=_("Deadline reminders always come at once; other notifications may wait for a daily summary."),
    )
    # WCAG 2.1.4: keys without a modifier (j, k, ?, …) act only while this is on; a person may turn them off.
    keyboard_shortcuts = models.BooleanField(
        _("keyboard shortcuts"),
        default=True,
        help_text=_(
            "Single keys such as j, k and ? move around the lists and the case. They never act while you type."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("may use the admin site"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    # Single sign-on: the identity provider's issuer and subject, stored at the first login
    # matched on a verified e-mail address; later logins match on these alone.
    oidc_issuer = models.CharField(_("sign-on issuer"), max_length=255, blank=True)
    oidc_subject = models.CharField(_("sign-on subject"), max_length=255, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["full_name", "email"]
        constraints = [
            models.UniqueConstraint(
                fields=["oidc_issuer", "oidc_subject"],
                condition=~Q(oidc_subject=""),
                name="user_oidc_identity_once",
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Membership(models.Model):
    """A role a person holds in an organisation or in a whole partnership."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("person"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("partnership")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        null=True,
        blank=True,
        verbose_name=_("organisation"),
        help_text=_("Required for roles in an organisation; empty for partnership roles."),
    )
    # Where in the organisation the person works; the organisation administrator moves people between units.
    unit = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        related_name="memberships",
        null=True,
        blank=True,
        verbose_name=_("unit"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["user", "role"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(role__in=ORGANISATION_ROLES) & Q(organisation__isnull=False))
                | (Q(role__in=PARTNERSHIP_ROLES) & Q(organisation__isnull=True)),
                name="membership_role_matches_scope",
                violation_error_message=_(
                    "Reporters, handlers, managers, organisation administrators and message traffic owners belong "
                    "to an organisation; coordinators, council members and partnership administrators to a "
                    "partnership only."
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "organisation"],
                condition=Q(organisation__isnull=False),
                name="membership_unique_in_organisation",
                violation_error_message=_("The person already has this role in this organisation."),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "partnership"],
                condition=Q(organisation__isnull=True),
                name="membership_unique_in_partnership",
                violation_error_message=_("The person already has this role in this partnership."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_role_display()} – {self.organisation or self.partnership}"

    def get_additional_data(self) -> dict[str, int | None]:
        """Kept with each audit log entry (django-auditlog asks for it), so that the partnership's and
        the organisation's administrators find a membership's history after it is deleted."""
        return {"partnership": self.partnership_id, "organisation": self.organisation_id}

    def clean(self) -> None:
        # organisation_id is set, so the organisation is there.
        if self.organisation_id and self.partnership_id and self.organisation.partnership_id != self.partnership_id:  # type: ignore[union-attr]
            raise ValidationError(
                {"organisation": _("The organisation belongs to another partnership.")}, code="wrong_partnership"
            )
