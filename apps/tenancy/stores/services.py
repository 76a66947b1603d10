"""Use cases for a merchant's stores and staff. They run inside the merchant's schema."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.selectors import user_for_email, user_owns_email
from apps.accounts.services import email_validate, user_claim_by_email_proof, user_create
from apps.core.db import violated_constraint
from apps.tenancy.domains import domain_add, host_label_validate, storefront_host_for
from apps.tenancy.errors import TenancyError, TenancyErrorCode
from apps.tenancy.models import Merchant
from apps.tenancy.stores.models import StaffInvitation, StaffMember, Store
from apps.tenancy.stores.roles import Role, role_can_grant

INVITATION_VALIDITY = timedelta(days=7)
STORE_DETAIL_FIELDS = (
    "name",
    "legal_name",
    "street",
    "postal_code",
    "city",
    "country",
    "email",
    "phone",
    "website",
    "registration_number",
    "default_language",
)

User = get_user_model()


@transaction.atomic
def store_create(
    *,
    merchant: Merchant,
    name: str,
    slug: str,
    country: str = "LU",
    default_language: str = "fr",
    legal_name: str = "",
) -> Store:
    """Open a store and give it its storefront host ``<store>.<merchant>.<base domain>``."""
    slug = host_label_validate(label=slug)
    try:
        # No look-up first: of two parallel requests for one slug, the database refuses the
        # second row (after the first commits), and that refusal is the answer.
        with transaction.atomic():
            store = Store.objects.create(
                name=name,
                slug=slug,
                country=country,
                default_language=default_language,
                legal_name=legal_name,
            )
    except IntegrityError as exc:
        if violated_constraint(exc) != "stores_store_slug_key":
            raise
        raise TenancyError(
            TenancyErrorCode.STORE_SLUG_TAKEN,
            _("A store with the slug “%(slug)s” already exists.") % {"slug": slug},
            field="slug",
        ) from exc
    domain_add(
        merchant=merchant,
        host=storefront_host_for(merchant_slug=merchant.slug, store_slug=slug),
        store_id=store.pk,
    )
    return store


@transaction.atomic
def store_update_details(*, store: Store, data: Mapping[str, Any]) -> Store:
    """Change a store's business details (name, address, contacts, language)."""
    changed = [field for field in STORE_DETAIL_FIELDS if field in data]
    for field in changed:
        setattr(store, field, data[field])
    store.full_clean()
    store.save(update_fields=changed)
    return store


def staff_member_add(*, user: User, role: str) -> StaffMember:
    try:
        with transaction.atomic():
            return StaffMember.objects.create(user=user, role=role)
    except IntegrityError as exc:  # one membership per user, even for parallel requests
        if violated_constraint(exc) != "stores_staffmember_user_id_key":
            raise
        raise TenancyError(
            TenancyErrorCode.ALREADY_STAFF,
            _("%(email)s is already a member of the staff.") % {"email": user.email},
            field="email",
        ) from exc


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _check_can_grant(*, actor: StaffMember, role: str) -> None:
    if not actor.is_active or not role_can_grant(actor.role, role):
        raise TenancyError(
            TenancyErrorCode.ROLE_NOT_ALLOWED,
            _("You cannot grant or change a role above your own."),
            field="role",
        )


