"""Dashboard sections whose pages arrive with later features: a clear empty state, not a 404."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from apps.dashboard.access import DashboardView

SECTIONS = {
    "orders": _("Orders"),
    "customers": _("Customers"),
    "invoices": _("Invoices"),
    "purchasing": _("Purchasing"),
    "letzshop": _("Letzshop"),
    "messages": _("Messages"),
}


class SectionView(DashboardView, TemplateView):
    template_name = "dashboard/section.html"

    def dispatch(self, request, *args, **kwargs):
        if kwargs["section"] not in SECTIONS:
            raise Http404
        self.section = kwargs["section"]
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["section_title"] = SECTIONS[self.section]
        return context
