"""Shopper pages of a store, served on the store's own host (request.store)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView


class HomeView(TemplateView):
    template_name = "storefront/home.html"


class AccountView(LoginRequiredMixin, TemplateView):
    template_name = "storefront/account.html"
