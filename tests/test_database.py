"""The building blocks of `make run` / `make test`: where the database comes from."""

import psycopg

from orion.database import TENANT_ENGINE, database_settings, embedded_database_settings


def test_database_url_wins_when_set(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgres://shop:secret@db.internal:6543/orion_prod")
    config = database_settings(base_dir=tmp_path)
    assert config["ENGINE"] == TENANT_ENGINE
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db.internal", 6543, "orion_prod")
    assert (config["USER"], config["PASSWORD"]) == ("shop", "secret")
    assert not (tmp_path / ".pgdata").exists()  # no embedded server was started


def test_embedded_server_starts_in_the_checkout_and_creates_the_database(tmp_path):
    config = embedded_database_settings(data_dir=tmp_path / ".pgdata", name="orion_probe")
    assert (tmp_path / ".pgdata" / "PG_VERSION").exists()
    with psycopg.connect(
        dbname="orion_probe", user=config["USER"], host=config["HOST"], autocommit=True
    ) as conn:
        assert conn.execute("SELECT current_database()").fetchone() == ("orion_probe",)
    # a second call (a second process, a second `make run`) joins the same server
    again = embedded_database_settings(data_dir=tmp_path / ".pgdata", name="orion_probe")
    assert again["HOST"] == config["HOST"]
