"""Accent-insensitive full-text search configurations, in the public schema.

Each is a copy of PostgreSQL's configuration for that language with ``unaccent`` in front of the
stemmer, so "creme" finds "Crème" and "strasse" finds "Straße" (unaccent's rules write ß as ss)
with stemming kept. ``orion_simple`` does the same without stemming, for names in other
languages, brands, SKUs and GTINs. The catalogue's generated search columns name these
configurations, and merchant schemas reach them through ``public`` on their search path.
"""

from django.db import migrations

LANGUAGES = {"orion_french": "french", "orion_german": "german", "orion_english": "english",
             "orion_simple": "simple"}  # fmt: skip
WORD_TOKENS = "hword, hword_part, word"  # tokens that may carry accents (asciiword cannot)


def _create() -> list[str]:
    statements = []
    for name, base in LANGUAGES.items():
        dictionary = "simple" if base == "simple" else f"{base}_stem"
        statements += [
            f"CREATE TEXT SEARCH CONFIGURATION public.{name} (COPY = pg_catalog.{base})",
            f"ALTER TEXT SEARCH CONFIGURATION public.{name} ALTER MAPPING FOR {WORD_TOKENS} "
            f"WITH public.unaccent, pg_catalog.{dictionary}",
        ]
    return statements


class Migration(migrations.Migration):
    dependencies = [("core", "0001_postgres_extensions")]

    operations = [
        migrations.RunSQL(
            sql=_create(),
            reverse_sql=[f"DROP TEXT SEARCH CONFIGURATION public.{name}" for name in LANGUAGES],
        )
    ]
