"""Keep the database schema at the code's revision.

A local SQLite file upgrades itself when Mend starts; a server database
(PostgreSQL) is upgraded only by the explicit ``mend db upgrade``.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, inspect, text

from mend.errors import Conflict

#: The newest migration; bump it with every new file in migrations/versions.
HEAD_REVISION = "0001"
MIGRATIONS = Path(__file__).parent / "migrations"


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run every migration up to ``revision`` in one transaction."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)


def ensure_current(engine: Engine, *, auto_upgrade: bool) -> None:
    """Upgrade (when allowed) or refuse to run against a database of another revision."""
    revision = current_revision(engine)
    if revision == HEAD_REVISION:
        return
    if auto_upgrade:
        upgrade(engine)
        return
    if revision is None:
        raise Conflict(
            "This database has no Mend tables yet; run `mend db upgrade` to create them."
        )
    raise Conflict(
        f"This database is at schema revision {revision}, Mend needs {HEAD_REVISION}; "
        "run `mend db upgrade` (back it up first)."
    )
