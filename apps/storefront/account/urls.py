"""The shopper's account pages, under /account/ in the storefront's namespace."""

from django.urls import path

from apps.storefront.account import views

urlpatterns = [
    path("", views.AccountHomeView.as_view(), name="account"),
    path("profile/", views.ProfileView.as_view(), name="account-profile"),
    path("addresses/", views.AddressListView.as_view(), name="account-addresses"),
    path("addresses/new/", views.AddressCreateView.as_view(), name="account-address-create"),
    path(
        "addresses/<int:address_id>/",
        views.AddressEditView.as_view(),
        name="account-address-edit",
    ),
    path(
        "addresses/<int:address_id>/delete/",
        views.AddressDeleteView.as_view(),
        name="account-address-delete",
    ),
    path(
        "addresses/<int:address_id>/default/",
        views.AddressDefaultView.as_view(),
        name="account-address-default",
    ),
]
