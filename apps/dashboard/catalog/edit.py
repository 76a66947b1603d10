"""Create and edit a product with its variants, in the three catalogue languages."""

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from apps.catalog.errors import CatalogError
from apps.catalog.media import media_upload, product_image_add, product_image_remove
from apps.catalog.models import CATALOG_LANGUAGES, Category, MediaImage, Product
from apps.catalog.services import (
    VariantChange,
    VariantInput,
    options_parse,
    product_save,
    vat_rates_parse,
)
from apps.core.parsing import parse_id
from apps.dashboard.access import DashboardView
from apps.dashboard.forms import add_domain_error
from apps.inventory.services import products_stock_refresh
from apps.tenancy.stores.roles import Permission
from apps.vat.codes import TaxClass


class ProductForm(forms.Form):
    name_fr = forms.CharField(label=gettext_lazy("Name (French)"), max_length=200, required=False)
    name_de = forms.CharField(label=gettext_lazy("Name (German)"), max_length=200, required=False)
    name_en = forms.CharField(label=gettext_lazy("Name (English)"), max_length=200, required=False)
    description_fr = forms.CharField(
        label=gettext_lazy("Description (French)"), widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )  # fmt: skip
    description_de = forms.CharField(
        label=gettext_lazy("Description (German)"), widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )  # fmt: skip
    description_en = forms.CharField(
        label=gettext_lazy("Description (English)"), widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )  # fmt: skip
    brand = forms.CharField(label=gettext_lazy("Brand"), max_length=120, required=False)
    category = forms.ChoiceField(label=gettext_lazy("Category"), required=False)
    tax_class = forms.ChoiceField(label=gettext_lazy("Tax class"), choices=TaxClass.choices)
    weight_grams = forms.IntegerField(label=gettext_lazy("Weight (g)"), min_value=0, required=False)
    vat_rates = forms.CharField(
        label=gettext_lazy("Own VAT rates"), required=False, max_length=300,
        help_text=gettext_lazy(
            "Only where the goods category does not give this product's rate, e.g. FR=5.5;IT=4"
        ),
    )  # fmt: skip
    is_active = forms.BooleanField(label=gettext_lazy("Active"), required=False, initial=True)

    def clean_vat_rates(self):
        try:
            return vat_rates_parse(raw=self.cleaned_data["vat_rates"])
        except CatalogError as error:
            raise forms.ValidationError(error.message, code=error.code) from error

    def __init__(self, *args, store, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "—")] + [
            (c.slug, "· " * (c.depth - 1) + c.name)
            for c in Category.objects.filter(store=store).order_by("path")
        ]


class VariantForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    sku = forms.CharField(label=gettext_lazy("SKU"), max_length=64, required=False)
    options = forms.CharField(label=gettext_lazy("Options"), required=False)
    price = forms.CharField(label=gettext_lazy("Price"), required=False)
    compare_at_price = forms.CharField(label=gettext_lazy("Compare-at"), required=False)
    gtin = forms.CharField(label=gettext_lazy("GTIN/EAN"), max_length=20, required=False)
    is_active = forms.BooleanField(label=gettext_lazy("Active"), required=False, initial=True)

    def clean_options(self):
        try:
            return options_parse(raw=self.cleaned_data["options"])
        except CatalogError as error:
            raise forms.ValidationError(error.message, code=error.code) from error


VariantFormSet = forms.formset_factory(VariantForm, extra=2, max_num=100)


