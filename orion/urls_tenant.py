"""URLs of a merchant's dashboard host (the merchant's schema). No Django admin here."""

from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from apps.dashboard.invitations.views import InvitationAcceptView

urlpatterns = [
    path("", RedirectView.as_view(url="/dashboard/", permanent=False)),
    path("dashboard/", include("apps.dashboard.urls")),
    path("api/v1/store/", include("apps.api.store.urls")),
    path("invitations/<str:token>/", InvitationAcceptView.as_view(), name="invitation-accept"),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]

# Uploaded files in development (production serves MEDIA_ROOT from the web server or S3).
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
