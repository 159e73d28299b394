"""History rows are append-only at the database too: any UPDATE aborts, on every backend.

Deleting stays possible so that deleting a whole program cascades; the model refuses
`Event.delete()` itself.
"""

from django.db import migrations

POSTGRES_CREATE = """
CREATE OR REPLACE FUNCTION history_refuse_update() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'history events are append-only' USING ERRCODE = 'check_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER history_event_append_only BEFORE UPDATE ON history_event
    FOR EACH ROW EXECUTE FUNCTION history_refuse_update();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS history_event_append_only ON history_event;
DROP FUNCTION IF EXISTS history_refuse_update();
"""
SQLITE_CREATE = """
CREATE TRIGGER history_event_append_only BEFORE UPDATE ON history_event
BEGIN SELECT RAISE(ABORT, 'history events are append-only'); END;
"""
SQLITE_DROP = "DROP TRIGGER IF EXISTS history_event_append_only;"


def _create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_CREATE, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE, params=None)


def _drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("history", "0001_initial")]

    operations = [migrations.RunPython(_create, _drop)]
