"""Read queries for stores and staff, inside the active merchant schema."""

from __future__ import annotations

from django.db.models import QuerySet

from apps.accounts.selectors import user_for_email, user_owns_email
from apps.tenancy.stores.models import StaffInvitation, StaffMember, Store


def store_list(*, active_only: bool = False) -> QuerySet[Store]:
    stores = Store.objects.all()
    return stores.filter(is_active=True) if active_only else stores


def store_get(*, store_id: int | None) -> Store | None:
    if store_id is None:
        return None
    return Store.objects.filter(pk=store_id).first()


def staff_member_for_user(*, user) -> StaffMember | None:
    if not user.is_authenticated:
        return None
    return StaffMember.objects.filter(user_id=user.pk, is_active=True).first()


def staff_list() -> QuerySet[StaffMember]:
    return StaffMember.objects.select_related("user")


def staff_invitations_pending() -> QuerySet[StaffInvitation]:
    from django.utils import timezone

    return StaffInvitation.objects.filter(
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).select_related("invited_by")


def staff_member_get(*, member_id: int) -> StaffMember | None:
    return StaffMember.objects.select_related("user").filter(pk=member_id).first()


def staff_invitation_asks_current_password(*, invitation: StaffInvitation) -> bool:
    """Whether accepting needs the current password of an account the invited address already
    has here (see services.staff_invitation_accept), rather than a new password."""
    user = user_for_email(email=invitation.email)
    return user is not None and user_owns_email(user=user)
