"""Background work for stores and staff. Tasks run in the schema they were enqueued from."""

from celery import shared_task
from django.core.mail import send_mail
from django.db import connection
from django.template.loader import render_to_string
from django.utils import translation

from apps.tenancy.stores.services import (
    staff_invitation_claim_sending,
    staff_invitation_sending_failed,
)


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def staff_invitation_send(self, *, invitation_id: int, accept_url: str) -> bool:
    """Email an invitation link, at most once: the run that claims the invitation sends it; a
    retried or redelivered run (or a used, revoked or expired invitation) sends nothing. When
    the mail server refuses, the claim is given back and the task retried."""
    invitation = staff_invitation_claim_sending(invitation_id=invitation_id)
    if invitation is None:
        return False
    merchant = connection.tenant
    try:
        with translation.override(
            invitation.invited_by.language if invitation.invited_by else None
        ):
            context = {"invitation": invitation, "accept_url": accept_url, "merchant": merchant}
            send_mail(
                subject=render_to_string("emails/staff_invitation_subject.txt", context).strip(),
                message=render_to_string("emails/staff_invitation.txt", context),
                from_email=None,
                recipient_list=[invitation.email],
            )
    except OSError:
        staff_invitation_sending_failed(invitation=invitation)
        raise
    return True
