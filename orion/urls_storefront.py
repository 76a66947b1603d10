"""URLs of a store's own host (the merchant's schema, request.store set)."""

from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path

from apps.storefront import views

storefront_patterns = (
    [
        path("", views.CatalogView.as_view(), name="home"),
        path("p/<slug:slug>/", views.ProductView.as_view(), name="product"),
        path("account/", views.AccountView.as_view(), name="account"),
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
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]

# Uploaded files in development (production serves MEDIA_ROOT from the web server or S3).
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
