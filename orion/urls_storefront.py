"""URLs of a store's own host (the merchant's schema, request.store set)."""

from django.urls import include, path

from apps.storefront import views
from apps.storefront.account import views as account_views
from orion.media import media_file

storefront_patterns = (
    [
        path("", views.CatalogView.as_view(), name="home"),
        path("p/<slug:slug>/", views.ProductView.as_view(), name="product"),
        path("account/", include("apps.storefront.account.urls")),
        path(
            "feeds/letzshop/<str:token>/<str:language>.csv",
            views.letzshop_feed,
            name="letzshop-feed",
        ),
    ],
    "storefront",
)

urlpatterns = [
    path("", include(storefront_patterns)),
    # allauth's sign-up and password change, with the shopper's fields and in the storefront's
    # account layout; the rest of allauth as it comes.
    path("accounts/signup/", account_views.ShopperSignupView.as_view(), name="account_signup"),
    path(
        "accounts/password/change/",
        account_views.ShopperPasswordChangeView.as_view(),
        name="account_change_password",
    ),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]

# Uploaded files (MEDIA_URL is /media/), only this merchant's: orion/media.py.
urlpatterns += [path("media/<path:path>", media_file, name="media")]
