"""Accepting a staff invitation: the link from the email, on the merchant's dashboard host."""

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from apps.core.errors import DomainError
from apps.dashboard.forms import add_domain_error
from apps.tenancy.stores.selectors import staff_invitation_asks_current_password
from apps.tenancy.stores.services import staff_invitation_accept, staff_invitation_get_pending


class InvitationAcceptForm(forms.Form):
    """A new login: the invitee chooses its password."""

    full_name = forms.CharField(label=gettext_lazy("Your name"), max_length=200, required=False)
    password = forms.CharField(label=gettext_lazy("Password"), widget=forms.PasswordInput)
    password_again = forms.CharField(
        label=gettext_lazy("Password (again)"), widget=forms.PasswordInput
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password") != cleaned.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return cleaned


class ExistingAccountForm(forms.Form):
    """The invited address already has an account here (a shopper's): join with it."""

    password = forms.CharField(
        label=gettext_lazy("Current password of this account"), widget=forms.PasswordInput
    )


class InvitationAcceptView(View):
    template_name = "dashboard/invitation_accept.html"

    @staticmethod
    def form_class(invitation):
        if staff_invitation_asks_current_password(invitation=invitation):
            return ExistingAccountForm
        return InvitationAcceptForm

    def render_form(self, request, invitation, form, status=200):
        context = {
            "invitation": invitation,
            "form": form,
            "existing_account": isinstance(form, ExistingAccountForm),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request, token: str):
        try:
            invitation = staff_invitation_get_pending(token=token)
        except DomainError as error:
            return render(request, self.template_name, {"error": error.message}, status=404)
        return self.render_form(request, invitation, self.form_class(invitation)())

    def post(self, request, token: str):
        try:
            invitation = staff_invitation_get_pending(token=token)
        except DomainError as error:
            return render(request, self.template_name, {"error": error.message}, status=404)
        form = self.form_class(invitation)(request.POST)
        if form.is_valid():
            try:
                member = staff_invitation_accept(
                    token=token,
                    password=form.cleaned_data["password"],
                    full_name=form.cleaned_data.get("full_name", ""),
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                login(
                    request,
                    member.user,
                    backend="allauth.account.auth_backends.AuthenticationBackend",
                )
                messages.success(request, _("Welcome to the team!"))
                return HttpResponseRedirect("/dashboard/")
        return self.render_form(request, invitation, form, status=400)
