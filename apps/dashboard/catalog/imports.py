"""Dashboard: product import (upload, preview, background run with progress) and export."""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from apps.catalog.errors import CatalogError
from apps.catalog.import_services import product_import_create, product_import_start
from apps.catalog.imports import COLUMNS, import_file_read, product_export
from apps.catalog.models import ProductImport
from apps.dashboard.access import DashboardView, PageExportView
from apps.tenancy.stores.roles import Permission


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("CSV or XLSX file"))


class ImportView(DashboardView, TemplateView):
    template_name = "dashboard/catalog/import.html"
    permission = Permission.MANAGE_CATALOG
    section = "products"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", UploadForm())
        context["columns"] = COLUMNS
        context["recent"] = ProductImport.objects.filter(store=self.request.store)[:10]
        return context

    def post(self, request):
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                preview = import_file_read(
                    store=request.store, content=upload.read(), file_name=upload.name
                )
            except CatalogError as error:
                form.add_error("file", error.message)
            else:
                job = product_import_create(
                    store=request.store, preview=preview, file_name=upload.name, user=request.user
                )
                return HttpResponseRedirect(reverse("dashboard:import", args=[job.pk]))
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ImportJobView(DashboardView, TemplateView):
    """The preview before the import, its progress while it runs, its report after."""

    permission = Permission.MANAGE_CATALOG
    section = "products"

    def get_template_names(self):
        if self.request.htmx:
            return ["dashboard/catalog/_import_progress.html"]
        return ["dashboard/catalog/import_job.html"]

    def job(self, import_id: int) -> ProductImport:
        job = ProductImport.objects.filter(pk=import_id, store=self.request.store).first()
        if job is None:
            raise Http404
        return job

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        job = self.job(kwargs["import_id"])
        context.update(job=job, sample=job.rows[:20])
        return context

    def post(self, request, import_id: int):
        try:
            product_import_start(job=self.job(import_id))
        except CatalogError as error:
            messages.error(request, error.message)
        return HttpResponseRedirect(reverse("dashboard:import", args=[import_id]))


class ExportView(PageExportView):
    """The catalogue as CSV or XLSX, in the import's columns (offered on the import page)."""

    page = ImportView

    def get(self, request, file_format: str):
        if file_format not in ("csv", "xlsx"):
            raise Http404
        body = product_export(store=request.store, file_format=file_format)
        content_type = (
            "text/csv; charset=utf-8"
            if file_format == "csv"
            else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = (
            f'attachment; filename="products-{request.store.slug}.{file_format}"'
        )
        return response
