"""Alembic environment: runs on the connection Mend hands it (see ``mend.store.schema``)."""

from __future__ import annotations

from alembic import context

from mend.store.tables import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    # SQLite cannot ALTER most things in place; batch mode copies the table instead.
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
