"""Operations the apps' migrations share."""

from __future__ import annotations

from typing import Any

from django.db import migrations


class PostgresOnly(migrations.RunSQL):
    """SQL run on PostgreSQL only (the search tables, triggers and indexes SQLite has no use for:
    the demo default runs every migration with nothing done here)."""

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def postgres_batched_update(sql: str, *, table: str, batch: int = 5000) -> migrations.RunPython:
    """Run `sql`, an UPDATE whose two parameters bound the ids of `table` it writes (`id > %s AND
    id <= %s`), over every id, `batch` ids per statement; PostgreSQL only. In a non-atomic
    migration each statement commits on its own: short transactions for large tables."""

    def forwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table}")  # noqa: S608 - a migration's table
            last = cursor.fetchone()[0]
            for start in range(0, last, batch):
                cursor.execute(sql, [start, start + batch])

    return migrations.RunPython(forwards, migrations.RunPython.noop)
