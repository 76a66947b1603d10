"""Stores, staff and invitations under parallel requests and retried tasks, on real parallel
connections (tests/parallel.py): one success and one clear answer, never a server error."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from django_tenants.utils import schema_exists

from apps.tenancy.errors import TenancyErrorCode
from apps.tenancy.models import Domain
from apps.tenancy.stores.models import StaffInvitation, StaffMember, Store
from apps.tenancy.stores.roles import Role
from apps.tenancy.stores.services import (
    staff_deactivate,
    staff_invitation_sending_failed,
    staff_member_add,
    staff_role_change,
    store_create,
)
from apps.tenancy.stores.tasks import staff_invitation_send
from apps.tenancy.template import template_pending_migrations, template_schema_ensure
from tests.factories import StaffMemberFactory, UserFactory
from tests.parallel import committed, in_parallel, unexpected

pytestmark = pytest.mark.django_db


def test_two_stores_with_one_slug_at_once_make_one_store(race_merchant):
    outcomes = in_parallel(
        lambda: store_create(merchant=race_merchant, name="Outlet A", slug="outlet"),
        lambda: store_create(merchant=race_merchant, name="Outlet B", slug="outlet"),
        merchant=race_merchant,
        # Both find the slug free, then wait on the unique index: the insert decides.
        behind=lambda: Store.objects.create(name="Held", slug="outlet"),
    )
    assert not unexpected(outcomes), outcomes
    assert sorted(o.ok for o in outcomes) == [False, True]
    (refused,) = [o for o in outcomes if not o.ok]
    assert refused.code == TenancyErrorCode.STORE_SLUG_TAKEN and refused.error.field == "slug"
    counts = committed(
        lambda: (
            Store.objects.filter(slug="outlet").count(),
            Domain.objects.filter(domain__startswith="outlet.").count(),
        ),
        merchant=race_merchant,
    )
    assert counts == (1, 1)


def test_one_user_added_twice_at_once_is_one_staff_member(race_merchant):
    user = committed(UserFactory, merchant=race_merchant)
    outcomes = in_parallel(
        lambda: staff_member_add(user=user, role=Role.STAFF),
        lambda: staff_member_add(user=user, role=Role.MANAGER),
        merchant=race_merchant,
        behind=lambda: StaffMember.objects.create(user=user, role=Role.VIEWER),
    )
    assert not unexpected(outcomes), outcomes
    assert sorted(o.ok for o in outcomes) == [False, True]
    assert [o.code for o in outcomes if not o.ok] == [TenancyErrorCode.ALREADY_STAFF]
    assert committed(lambda: StaffMember.objects.filter(user=user).count(), merchant=race_merchant)


def _owners(merchant):
    return committed(
        lambda: sorted(
            StaffMember.objects.filter(role=Role.OWNER, is_active=True).values_list(
                "user__email", flat=True
            )
        ),
        merchant=merchant,
    )


@pytest.mark.parametrize("change", ["demote", "deactivate"])
def test_two_owners_removing_each_other_at_once_leave_one_owner(race_merchant, change):
    """Without both rows locked in one order, each locks the other's row first: a deadlock (a
    server error for one of them), or, without the check on the locked rows, no owner left."""

    def make_owners():
        StaffMember.objects.all().delete()
        return [StaffMemberFactory(role=Role.OWNER, user__email=f"{n}@race.lu") for n in ("a", "b")]

    a, b = committed(make_owners, merchant=race_merchant)

    def remove(member, actor):
        def go():
            # Each request reads its own copies, as two requests would.
            mine, me = (StaffMember.objects.get(pk=m.pk) for m in (member, actor))
            if change == "demote":
                return staff_role_change(member=mine, role=Role.ADMIN, actor=me)
            return staff_deactivate(member=mine, actor=me)

        return go

    # A third connection holds both rows until both requests wait for them: they then go on
    # at the same instant (each would first lock one row, then the other's).
    outcomes = in_parallel(
        remove(b, a),
        remove(a, b),
        merchant=race_merchant,
        behind=lambda: list(StaffMember.objects.select_for_update().filter(pk__in=[a.pk, b.pk])),
    )
    assert not unexpected(outcomes), outcomes
    assert sorted(o.ok for o in outcomes) == [False, True]
    (refused,) = [o for o in outcomes if not o.ok]
    # The loser is no longer an owner (so may not touch one) or would leave none.
    assert refused.code in (TenancyErrorCode.ROLE_NOT_ALLOWED, TenancyErrorCode.LAST_OWNER)
    assert len(_owners(race_merchant)) == 1


def test_an_owner_cannot_demote_the_last_other_owner_after_being_demoted(race_merchant):
    """The roles are read again under the lock: a page shown before a change cannot act on it."""

    def setup():
        StaffMember.objects.all().delete()
        a = StaffMemberFactory(role=Role.OWNER, user__email="a@race.lu")
        b = StaffMemberFactory(role=Role.OWNER, user__email="b@race.lu")
        staff_role_change(member=b, role=Role.ADMIN, actor=a)
        return a, StaffMember.objects.get(pk=b.pk)

    a, b = committed(setup, merchant=race_merchant)
    b.role = Role.OWNER  # what b's page still believes
    outcome = in_parallel(
        lambda: staff_role_change(member=a, role=Role.VIEWER, actor=b), merchant=race_merchant
    )[0]
    assert outcome.code == TenancyErrorCode.ROLE_NOT_ALLOWED
    assert _owners(race_merchant) == ["a@race.lu"]


def _invitation():
    return StaffInvitation.objects.create(
        email="new@race.lu",
        role=Role.STAFF,
        token_hash=f"hash-{timezone.now().timestamp()}",
        expires_at=timezone.now() + timedelta(days=7),
    )


def test_an_invitation_sent_by_two_task_runs_at_once_is_emailed_once(race_merchant):
    invitation = committed(_invitation, merchant=race_merchant)
    mail.outbox.clear()
    send = lambda: staff_invitation_send.run(  # noqa: E731
        invitation_id=invitation.pk, accept_url="http://x/invitations/t/"
    )
    outcomes = in_parallel(send, send, send, merchant=race_merchant)
    assert not unexpected(outcomes), outcomes
    assert sorted(o.result for o in outcomes) == [False, False, True]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["new@race.lu"]
    # A redelivery later finds it sent.
    assert committed(send, merchant=race_merchant) is False
    assert len(mail.outbox) == 1


def test_a_refused_sending_is_given_back_for_the_retry(race_merchant):
    invitation = committed(_invitation, merchant=race_merchant)

    def claimed_then_failed():
        from apps.tenancy.stores.services import staff_invitation_claim_sending

        staff_invitation_sending_failed(
            invitation=staff_invitation_claim_sending(invitation_id=invitation.pk)
        )

    committed(claimed_then_failed, merchant=race_merchant)
    mail.outbox.clear()
    sent = committed(
        lambda: staff_invitation_send.run(invitation_id=invitation.pk, accept_url="http://x/"),
        merchant=race_merchant,
    )
    assert sent is True and len(mail.outbox) == 1


def test_two_processes_ensuring_a_lagging_template_migrate_it_once():
    """Without the advisory lock both would create the same tables at once and one would fail
    (or both would record the migrations)."""
    name = "tenant_template_race"

    def drop():
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")

    with override_settings(ORION_TEMPLATE_SCHEMA=name):
        committed(drop)
        try:
            outcomes = in_parallel(template_schema_ensure, template_schema_ensure)
            assert all(o.ok for o in outcomes), outcomes
            assert sorted(o.result for o in outcomes) == [False, True]
            assert committed(template_pending_migrations) == []
            assert committed(lambda: schema_exists(name))
        finally:
            committed(drop)
