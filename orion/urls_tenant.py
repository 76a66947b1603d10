"""URLs of a merchant's dashboard host (the merchant's schema). No Django admin here."""

from django.urls import include, path
from django.views.generic import RedirectView

from apps.dashboard.invitations.views import InvitationAcceptView
from orion.media import media_file

urlpatterns = [
    path("", RedirectView.as_view(url="/dashboard/", permanent=False)),
    path("dashboard/", include("apps.dashboard.urls")),
    path("api/v1/store/", include("apps.api.store.urls")),
    path("invitations/<str:token>/", InvitationAcceptView.as_view(), name="invitation-accept"),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]

# Uploaded files (MEDIA_URL is /media/), only this merchant's: orion/media.py.
urlpatterns += [path("media/<path:path>", media_file, name="media")]
