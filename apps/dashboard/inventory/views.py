from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.generic import TemplateView

from apps.catalog.models import Variant
from apps.core.errors import DomainError
from apps.dashboard.access import DashboardView
from apps.dashboard.forms import add_domain_error
from apps.inventory.models import StockLocation
from apps.inventory.selectors import low_stock_variants, stock_levels, stock_movements
from apps.inventory.services import stock_adjust
from apps.tenancy.stores.roles import Permission


class AdjustmentForm(forms.Form):
    location = forms.ModelChoiceField(
        label=gettext_lazy("Location"), queryset=StockLocation.objects.filter(is_active=True)
    )
    change = forms.IntegerField(
        label=pgettext_lazy("stock adjustment", "Change"),  # a quantity, not the verb
        help_text=gettext_lazy("Positive to add, negative to remove."),
        min_value=-1_000_000,
        max_value=1_000_000,
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=200)


class InventoryView(DashboardView, TemplateView):
    template_name = "dashboard/inventory/overview.html"
    section = "inventory"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["low_stock"] = list(low_stock_variants(store_id=self.request.store.pk)[:100])
        context["locations"] = StockLocation.objects.all()
        return context


class VariantStockView(DashboardView, TemplateView):
    template_name = "dashboard/inventory/variant.html"
    write_permission = Permission.MANAGE_INVENTORY
    section = "inventory"

    def variant(self, variant_id: int) -> Variant:
        variant = (
            Variant.objects.select_related("product")
            .filter(pk=variant_id, store=self.request.store)
            .first()
        )
        if variant is None:
            raise Http404
        return variant

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        variant = kwargs.get("variant") or self.variant(kwargs["variant_id"])
        context.update(
            variant=variant,
            levels=stock_levels(variant=variant),
            movements=stock_movements(variant=variant)[:50],
        )
        context.setdefault("form", AdjustmentForm())
        return context

    def post(self, request, variant_id: int):
        variant = self.variant(variant_id)
        form = AdjustmentForm(request.POST)
        if form.is_valid():
            try:
                stock_adjust(
                    variant=variant,
                    location=form.cleaned_data["location"],
                    change=form.cleaned_data["change"],
                    reason=form.cleaned_data["reason"],
                    actor=request.user,
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("The stock was adjusted."))
                return HttpResponseRedirect(reverse("dashboard:variant-stock", args=[variant.pk]))
        return self.render_to_response(
            self.get_context_data(variant=variant, variant_id=variant.pk, form=form), status=400
        )
