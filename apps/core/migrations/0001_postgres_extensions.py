"""The PostgreSQL contrib extensions Orion uses, created once in the public schema.

Every merchant schema reaches them through the search path django-tenants sets (the merchant's
schema, then public), and schema-qualified in index and text-search definitions, so cloned
schemas keep working. pg_trgm: typo-tolerant search; unaccent: accent-insensitive search;
btree_gist: exclusion constraints on date ranges (VAT rate periods). On a managed server where
the migration user may not create extensions, an administrator runs these three statements once.
"""

from django.contrib.postgres.operations import (
    BtreeGistExtension,
    TrigramExtension,
    UnaccentExtension,
)
from django.db import migrations


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [TrigramExtension(), UnaccentExtension(), BtreeGistExtension()]
