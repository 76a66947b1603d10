from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from apps.core.errors import DomainError
from apps.dashboard.access import DashboardView
from apps.dashboard.forms import add_domain_error
from apps.dashboard.settings.forms import (
    StaffInviteForm,
    StaffRoleForm,
    StoreCreateForm,
    StoreDetailsForm,
)
from apps.tenancy.selectors import merchant_domains
from apps.tenancy.stores.roles import Permission, Role
from apps.tenancy.stores.selectors import (
    staff_invitations_pending,
    staff_list,
    staff_member_get,
    store_list,
)
from apps.tenancy.stores.services import (
    staff_deactivate,
    staff_invite,
    staff_role_change,
    store_create,
    store_update_details,
)


class StoreSettingsView(DashboardView, TemplateView):
    """Business details of the store chosen in the switcher."""

    template_name = "dashboard/settings/store.html"
    write_permission = Permission.MANAGE_SETTINGS
    section = "settings"

    def get(self, request):
        form = StoreDetailsForm(instance=request.store)
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request):
        form = StoreDetailsForm(request.POST, instance=request.store)
        if form.is_valid():
            store_update_details(store=request.store, data=form.cleaned_data)
            messages.success(request, _("The store's details were saved."))
            return HttpResponseRedirect(reverse("dashboard:settings"))
        return self.render_to_response(self.get_context_data(form=form), status=400)


class StoresView(DashboardView, TemplateView):
    template_name = "dashboard/settings/stores.html"
    write_permission = Permission.MANAGE_SETTINGS
    section = "settings"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        hosts: dict[int, list[str]] = {}
        for domain in merchant_domains(merchant=self.request.tenant):
            if domain.store_id:
                hosts.setdefault(domain.store_id, []).append(domain.domain)
        context["store_rows"] = [(store, hosts.get(store.pk, [])) for store in store_list()]
        context.setdefault("form", StoreCreateForm())
        return context

    def post(self, request):
        form = StoreCreateForm(request.POST)
        if form.is_valid():
            try:
                store = store_create(merchant=request.tenant, **form.cleaned_data)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("The store %(name)s was opened.") % {"name": store})
                return HttpResponseRedirect(reverse("dashboard:stores"))
        return self.render_to_response(self.get_context_data(form=form), status=400)


class StaffView(DashboardView, TemplateView):
    template_name = "dashboard/settings/staff.html"
    permission = Permission.MANAGE_STAFF
    section = "settings"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["members"] = staff_list()
        context["invitations"] = staff_invitations_pending()
        context["role_choices"] = Role.choices
        context.setdefault("form", StaffInviteForm())
        return context

    def post(self, request):
        form = StaffInviteForm(request.POST)
        if form.is_valid():
            try:
                invitation = staff_invite(
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                    invited_by=request.staff,
                    accept_url_base=request.build_absolute_uri("/"),
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(
                    request,
                    _("An invitation was sent to %(email)s.") % {"email": invitation.email},
                )
                return HttpResponseRedirect(reverse("dashboard:staff"))
        return self.render_to_response(self.get_context_data(form=form), status=400)


class StaffMemberView(DashboardView):
    """Change a member's role, or deactivate them."""

    permission = Permission.MANAGE_STAFF

    def post(self, request, member_id: int):
        member = staff_member_get(member_id=member_id)
        if member is None:
            raise Http404
        try:
            if request.POST.get("action") == "deactivate":
                staff_deactivate(member=member, actor=request.staff)
                messages.success(request, _("%(email)s was deactivated.") % {"email": member.user})
            else:
                form = StaffRoleForm(request.POST)
                if not form.is_valid():
                    messages.error(request, _("Choose one of the listed roles."))
                    return HttpResponseRedirect(reverse("dashboard:staff"))
                staff_role_change(
                    member=member, role=form.cleaned_data["role"], actor=request.staff
                )
                messages.success(
                    request,
                    _("%(email)s is now %(role)s.")
                    % {"email": member.user, "role": member.get_role_display()},
                )
        except DomainError as error:
            messages.error(request, error.message)
        return HttpResponseRedirect(reverse("dashboard:staff"))
