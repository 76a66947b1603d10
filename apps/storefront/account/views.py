"""The shopper's account pages on a store's host. Every page reads and writes the logged-in
shopper's own data only: ids come back through the accounts selectors and services, which
answer another shopper's address as "not found" (404 here)."""

from __future__ import annotations

from allauth.account.views import PasswordChangeView, SignupView
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from apps.accounts.errors import AccountError, AccountErrorCode
from apps.accounts.models import AddressKind
from apps.accounts.selectors import address_default, address_get, address_list, shopper_profile_get
from apps.accounts.services import (
    ADDRESS_BOOK_LIMIT,
    address_create,
    address_delete,
    address_set_default,
    address_update,
    shopper_profile_update,
)
from apps.storefront.account.forms import AddressForm, ProfileForm, ShopperSignupForm


def _form_error(form, error: AccountError) -> None:
    """Show a service's refusal beside the field it names (or above the form)."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


class ShopperSignupView(SignupView):
    """allauth's sign-up with the shopper's names and marketing choice (ShopperSignupForm)."""

    form_class = ShopperSignupForm


class AccountPageMixin(LoginRequiredMixin):
    section = "home"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["account_section"] = self.section
        return context


class ShopperPasswordChangeView(AccountPageMixin, PasswordChangeView):
    """allauth's password change (its form, checks and sign-in of the new session), in the
    storefront's account layout."""

    section = "password"
    template_name = "storefront/account/password_change.html"


class AccountHomeView(AccountPageMixin, TemplateView):
    template_name = "storefront/account/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            profile=shopper_profile_get(user=user),
            default_shipping=address_default(user=user, kind=AddressKind.SHIPPING),
            default_billing=address_default(user=user, kind=AddressKind.BILLING),
        )
        return context


class ProfileView(AccountPageMixin, FormView):
    template_name = "storefront/account/profile.html"
    form_class = ProfileForm
    section = "profile"

    def get_initial(self):
        profile = shopper_profile_get(user=self.request.user)
        return {
            "first_name": profile.first_name,
            "last_name": profile.last_name,
            "phone": profile.phone,
            "language": self.request.user.language or self.request.LANGUAGE_CODE,
            "marketing_consent": profile.marketing_consent,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["profile"] = shopper_profile_get(user=self.request.user)
        return context

    def form_valid(self, form):
        try:
            shopper_profile_update(
                user=self.request.user, store_id=self.request.store.pk, **form.cleaned_data
            )
        except AccountError as error:
            _form_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Your profile was saved."))
        return HttpResponseRedirect(reverse("storefront:account"))


class AddressListView(AccountPageMixin, TemplateView):
    template_name = "storefront/account/addresses.html"
    section = "addresses"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        addresses = list(address_list(user=self.request.user))
        context.update(
            addresses=addresses,
            can_add=len(addresses) < ADDRESS_BOOK_LIMIT,
            limit=ADDRESS_BOOK_LIMIT,
        )
        return context


class AddressFormView(AccountPageMixin, FormView):
    template_name = "storefront/account/address_form.html"
    form_class = AddressForm
    section = "addresses"
    address = None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["address"] = self.address
        return context

    def form_valid(self, form):
        try:
            self.save(form)
        except AccountError as error:
            if error.code == AccountErrorCode.ADDRESS_NOT_FOUND:
                raise Http404 from error  # deleted in another tab meanwhile
            _form_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The address was saved."))
        return HttpResponseRedirect(reverse("storefront:account-addresses"))


class AddressCreateView(AddressFormView):
    def get_initial(self):
        # A first address for the name on the account, in the store's country.
        profile = shopper_profile_get(user=self.request.user)
        return {
            "first_name": profile.first_name,
            "last_name": profile.last_name,
            "phone": profile.phone,
            "country": self.request.store.country.code,
        }

    def save(self, form) -> None:
        data = form.cleaned_data
        address_create(
            user=self.request.user,
            data=form.address_input(),
            default_shipping=data["default_shipping"],
            default_billing=data["default_billing"],
        )


class AddressEditView(AddressFormView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.address = address_get(user=request.user, address_id=kwargs["address_id"])
            if self.address is None:
                raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        address = self.address
        initial = {
            name: getattr(address, name)
            for name in AddressForm.base_fields
            if hasattr(address, name)
        }
        initial.update(
            country=address.country.code,
            default_shipping=address.is_default_shipping,
            default_billing=address.is_default_billing,
        )
        return initial

    def save(self, form) -> None:
        data = form.cleaned_data
        address_update(
            user=self.request.user,
            address_id=self.address.pk,
            data=form.address_input(),
            default_shipping=data["default_shipping"],
            default_billing=data["default_billing"],
        )


class AddressDeleteView(AccountPageMixin, TemplateView):
    """GET asks to confirm; POST deletes."""

    template_name = "storefront/account/address_delete.html"
    section = "addresses"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.address = address_get(user=request.user, address_id=kwargs["address_id"])
            if self.address is None:
                raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["address"] = self.address
        return context

    def post(self, request, *args, **kwargs):
        try:
            address_delete(user=request.user, address_id=self.address.pk)
        except AccountError as error:
            raise Http404 from error
        messages.success(request, _("The address was deleted."))
        return HttpResponseRedirect(reverse("storefront:account-addresses"))


class AddressDefaultView(AccountPageMixin, View):
    """POST kind=shipping|billing: make the address the default of that kind."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        address = address_get(user=request.user, address_id=kwargs["address_id"])
        if address is None:
            raise Http404
        kind = request.POST.get("kind", "")
        try:
            address_set_default(user=request.user, address_id=address.pk, kind=kind)
        except AccountError as error:
            if error.code == AccountErrorCode.ADDRESS_NOT_FOUND:
                raise Http404 from error
            messages.error(request, error.message)
        else:
            if kind == AddressKind.SHIPPING:
                messages.success(request, _("This is now your default shipping address."))
            else:
                messages.success(request, _("This is now your default billing address."))
        return HttpResponseRedirect(reverse("storefront:account-addresses"))
