from django import forms
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from apps.catalog.errors import CatalogError
from apps.catalog.models import CATALOG_LANGUAGES, Category
from apps.catalog.services import category_create
from apps.dashboard.access import DashboardView
from apps.dashboard.forms import add_domain_error
from apps.tenancy.stores.roles import Permission


class CategoryForm(forms.Form):
    name_fr = forms.CharField(label=gettext_lazy("Name (French)"), max_length=120, required=False)
    name_de = forms.CharField(label=gettext_lazy("Name (German)"), max_length=120, required=False)
    name_en = forms.CharField(label=gettext_lazy("Name (English)"), max_length=120, required=False)
    parent = forms.ChoiceField(label=gettext_lazy("Inside"), required=False)

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [("", gettext_lazy("(top level)"))] + [
            (str(c.pk), "· " * (c.depth - 1) + c.name) for c in categories
        ]


class CategoryTreeView(DashboardView, TemplateView):
    template_name = "dashboard/catalog/categories.html"
    write_permission = Permission.MANAGE_CATALOG
    section = "products"

    def categories(self):
        return list(Category.objects.filter(store=self.request.store).order_by("path"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        categories = kwargs.get("categories") or self.categories()
        context["categories"] = categories
        context.setdefault("form", CategoryForm(categories=categories))
        return context

    def post(self, request):
        categories = self.categories()
        form = CategoryForm(request.POST, categories=categories)
        if form.is_valid():
            parent_id = form.cleaned_data["parent"]
            parent = next((c for c in categories if str(c.pk) == parent_id), None)
            try:
                category_create(
                    store=request.store,
                    names={lang: form.cleaned_data[f"name_{lang}"] for lang in CATALOG_LANGUAGES},
                    parent=parent,
                )
            except CatalogError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("The category was added."))
                return HttpResponseRedirect(reverse("dashboard:categories"))
        return self.render_to_response(
            self.get_context_data(form=form, categories=categories), status=400
        )
