from django.contrib import messages
from django.http import Http404, HttpResponseRedirect, StreamingHttpResponse
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from apps.catalog.feeds import product_feed_csv
from apps.catalog.models import CATALOG_LANGUAGES, Category
from apps.catalog.search import SearchFilters, product_search
from apps.catalog.selectors import products_for_list
from apps.catalog.services import product_feed_get, product_feed_rotate, products_set_active
from apps.core.parsing import page_number as page_number_of
from apps.core.parsing import parse_ids
from apps.dashboard.access import DashboardView, PageExportView
from apps.inventory.selectors import product_available_stock, variants_available
from apps.tenancy.selectors import merchant_domains
from apps.tenancy.stores.roles import Permission

PAGE_SIZE = 50


class ProductListView(DashboardView, TemplateView):
    template_name = "dashboard/catalog/product_list.html"
    write_permission = Permission.MANAGE_CATALOG
    section = "products"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET
        page_number = page_number_of(params.get("page"), maximum=10_000)
        categories = list(Category.objects.filter(store=self.request.store).order_by("path"))
        category = next((c for c in categories if c.slug == params.get("category")), None)
        page = product_search(
            store=self.request.store,
            query=params.get("q", ""),
            language=(get_language() or "fr")[:2],
            filters=SearchFilters(
                category_id=category.pk if category else None,
                in_stock=params.get("in_stock") == "1",
            ),
            sort=params.get("sort"),
            limit=PAGE_SIZE,
            offset=(page_number - 1) * PAGE_SIZE,
            active_only=False,
        )
        by_id = (
            products_for_list(ids=[p.pk for p in page.products])
            .annotate(available=product_available_stock())
            .in_bulk()
        )
        context.update(
            page=page,
            categories=categories,
            params=params,
            rows=[by_id[p.pk] for p in page.products],
            page_number=page_number,
            has_next=page.total > page_number * PAGE_SIZE,
            filtered=bool(page.query or category or params.get("in_stock") == "1"),
        )
        return context

    def post(self, request):
        ids = parse_ids(request.POST.getlist("product"))
        action = request.POST.get("action")
        if action not in ("activate", "deactivate") or not ids:
            messages.error(request, _("Select products and an action."))
        else:
            changed = products_set_active(
                store=request.store, product_ids=ids, active=action == "activate"
            )
            messages.success(
                request,
                ngettext("%(n)d product changed.", "%(n)d products changed.", changed)
                % {"n": changed},
            )
        return HttpResponseRedirect(reverse("dashboard:products"))


class FeedView(DashboardView, TemplateView):
    """The Letzshop feed of the current store: a download per language for everyone who may
    read the page; its secret addresses (anyone holding one reads the feed, no login) and a new
    secret only for those who manage integrations."""

    template_name = "dashboard/catalog/feed.html"
    secret_permission = Permission.MANAGE_INTEGRATIONS
    write_permission = secret_permission
    section = "products"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["languages"] = CATALOG_LANGUAGES
        context["shows_secret"] = self.request.staff.has_permission(self.secret_permission)
        if context["shows_secret"]:
            feed = product_feed_get(store=self.request.store)
            origin = _storefront_origin(self.request)
            context["feed_urls"] = [
                (language, f"{origin}/feeds/letzshop/{feed.token}/{language}.csv")
                for language in CATALOG_LANGUAGES
            ]
        return context

    def post(self, request):
        product_feed_rotate(store=request.store)
        messages.success(request, _("The feed has a new secret address; the old one is closed."))
        return HttpResponseRedirect(reverse("dashboard:feed"))


class FeedDownloadView(PageExportView):
    page = FeedView

    def get(self, request, language: str):
        if language not in CATALOG_LANGUAGES:
            raise Http404
        rows = product_feed_csv(
            store=request.store,
            language=language,
            base_url=_storefront_origin(request),
            variants_available=variants_available,
        )
        response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="letzshop-{request.store.slug}-{language}.csv"'
        )
        return response


def _storefront_origin(request) -> str:
    host = next(
        (
            d.domain
            for d in merchant_domains(merchant=request.tenant)
            if d.store_id == request.store.pk
        ),
        request.get_host(),
    )
    port = request.get_port()
    return f"{request.scheme}://{host}" + (f":{port}" if port not in ("80", "443") else "")
