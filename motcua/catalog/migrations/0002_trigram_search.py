"""PostgreSQL only: pg_trgm and a trigram index on the catalogue's words, for typo correction.

SQLite has no trigram index; search there corrects words by edit distance alone (catalog.search).
"""

from django.db import migrations


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS searchword_word_trgm ON catalog_searchword "
        "USING gin (word gin_trgm_ops)"
    )


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS searchword_word_trgm")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