@transaction.atomic
def staff_invite(
    *, email: str, role: str, invited_by: StaffMember, accept_url_base: str
) -> StaffInvitation:
    """Invite someone to the staff. The email (sent after commit) carries a one-time link."""
    from apps.tenancy.stores.tasks import staff_invitation_send

    email = email_validate(email=email)
    _check_can_grant(actor=invited_by, role=role)
    if StaffMember.objects.filter(user__email__iexact=email).exists():
        raise TenancyError(
            TenancyErrorCode.ALREADY_STAFF,
            _("%(email)s is already a member of the staff.") % {"email": email},
            field="email",
        )
    # A new invitation replaces any pending one for the same address.
    StaffInvitation.objects.filter(
        email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    token = secrets.token_urlsafe(32)
    invitation = StaffInvitation.objects.create(
        email=email,
        role=role,
        token_hash=_token_hash(token),
        invited_by=invited_by.user,
        expires_at=timezone.now() + INVITATION_VALIDITY,
    )
    accept_url = f"{accept_url_base.rstrip('/')}/invitations/{token}/"
    transaction.on_commit(
        lambda: staff_invitation_send.delay(invitation_id=invitation.pk, accept_url=accept_url)
    )
    return invitation


def staff_invitation_get_pending(*, token: str) -> StaffInvitation:
    invitation = StaffInvitation.objects.filter(token_hash=_token_hash(token)).first()
    if invitation is None or not invitation.is_pending:
        raise TenancyError(
            TenancyErrorCode.INVITATION_INVALID,
            _("This invitation link is invalid, was already used or has expired."),
        )
    return invitation


def staff_invitation_claim_sending(*, invitation_id: int) -> StaffInvitation | None:
    """Claim the one sending of a pending invitation's email; None when it was already sent
    (or claimed by a parallel run), accepted, revoked or expired.

    One UPDATE ... WHERE sent_at IS NULL, committed on its own before the mail goes out: of
    two runs at once, the database lets exactly one change the row.
    """
    now = timezone.now()
    with transaction.atomic():
        claimed = StaffInvitation.objects.filter(
            pk=invitation_id,
            sent_at__isnull=True,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=now,
        ).update(sent_at=now)
    if not claimed:
        return None
    return StaffInvitation.objects.select_related("invited_by").get(pk=invitation_id)


def staff_invitation_sending_failed(*, invitation: StaffInvitation) -> None:
    """The mail server refused the message: give the claim back so that a retry sends it."""
    StaffInvitation.objects.filter(pk=invitation.pk, sent_at=invitation.sent_at).update(
        sent_at=None
    )


@transaction.atomic
def staff_invitation_accept(*, token: str, password: str, full_name: str = "") -> StaffMember:
    """Turn an invitation into a staff membership, creating the login if needed.

    An account with the invited address may already exist in this merchant (a shopper, say);
    the membership then joins that account, which never blocks the invitee:
    - if the account proved its address itself (verified, with a password), its holder proves
      it is theirs with the current password (forgotten: the password reset on this host);
    - otherwise (signed up with that address but never confirmed it, perhaps by someone else),
      the invitation link, mailed to the address, is the proof: the invitee's password
      replaces the old one and the address becomes verified.
    """
    invitation = staff_invitation_get_pending(token=token)
    invitation = StaffInvitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_pending:  # accepted in a parallel request
        raise TenancyError(
            TenancyErrorCode.INVITATION_INVALID,
            _("This invitation link is invalid, was already used or has expired."),
        )
    user = user_for_email(email=invitation.email)
    if user is None:
        user = user_create(
            email=invitation.email, password=password, full_name=full_name, email_verified=True
        )
    elif not user_owns_email(user=user):
        user = user_claim_by_email_proof(user=user, password=password, full_name=full_name)
    elif not user.check_password(password):
        raise TenancyError(
            TenancyErrorCode.PASSWORD_WRONG,
            _("An account with this email address exists: enter its current password."),
            field="password",
        )
    member = staff_member_add(user=user, role=invitation.role)
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return member


def _lock_members(*members: StaffMember) -> dict[int, StaffMember]:
    """Lock these members and every active owner, in primary-key order, and return them as
    they are now (by primary key).

    The order matters: two owners demoting each other at once lock the same rows in the same
    order, so one waits for the other instead of deadlocking; the second then sees the first's
    change and is refused (it is no longer an owner, or it would leave no owner).
    """
    ids = [member.pk for member in members]
    locked = (
        StaffMember.objects.select_for_update()
        .filter(Q(pk__in=ids) | Q(role=Role.OWNER, is_active=True))
        .order_by("pk")
    )
    return {member.pk: member for member in locked}


def _keeps_an_owner(locked: dict[int, StaffMember], *, without: StaffMember) -> bool:
    return any(m.role == Role.OWNER and m.is_active and m.pk != without.pk for m in locked.values())


def _last_owner_error(*, field: str | None = None) -> TenancyError:
    return TenancyError(
        TenancyErrorCode.LAST_OWNER,
        _("The merchant must keep at least one active owner."),
        field=field,
    )


@transaction.atomic
def staff_role_change(*, member: StaffMember, role: str, actor: StaffMember) -> StaffMember:
    locked = _lock_members(member, actor)
    current, actor_now = locked[member.pk], locked[actor.pk]
    # Checked on the locked rows: either role may have changed since the page was shown.
    _check_can_grant(actor=actor_now, role=role)
    _check_can_grant(actor=actor_now, role=current.role)
    demoted = current.role == Role.OWNER and role != Role.OWNER
    if demoted and not _keeps_an_owner(locked, without=current):
        raise _last_owner_error(field="role")
    current.role = member.role = role
    current.save(update_fields=["role"])
    return member


@transaction.atomic
def staff_deactivate(*, member: StaffMember, actor: StaffMember) -> StaffMember:
    locked = _lock_members(member, actor)
    current, actor_now = locked[member.pk], locked[actor.pk]
    _check_can_grant(actor=actor_now, role=current.role)
    if current.role == Role.OWNER and not _keeps_an_owner(locked, without=current):
        raise _last_owner_error()
    current.is_active = member.is_active = False
    current.save(update_fields=["is_active"])
    return member
