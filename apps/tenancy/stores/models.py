"""A merchant's stores and staff. These tables live in the merchant's own schema."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from apps.tenancy.models import Currency, Language
from apps.tenancy.stores.roles import Role, role_has_permission


def default_theme() -> dict:
    return {"primary_color": "#1f4e79", "accent_color": "#f0a500", "logo_text": ""}


class Store(models.Model):
    """One selling channel: a Letzshop account or a web shop."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    country = CountryField(_("country of establishment"), default="LU")
    default_language = models.CharField(
        _("default language"), max_length=2, choices=Language.choices, default=Language.FRENCH
    )
    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.EUR
    )
    theme = models.JSONField(_("theme settings"), default=default_theme, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # Business details printed on documents and shown to shoppers.
    legal_name = models.CharField(_("legal name"), max_length=200, blank=True)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    email = models.EmailField(_("contact email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    registration_number = models.CharField(
        _("trade register number"), max_length=40, blank=True, help_text=_("e.g. RCS B123456")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("store")
        verbose_name_plural = _("stores")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class StaffMember(models.Model):
    """A user of this merchant who works in the dashboard, with one role."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_membership",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")
        ordering = ["user__email"]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"

    def has_permission(self, permission: str) -> bool:
        return self.is_active and role_has_permission(self.role, permission)


class StaffInvitation(models.Model):
    """An emailed invitation to join the merchant's staff. Only a hash of the token is kept."""

    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    # Set, atomically, by the one task run that emails the link: a retried or redelivered task
    # finds it set and sends nothing (the link goes out at most once).
    sent_at = models.DateTimeField(_("emailed"), null=True, blank=True, editable=False)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("staff invitation")
        verbose_name_plural = _("staff invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.email

    @property
    def is_pending(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )
