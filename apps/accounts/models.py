"""One user model for everyone who logs in.

The table exists in the public schema (platform admins) and in every merchant's schema (that
merchant's staff and shoppers). Which schema a login is checked against follows the host, so an
account of one merchant does not exist on another merchant's host.
"""

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    language = models.CharField(
        _("language"), max_length=8, blank=True, help_text=_("Preferred language for emails.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Django admin access; only meaningful in the public schema (platform console).
    is_staff = models.BooleanField(_("platform staff"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        constraints = [
            # Logins compare addresses case-insensitively, so must uniqueness.
            models.UniqueConstraint(
                Lower("email"),
                name="accounts_user_email_ci_unique",
                violation_error_message=_("An account with this email address already exists."),
            )
        ]

    def __str__(self) -> str:
        return self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


# --- Shoppers ----------------------------------------------------------------------------------
# A shopper's account is merchant-wide: it lives in the merchant's schema, so the same login
# works on every store of that merchant (docs/shoppers.md). apps.accounts is installed in the
# public schema too, where stores do not exist: the store a row was written on is therefore kept
# as a plain id (like tenancy.Domain.store_id), not a foreign key.

PHONE_VALIDATOR = RegexValidator(
    r"^\+?[0-9][0-9 ().\-/]{4,28}[0-9]$",
    _("Enter a phone number with digits, spaces and an optional leading +, e.g. +352 621 123 456."),
    code="phone_invalid",
)


class ShopperProfile(models.Model):
    """What a shopper tells the merchant about themselves, beyond the login (User). The
    preferred language is User.language and the display name User.full_name, kept in step by
    apps.accounts.services."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="shopper_profile", verbose_name=_("user")
    )
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True, validators=[PHONE_VALIDATOR])
    marketing_consent = models.BooleanField(_("accepts marketing emails"), default=False)
    # When the consent was last given or withdrawn (the full story: MarketingConsentRecord).
    marketing_consent_changed_at = models.DateTimeField(
        _("marketing consent changed"), null=True, blank=True
    )
    signup_store_id = models.PositiveBigIntegerField(_("signed up on store"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("shopper profile")
        verbose_name_plural = _("shopper profiles")

    def __str__(self) -> str:
        return str(self.user)


class ConsentSource(models.TextChoices):
    SIGNUP = "signup", _("Sign-up form")
    PROFILE = "profile", _("Profile page")


class MarketingConsentRecord(models.Model):
    """Each time a shopper gives or withdraws marketing consent: the proof the GDPR asks the
    merchant to keep (Art. 7(1)). Rows are added, never changed."""

    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="marketing_consent_records",
        verbose_name=_("user"),
    )
    given = models.BooleanField(_("consent given"))
    source = models.CharField(_("where"), max_length=20, choices=ConsentSource.choices)
    store_id = models.PositiveBigIntegerField(_("store"), null=True, blank=True)
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("marketing consent record")
        verbose_name_plural = _("marketing consent records")
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} {'+' if self.given else '-'} {self.recorded_at:%Y-%m-%d}"


class AddressKind(models.TextChoices):
    SHIPPING = "shipping", _("shipping")
    BILLING = "billing", _("billing")


class Address(models.Model):
    """One entry of a shopper's address book. Orders copy an address when they are placed
    (they never link to it), so editing or deleting one never changes a past order."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="addresses", verbose_name=_("user")
    )
    label = models.CharField(
        _("label"), max_length=60, blank=True, help_text=_("e.g. Home, Office")
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    company = models.CharField(_("company"), max_length=200, blank=True)
    line1 = models.CharField(_("street and number"), max_length=200)
    line2 = models.CharField(
        _("address line 2"), max_length=200, blank=True, help_text=_("Floor, building, c/o")
    )
    postal_code = models.CharField(_("postal code"), max_length=20)
    city = models.CharField(_("city"), max_length=100)
    country = CountryField(_("country"))
    phone = models.CharField(_("phone"), max_length=40, blank=True, validators=[PHONE_VALIDATOR])
    # Normalised by apps.vat.numbers ("LU26375245"); business buyers only.
    vat_number = models.CharField(_("VAT number"), max_length=20, blank=True)
    is_default_shipping = models.BooleanField(_("default shipping address"), default=False)
    is_default_billing = models.BooleanField(_("default billing address"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        ordering = ["-is_default_shipping", "-is_default_billing", "-updated_at", "-id"]
        constraints = [
            # At most one default of each kind per shopper (services switch them under a lock).
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(is_default_shipping=True),
                name="accounts_address_one_default_shipping",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(is_default_billing=True),
                name="accounts_address_one_default_billing",
            ),
        ]

    def __str__(self) -> str:
        return ", ".join(
            part
            for part in (self.full_name, self.company, self.line1, self.city, self.country.code)
            if part
        )

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()
