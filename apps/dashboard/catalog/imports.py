"""Dashboard: product import (upload, preview, background run with progress) and export."""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from apps.catalog.errors import CatalogError
from apps.catalog.exports import product_export
from apps.catalog.import_services import (
    product_import_create,
    product_import_resume,
    product_import_start,
)
from apps.catalog.imports import COLUMNS, import_file_read
from apps.catalog.models import ImportStatus, ProductImport
from apps.catalog.selectors import (
    product_import_get,
    product_import_plan_counts,
    product_imports_recent,
)
from apps.dashboard.access import DashboardView, PageExportView
from apps.inventory.selectors import variants_available
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
        context["recent"] = product_imports_recent(store=self.request.store)
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

    def job(self, import_id: int, *, with_rows: bool = True) -> ProductImport:
        job = product_import_get(store=self.request.store, import_id=import_id, with_rows=with_rows)
        if job is None:
            raise Http404
        return job

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Polling needs the counts only; the rows (up to 20,000) serve the preview.
        job = self.job(kwargs["import_id"], with_rows=not self.request.htmx)
        context["job"] = job
        if job.status == ImportStatus.PENDING and not self.request.htmx:
            context.update(sample=job.rows[:50], plan=product_import_plan_counts(job=job))
        return context

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if request.htmx and response.context_data["job"].status != ImportStatus.RUNNING:
            # Finished or failed while the page polled: reload it whole, with its report.
            response["HX-Refresh"] = "true"
        return response

    def post(self, request, import_id: int):
        job = self.job(import_id, with_rows=False)
        try:
            if request.POST.get("action") == "resume":
                product_import_resume(job=job)
            else:
                product_import_start(job=job)
        except CatalogError as error:
            messages.error(request, error.message)
        return HttpResponseRedirect(reverse("dashboard:import", args=[import_id]))


class ExportView(PageExportView):
    """The catalogue as CSV or XLSX, in the import's columns (offered on the import page)."""

    page = ImportView

    def get(self, request, file_format: str):
        if file_format not in ("csv", "xlsx"):
            raise Http404
        body = product_export(
            store=request.store, file_format=file_format, variants_available=variants_available
        )
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