class ProductEditView(DashboardView, TemplateView):
    template_name = "dashboard/catalog/product_edit.html"
    write_permission = Permission.MANAGE_CATALOG
    section = "products"

    def product(self, product_id):
        if product_id is None:
            return None
        product = Product.objects.filter(pk=product_id, store=self.request.store).first()
        if product is None:
            raise Http404
        return product

    def initial(self, product):
        if product is None:
            return {"is_active": True, "tax_class": TaxClass.STANDARD}, []
        first_category = product.categories.first()
        languages = CATALOG_LANGUAGES
        data = {f"name_{lang}": getattr(product, f"name_{lang}") or "" for lang in languages}
        data.update(
            {f"description_{la}": getattr(product, f"description_{la}") or "" for la in languages}
        )
        data.update(
            brand=product.brand.name if product.brand else "",
            category=first_category.slug if first_category else "",
            tax_class=product.tax_class,
            weight_grams=product.weight_grams,
            is_active=product.is_active,
            vat_rates=";".join(
                f"{r.country}={r.rate.normalize():f}" for r in product.vat_rates.all()
            ),
        )
        variants = [
            {
                "id": v.pk,
                "sku": v.sku,
                "price": v.price,
                "gtin": v.gtin,
                "compare_at_price": v.compare_at_price or "",
                "is_active": v.is_active,
                "options": ";".join(f"{k}={val}" for k, val in v.options.items()),
            }
            for v in product.variants.all()
        ]
        return data, variants

    def get(self, request, product_id=None):
        product = self.product(product_id)
        data, variants = self.initial(product)
        return self.render_to_response(
            self.get_context_data(
                product=product,
                form=ProductForm(initial=data, store=request.store),
                variants=VariantFormSet(initial=variants, prefix="v"),
            )
        )

    def post(self, request, product_id=None):
        product = self.product(product_id)
        if product is not None and request.POST.get("image_action"):
            return self.images(request, product)
        form = ProductForm(request.POST, store=request.store)
        variants = VariantFormSet(request.POST, prefix="v")
        if form.is_valid() and variants.is_valid():
            try:
                product = self.save(product, form.cleaned_data, variants)
            except CatalogError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("The product was saved."))
                return HttpResponseRedirect(reverse("dashboard:product", args=[product.pk]))
        return self.render_to_response(
            self.get_context_data(product=product, form=form, variants=variants), status=400
        )

    def images(self, request, product):
        """Attach an uploaded or library image to the product, or take one off."""
        action = request.POST["image_action"]
        try:
            if action == "upload" and request.FILES.get("image"):
                image = media_upload(store=request.store, upload=request.FILES["image"])
                product_image_add(product=product, image=image)
            elif action == "attach" and parse_id(request.POST.get("media")):
                image = MediaImage.objects.filter(
                    pk=parse_id(request.POST["media"]), store=request.store
                ).first()
                if image is None:
                    raise Http404
                product_image_add(product=product, image=image)
            elif action == "remove" and parse_id(request.POST.get("product_image")):
                product_image_remove(
                    product=product, product_image_id=parse_id(request.POST["product_image"])
                )
            else:
                messages.error(request, _("Choose an image first."))
        except CatalogError as error:
            messages.error(request, error.message)
        return HttpResponseRedirect(reverse("dashboard:product", args=[product.pk]))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        product = kwargs.get("product")
        if product is not None:
            context["product_images"] = product.images.select_related("image")
            context["library"] = MediaImage.objects.filter(store=self.request.store)[:100]
        return context

    @transaction.atomic
    def save(self, product, data, variants):
        rows = [row for row in variants.cleaned_data if row and (row.get("id") or row.get("sku"))]
        saved = product_save(
            store=self.request.store,
            product=product,
            fields={
                "names": {lang: data[f"name_{lang}"] for lang in CATALOG_LANGUAGES},
                "descriptions": {lang: data[f"description_{lang}"] for lang in CATALOG_LANGUAGES},
                "brand": data["brand"],
                "category_slugs": [data["category"]] if data["category"] else [],
                "tax_class": data["tax_class"],
                "weight_grams": data["weight_grams"],
                "is_active": data["is_active"],
                "vat_rates": data["vat_rates"],
            },
            variants=[
                VariantChange(
                    data=_variant_input(row),
                    variant_id=row.get("id"),
                    is_active=row.get("is_active", True),
                )
                for row in rows
            ],
        )
        # A variant (de)activated may change whether the product has stock: inventory says.
        products_stock_refresh(product_ids=[saved.pk])
        return saved


def _variant_input(row) -> VariantInput:
    return VariantInput(
        sku=row.get("sku") or "",
        price=row.get("price") or "",
        gtin=row.get("gtin") or "",
        options=row.get("options") or {},
        compare_at_price=row.get("compare_at_price") or None,
    )
