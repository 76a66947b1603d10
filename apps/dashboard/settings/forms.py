from django import forms
from django.utils.translation import gettext_lazy as _

from apps.tenancy.stores.models import StaffInvitation, Store
from apps.tenancy.stores.roles import Role
from apps.tenancy.stores.services import STORE_DETAIL_FIELDS


class StoreDetailsForm(forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Store
        fields = STORE_DETAIL_FIELDS


class StoreCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Store name"), max_length=Store._meta.get_field("name").max_length
    )
    slug = forms.SlugField(
        label=_("Slug"),
        max_length=Store._meta.get_field("slug").max_length,
        help_text=_("Names the storefront host, e.g. “outlet” gives outlet.<merchant>.<domain>."),
    )
    default_language = forms.ChoiceField(
        label=_("Default language"), choices=Store._meta.get_field("default_language").choices
    )


class StaffInviteForm(forms.Form):
    # The column's limits (254 characters), not the form field's default of none.
    email = StaffInvitation._meta.get_field("email").formfield(label=_("Email address"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.STAFF)


class StaffRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
