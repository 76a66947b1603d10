from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from apps.core.errors import DomainError
from apps.dashboard.access import DashboardView, PageExportView
from apps.dashboard.forms import add_domain_error
from apps.dashboard.vat.forms import OssPeriodForm, VatNumberCheckForm, VatSettingsForm
from apps.tenancy.stores.roles import Permission
from apps.vat.records.selectors import (
    oss_return,
    oss_return_csv,
    oss_threshold_status,
    vat_number_checks_recent,
    vat_settings_get,
)
from apps.vat.records.services import parse_vat_number, vat_number_check, vat_settings_update


class VatOverviewView(DashboardView, TemplateView):
    """The OSS threshold and the quarterly OSS return."""

    template_name = "dashboard/vat/overview.html"
    section = "vat"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        period = OssPeriodForm.current(self.request.GET)
        year, quarter = timezone.localdate().year, (timezone.localdate().month - 1) // 3 + 1
        if period.is_valid():
            year, quarter = period.cleaned_data["year"], period.cleaned_data["quarter"]
        rows = oss_return(year=year, quarter=quarter)
        context.update(
            threshold=oss_threshold_status(year=timezone.localdate().year),
            period_form=period,
            year=year,
            quarter=quarter,
            rows=rows,
            total_taxable=sum((r.taxable for r in rows), 0),
            total_vat=sum((r.vat for r in rows), 0),
        )
        return context


class OssReturnCsvView(PageExportView):
    """The OSS return the overview shows, as CSV: the same figures, so the same permission."""

    page = VatOverviewView

    def get(self, request):
        period = OssPeriodForm(request.GET)
        if not period.is_valid():
            return HttpResponse(_("Choose a year and a quarter."), status=400)
        year, quarter = period.cleaned_data["year"], period.cleaned_data["quarter"]
        body = oss_return_csv(
            year=year,
            quarter=quarter,
            rows=oss_return(year=year, quarter=quarter),
            vat_number=vat_settings_get(store=request.store).vat_number,
        )
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="oss-{year}-Q{quarter}.csv"'
        return response


class VatSettingsView(DashboardView, TemplateView):
    template_name = "dashboard/vat/settings.html"
    write_permission = Permission.MANAGE_SETTINGS
    section = "settings"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault(
            "form", VatSettingsForm(instance=vat_settings_get(store=self.request.store))
        )
        context.setdefault("check_form", VatNumberCheckForm())
        context["checks"] = vat_number_checks_recent(limit=10)
        return context

    def post(self, request):
        if "check" in request.POST:
            return self._check(request)
        form = VatSettingsForm(request.POST, instance=vat_settings_get(store=request.store))
        if form.is_valid():
            try:
                vat_settings_update(store=request.store, data=form.cleaned_data)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("The VAT settings were saved."))
                return HttpResponseRedirect(reverse("dashboard:vat-settings"))
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def _check(self, request):
        check_form = VatNumberCheckForm(request.POST)
        if check_form.is_valid():
            try:
                number = parse_vat_number(check_form.cleaned_data["vat_number"])
            except DomainError as error:
                add_domain_error(check_form, error)
            else:
                check = vat_number_check(store=request.store, number=number)
                messages.info(
                    request,
                    _("VIES says %(number)s is %(status)s.")
                    % {"number": check.vat_number, "status": check.get_status_display()},
                )
                return HttpResponseRedirect(reverse("dashboard:vat-settings"))
        return self.render_to_response(self.get_context_data(check_form=check_form), status=400)
