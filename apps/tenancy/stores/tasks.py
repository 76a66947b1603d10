"""Background work for stores and staff. Tasks run in the schema they were enqueued from."""

from celery import shared_task
from django.core.mail import send_mail
from django.db import connection
from django.template.loader import render_to_string
from django.utils import translation

from apps.tenancy.stores.models import StaffInvitation


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def staff_invitation_send(self, *, invitation_id: int, accept_url: str) -> bool:
    """Email an invitation link. Safe to retry: a used or revoked invitation is not re-sent."""
    invitation = (
        StaffInvitation.objects.select_related("invited_by").filter(pk=invitation_id).first()
    )
    if invitation is None or not invitation.is_pending:
        return False
    merchant = connection.tenant
    with translation.override(invitation.invited_by.language if invitation.invited_by else None):
        context = {"invitation": invitation, "accept_url": accept_url, "merchant": merchant}
        send_mail(
            subject=render_to_string("emails/staff_invitation_subject.txt", context).strip(),
            message=render_to_string("emails/staff_invitation.txt", context),
            from_email=None,
            recipient_list=[invitation.email],
        )
    return True
