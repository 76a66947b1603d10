import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django_tenants.utils import schema_exists, tenant_context

from apps.accounts.models import User
from apps.tenancy.errors import TenancyError, TenancyErrorCode
from apps.tenancy.models import Domain, Merchant
from apps.tenancy.services import merchant_provision
from apps.tenancy.stores.models import StaffMember, Store
from apps.tenancy.stores.roles import Role
from apps.tenancy.template import template_pending_migrations
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _counts():
    return Merchant.objects.count(), Domain.objects.count()


def test_provisioning_creates_a_working_merchant():
    merchant = merchant_provision(
        slug="acme",
        name="Acme SARL",
        owner_email="O@Acme.lu",
        owner_password=PASSWORD,
        owner_name="Anne Acme",
    )

    assert merchant.schema_name == "acme"
    assert schema_exists("acme")
    hosts = set(Domain.objects.filter(tenant=merchant).values_list("domain", "store_id"))
    with tenant_context(merchant):
        store = Store.objects.get()
        owner = User.objects.get()
        assert store.slug == "shop" and store.name == "Acme SARL" and store.currency == "EUR"
        assert owner.email == "o@acme.lu" and owner.check_password(PASSWORD)
        assert owner.full_name == "Anne Acme"
        assert StaffMember.objects.get(user=owner).role == Role.OWNER
        assert owner.emailaddress_set.get().verified
    assert hosts == {("acme.orion.test", None), ("shop.acme.orion.test", store.pk)}


def test_provisioned_schema_is_a_full_copy_of_the_template():
    merchant = merchant_provision(slug="gamma", name="Gamma", owner_email="o@gamma.lu")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_schema, count(*) FROM information_schema.tables "
            "WHERE table_schema IN (%s, 'tenant_template') GROUP BY table_schema",
            [merchant.schema_name],
        )
        tables = dict(cursor.fetchall())
    assert tables["gamma"] == tables["tenant_template"] > 10
    assert template_pending_migrations() == []


def test_same_slug_twice_fails_clearly_and_changes_nothing(alpha):
    before = _counts()
    with pytest.raises(TenancyError) as excinfo:
        merchant_provision(slug="alpha", name="Other", owner_email="x@other.lu")
    assert excinfo.value.code == TenancyErrorCode.SLUG_TAKEN
    assert "already exists" in excinfo.value.message
    assert _counts() == before


@pytest.mark.parametrize(
    ("slug", "code"),
    [
        ("A", TenancyErrorCode.SLUG_INVALID),
        ("9lives", TenancyErrorCode.SLUG_INVALID),
        ("bad_slug", TenancyErrorCode.SLUG_INVALID),
        ("double--hyphen", TenancyErrorCode.SLUG_INVALID),
        ("x" * 41, TenancyErrorCode.SLUG_INVALID),
        ("www", TenancyErrorCode.SLUG_RESERVED),
        ("public", TenancyErrorCode.SLUG_RESERVED),
        ("pg-admin", TenancyErrorCode.SLUG_RESERVED),
    ],
)
def test_bad_slugs_are_refused_before_anything_is_written(slug, code):
    before = _counts()
    with pytest.raises(TenancyError) as excinfo:
        merchant_provision(slug=slug, name="X", owner_email="x@x.lu")
    assert excinfo.value.code == code
    assert _counts() == before


def test_weak_owner_password_is_refused_with_the_validator_message():
    with pytest.raises(Exception) as excinfo:
        merchant_provision(slug="weak", name="Weak", owner_email="o@weak.lu", owner_password="123")
    assert "too short" in str(excinfo.value)
    assert not Merchant.objects.filter(slug="weak").exists()


def test_failure_half_way_leaves_no_schema_no_row_no_domain(alpha):
    # The store host of "delta" is already taken: the failure comes after the schema was
    # cloned and the merchant row and dashboard domain were written.
    Domain.objects.create(domain="shop.delta.orion.test", tenant=alpha.merchant, store_id=999)
    before = _counts()

    with pytest.raises(TenancyError) as excinfo:
        merchant_provision(slug="delta", name="Delta", owner_email="o@delta.lu")

    assert excinfo.value.code == TenancyErrorCode.DOMAIN_TAKEN
    assert not schema_exists("delta")
    assert _counts() == before
    assert not Domain.objects.filter(domain="delta.orion.test").exists()


def test_create_merchant_command_then_same_slug_again(capsys):
    call_command(
        "create_merchant",
        "--slug=acme",
        "--name=Acme SARL",
        "--owner-email=o@acme.lu",
        f"--password={PASSWORD}",
    )
    assert "acme.orion.test" in capsys.readouterr().out
    before = _counts()

    with pytest.raises(CommandError, match="already exists"):
        call_command(
            "create_merchant",
            "--slug=acme",
            "--name=Acme bis",
            "--owner-email=other@acme.lu",
        )
    assert _counts() == before
    assert Merchant.objects.get(slug="acme").name == "Acme SARL"
