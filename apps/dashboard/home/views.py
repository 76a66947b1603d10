from django.http import Http404, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import TemplateView
from django_htmx.http import HttpResponseClientRedirect

from apps.core.parsing import parse_id
from apps.dashboard.access import SESSION_STORE_KEY, DashboardView
from apps.tenancy.selectors import merchant_domains
from apps.tenancy.stores.selectors import store_get


class HomeView(DashboardView, TemplateView):
    template_name = "dashboard/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        hosts = {
            domain.store_id: domain.domain
            for domain in merchant_domains(merchant=self.request.tenant)
            if domain.store_id
        }
        context["store_cards"] = [(store, hosts.get(store.pk)) for store in context["stores"]]
        return context


class StoreSwitchView(DashboardView):
    """Remember which store the dashboard shows (htmx select in the top bar)."""

    def post(self, request):
        store_id = parse_id(request.POST.get("store"))
        store = store_get(store_id=store_id) if store_id else None
        if store is None:
            raise Http404
        request.session[SESSION_STORE_KEY] = store.pk
        target = request.POST.get("next") or "/dashboard/"
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = "/dashboard/"
        if request.htmx:
            return HttpResponseClientRedirect(target)
        return HttpResponseRedirect(target)
