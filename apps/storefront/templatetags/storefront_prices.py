"""{% load storefront_prices %}: what a storefront price includes, from the store's VAT settings.

Load it once per page ({% vat_note store as vat_note %}) and print {{ vat_note }} beside each
price: shoppers (and the EU price-indication rules) need to know whether VAT is in the price."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext

from apps.tenancy.stores.models import Store
from apps.vat.records.selectors import vat_settings_get

register = template.Library()


@register.simple_tag
def vat_note(store: Store | None) -> str:
    if store is None:
        return ""
    if vat_settings_get(store=store).prices_include_vat:
        return gettext("incl. VAT")
    return gettext("excl. VAT")
