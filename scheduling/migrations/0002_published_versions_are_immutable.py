"""Published (and superseded, discarded) versions are immutable at the database too.

The services refuse edits to anything but a draft under a row lock; these triggers make the
rule hold for every other write path as well (a bulk update, the admin, a script): inserting
or updating a cell or a roster row of a version that is not a draft aborts with an integrity
error. Deleting stays possible, so that deleting a whole program or schedule cascades.
"""

from django.db import migrations

GUARDED = ("scheduling_assignment", "scheduling_versionresident")
FUNCTION = "scheduling_refuse_write_to_frozen_version"

POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
BEGIN
    IF (SELECT status FROM scheduling_scheduleversion WHERE id = NEW.version_id) <> 'draft'
       OR (TG_OP = 'UPDATE' AND (
           SELECT status FROM scheduling_scheduleversion WHERE id = OLD.version_id) <> 'draft')
    THEN
        RAISE EXCEPTION 'schedule version % is not a draft: its cells are immutable',
            NEW.version_id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""


def _create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        # No parameters: the function body has a literal "%" (RAISE ... %).
        schema_editor.execute(POSTGRES_FUNCTION.format(function=FUNCTION), params=None)
        for table in GUARDED:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_frozen BEFORE INSERT OR UPDATE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION}();"
            )
    elif vendor == "sqlite":
        for table in GUARDED:
            for event, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("UPDATE", "OLD")):
                name = f"{table}_frozen_{event.lower()}_{row.lower()}"
                schema_editor.execute(
                    f"CREATE TRIGGER {name} BEFORE {event} ON {table} "
                    f"WHEN (SELECT status FROM scheduling_scheduleversion "
                    f"WHERE id = {row}.version_id) <> 'draft' "
                    "BEGIN SELECT RAISE(ABORT, "
                    "'schedule version is not a draft: its cells are immutable'); END;"
                )


def _drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for table in GUARDED:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_frozen ON {table};")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}();")
    elif vendor == "sqlite":
        for table in GUARDED:
            for event, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("UPDATE", "OLD")):
                schema_editor.execute(
                    f"DROP TRIGGER IF EXISTS {table}_frozen_{event.lower()}_{row.lower()};"
                )


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0001_initial")]

    operations = [migrations.RunPython(_create, _drop)]
