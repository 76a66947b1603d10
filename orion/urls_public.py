"""URLs of the platform's host (public schema): landing page and the platform console."""

from django.contrib import admin
from django.urls import include, path

from apps.platform.views import HomeView

admin.site.site_header = "Orion platform console"
admin.site.site_title = "Orion console"

urlpatterns = [
    path("", HomeView.as_view(), name="platform-home"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
