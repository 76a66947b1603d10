"""The platform console's pages for merchants, their hosts and the platform settings.

Adding a merchant here runs the same provisioning service as ``manage.py create_merchant``;
archiving and the (confirmed) deletion also go through the services.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from apps.core.errors import DomainError
from apps.tenancy.domains import host_validate
from apps.tenancy.models import Domain, Language, Merchant, Plan, PlatformSettings
from apps.tenancy.services import (
    merchant_archive,
    merchant_delete,
    merchant_provision,
    merchant_restore,
)


class MerchantProvisionForm(forms.Form):
    slug = forms.CharField(
        label=gettext_lazy("Slug"),
        max_length=40,
        help_text=gettext_lazy("Dashboard host: <slug>.<base domain>"),
    )
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    legal_name = forms.CharField(label=gettext_lazy("Legal name"), max_length=200, required=False)
    country = LazyTypedChoiceField(label=gettext_lazy("Country"), choices=countries, initial="LU")
    plan = forms.ChoiceField(label=gettext_lazy("Plan"), choices=Plan.choices)
    store_name = forms.CharField(
        label=gettext_lazy("First store's name"), max_length=200, required=False
    )
    store_language = forms.ChoiceField(
        label=gettext_lazy("First store's language"), choices=Language.choices
    )
    owner_email = forms.EmailField(label=gettext_lazy("Owner's email"))
    owner_password = forms.CharField(
        label=gettext_lazy("Owner's password"),
        widget=forms.PasswordInput,
        required=False,
        help_text=gettext_lazy("Leave empty: the owner sets one with “forgot password”."),
    )


class MerchantDeleteForm(forms.Form):
    confirmation = forms.CharField(
        label=gettext_lazy("Type the merchant's slug to confirm"), max_length=40
    )


class DomainForm(forms.ModelForm):
    """Hosts typed in the console obey the same rules as the ones the services create."""

    class Meta:
        model = Domain
        fields = ["domain", "tenant", "is_primary", "store_id"]

    def clean_domain(self):
        try:
            return host_validate(host=self.cleaned_data["domain"])
        except DomainError as error:
            raise forms.ValidationError(error.message, code=error.code) from error


class DomainInline(admin.TabularInline):
    model = Domain
    form = DomainForm
    extra = 0
    fields = ["domain", "is_primary", "store_id"]


@admin.register(Merchant)
class MerchantAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "schema_name", "country", "plan", "created_at", "archived_at"]
    list_filter = ["plan", "country", ("archived_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "slug", "legal_name"]
    readonly_fields = ["slug", "schema_name", "created_at", "archived_at"]
    fields = [
        "name",
        "legal_name",
        "slug",
        "schema_name",
        "country",
        "plan",
        "created_at",
        "archived_at",
    ]
    inlines = [DomainInline]
    actions = ["archive_selected", "restore_selected"]

    def has_delete_permission(self, request, obj=None):
        # Deleting drops a schema: only through the confirmation page below.
        return False

    def get_urls(self):
        custom = [
            path(
                "<int:merchant_id>/delete-permanently/",
                self.admin_site.admin_view(self.delete_permanently_view),
                name="tenancy_merchant_delete_permanently",
            ),
        ]
        return custom + super().get_urls()

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = MerchantProvisionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                merchant = merchant_provision(
                    slug=data["slug"],
                    name=data["name"],
                    legal_name=data["legal_name"],
                    country=data["country"],
                    plan=data["plan"],
                    store_name=data["store_name"],
                    store_language=data["store_language"],
                    owner_email=data["owner_email"],
                    owner_password=data["owner_password"] or None,
                )
            except DomainError as error:
                field = {"email": "owner_email", "password": "owner_password"}.get(
                    error.field, error.field
                )
                form.add_error(field if field in form.fields else None, error.message)
            else:
                self.log_addition(request, merchant, [{"added": {}}])
                messages.success(
                    request, _("The merchant %(name)s was provisioned.") % {"name": merchant}
                )
                return HttpResponseRedirect(
                    reverse("admin:tenancy_merchant_change", args=[merchant.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Provision a merchant"),
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/tenancy/merchant/provision.html", context)

    def delete_permanently_view(self, request, merchant_id: int):
        if not request.user.is_superuser:
            raise PermissionDenied
        merchant = Merchant.objects.filter(pk=merchant_id).first()
        if merchant is None:
            return HttpResponseRedirect(reverse("admin:tenancy_merchant_changelist"))
        form = MerchantDeleteForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                merchant_delete(merchant=merchant, confirmation=form.cleaned_data["confirmation"])
            except DomainError as error:
                form.add_error("confirmation", error.message)
            else:
                messages.success(
                    request,
                    _("The merchant %(name)s and all its data were deleted.") % {"name": merchant},
                )
                return HttpResponseRedirect(reverse("admin:tenancy_merchant_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Delete %(name)s permanently") % {"name": merchant},
            "form": form,
            "merchant": merchant,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/tenancy/merchant/delete_permanently.html", context)

    @admin.action(description=gettext_lazy("Archive: take the selected merchants offline"))
    def archive_selected(self, request, queryset):
        for merchant in queryset:
            merchant_archive(merchant=merchant)
        self.message_user(request, _("%(count)d merchant(s) archived.") % {"count": len(queryset)})

    @admin.action(description=gettext_lazy("Restore: bring the selected merchants back online"))
    def restore_selected(self, request, queryset):
        for merchant in queryset:
            merchant_restore(merchant=merchant)
        self.message_user(request, _("%(count)d merchant(s) restored.") % {"count": len(queryset)})


@admin.register(Domain)
class DomainAdmin(admin.ModelAdmin):
    form = DomainForm
    list_display = ["domain", "tenant", "is_primary", "store_id"]
    search_fields = ["domain", "tenant__name", "tenant__slug"]
    list_select_related = ["tenant"]


@admin.register(PlatformSettings)
class PlatformSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "default_language", "default_currency", "merchant_signup_open"]

    def has_add_permission(self, request):
        return not PlatformSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
