from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from apps.catalog.errors import CatalogError
from apps.catalog.media import media_delete, media_upload
from apps.catalog.models import MediaImage
from apps.core.parsing import parse_id
from apps.dashboard.access import DashboardView
from apps.dashboard.forms import add_domain_error
from apps.tenancy.stores.roles import Permission


class MediaUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Image (JPEG, PNG or WebP, up to 5 MB)"))
    alt_text = forms.CharField(label=gettext_lazy("Alternative text"), required=False)


class MediaLibraryView(DashboardView, TemplateView):
    template_name = "dashboard/media/library.html"
    write_permission = Permission.MANAGE_CATALOG
    section = "products"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", MediaUploadForm())
        context["images"] = MediaImage.objects.filter(store=self.request.store)[:200]
        return context

    def post(self, request):
        if request.POST.get("delete"):
            image = MediaImage.objects.filter(
                pk=parse_id(request.POST["delete"]) or 0,
                store=request.store,
            ).first()
            if image is None:
                raise Http404
            try:
                media_delete(image=image)
            except CatalogError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("The image was deleted."))
            return HttpResponseRedirect(reverse("dashboard:media"))
        form = MediaUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                media_upload(
                    store=request.store,
                    upload=form.cleaned_data["file"],
                    alt_text=form.cleaned_data["alt_text"],
                )
            except CatalogError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("The image was added to the library."))
                return HttpResponseRedirect(reverse("dashboard:media"))
        return self.render_to_response(self.get_context_data(form=form), status=400)
