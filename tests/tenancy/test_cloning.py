import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django_tenants.utils import schema_context

from apps.tenancy.cloning import SchemaCloneError, schema_clone, schema_fingerprint
from apps.tenancy.models import Merchant
from apps.tenancy.template import template_schema_name

pytestmark = pytest.mark.django_db


def test_clone_has_every_table_index_constraint_and_row_of_the_template(alpha):
    schema_clone(source=template_schema_name(), target="clone_probe")
    # The cloner set search_path by hand; the ORM must be back in the public schema.
    assert Merchant.objects.filter(slug="alpha").exists()
    template = schema_fingerprint(schema=template_schema_name())
    clone = schema_fingerprint(schema="clone_probe")
    assert clone == template
    assert len(template["relations"]) > 40
    assert any(
        definition.startswith("FOREIGN KEY") for _t, _n, definition in template["constraints"]
    )
    with schema_context("clone_probe"):
        assert ContentType.objects.filter(app_label="stores", model="store").exists()
        highest = ContentType.objects.order_by("-pk").first().pk
        created = ContentType.objects.create(app_label="probe", model="thing")
    assert created.pk == highest + 1  # identity sequences continue after the copied rows


def test_foreign_keys_of_the_clone_point_inside_the_clone():
    schema_clone(source=template_schema_name(), target="clone_probe")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT r.relnamespace::regnamespace::text FROM pg_constraint k "
            "JOIN pg_class r ON r.oid = k.confrelid "
            "WHERE k.contype = 'f' AND k.connamespace = 'clone_probe'::regnamespace"
        )
        assert cursor.fetchall() == [("clone_probe",)]


def test_a_template_with_objects_the_cloner_does_not_copy_is_refused():
    with connection.cursor() as cursor:
        cursor.execute("CREATE SCHEMA odd_template")
        cursor.execute("CREATE TABLE odd_template.t (id int PRIMARY KEY)")
        cursor.execute("CREATE VIEW odd_template.v AS SELECT id FROM odd_template.t")
    with pytest.raises(SchemaCloneError, match="relation v of kind v"):
        schema_clone(source="odd_template", target="odd_copy")
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = 'odd_copy'")
        assert cursor.fetchone() is None
