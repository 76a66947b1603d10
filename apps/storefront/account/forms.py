"""Forms of the shopper's account pages. Their limits are the columns' (max_length, the phone
pattern); the services check the rest (VAT numbers, countries) and name the field."""

from __future__ import annotations

from allauth.account.forms import SignupForm
from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Address, ShopperProfile
from apps.accounts.services import AddressInput, shopper_signup_complete


def _field(model, name: str, *, autocomplete: str = "", **kwargs) -> forms.Field:
    """The model field's form field (its max_length and validators), with the browser's
    autofill hint: on a phone, autofill is most of the typing."""
    model_field = model._meta.get_field(name)
    field = model_field.formfield(**kwargs)
    # formfield() leaves out the column's own validators (the phone pattern).
    field.validators += [
        v
        for v in model_field.validators
        if not isinstance(v, MaxLengthValidator) and v not in field.validators
    ]
    if autocomplete:
        field.widget.attrs["autocomplete"] = autocomplete
    return field


def _name_fields() -> tuple[forms.Field, forms.Field]:
    return (
        _field(ShopperProfile, "first_name", required=True, autocomplete="given-name"),
        _field(ShopperProfile, "last_name", required=True, autocomplete="family-name"),
    )


class ShopperSignupForm(SignupForm):
    """allauth's sign-up form with the shopper's names and their choice about marketing
    emails (unticked unless they tick it)."""

    field_order = ["first_name", "last_name", "email", "password1", "password2"]

    first_name, last_name = _name_fields()
    marketing_consent = forms.BooleanField(
        label=_("Send me news and offers by email. I can unsubscribe at any time."),
        required=False,
        initial=False,
    )

    def save(self, request):
        # The account, its profile and its address record are written together or not at all.
        with transaction.atomic():
            return super().save(request)

    def custom_signup(self, request, user) -> None:
        store = getattr(request, "store", None)
        shopper_signup_complete(
            user=user,
            first_name=self.cleaned_data["first_name"],
            last_name=self.cleaned_data["last_name"],
            language=(get_language() or settings.LANGUAGE_CODE)[:2],
            marketing_consent=self.cleaned_data["marketing_consent"],
            store_id=store.pk if store is not None else None,
        )


class ProfileForm(forms.Form):
    first_name, last_name = _name_fields()
    phone = _field(ShopperProfile, "phone", autocomplete="tel")
    language = forms.ChoiceField(label=_("Language of our emails"), choices=settings.LANGUAGES)
    marketing_consent = forms.BooleanField(
        label=_("Send me news and offers by email."), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].widget.input_type = "tel"


class AddressForm(forms.Form):
    label = _field(Address, "label")
    first_name = _field(Address, "first_name", autocomplete="given-name")
    last_name = _field(Address, "last_name", autocomplete="family-name")
    company = _field(Address, "company", autocomplete="organization")
    vat_number = _field(
        Address,
        "vat_number",
        help_text=_("For businesses in the EU, e.g. LU26375245."),
    )
    line1 = _field(Address, "line1", autocomplete="address-line1")
    line2 = _field(Address, "line2", autocomplete="address-line2")
    postal_code = _field(Address, "postal_code", autocomplete="postal-code")
    city = _field(Address, "city", autocomplete="address-level2")
    country = _field(Address, "country", autocomplete="country")
    phone = _field(Address, "phone", autocomplete="tel")
    default_shipping = forms.BooleanField(
        label=_("Use as my default shipping address"), required=False
    )
    default_billing = forms.BooleanField(
        label=_("Use as my default billing address"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].widget.input_type = "tel"
        self.fields["phone"].help_text = _("For the carrier, if they need to reach you.")

    def address_input(self) -> AddressInput:
        data = self.cleaned_data
        return AddressInput(
            **{name: data.get(name) or "" for name in AddressInput.__dataclass_fields__}
        )
