"""Keep the database schema at the code's revision.

A local SQLite file upgrades itself when Mend starts; a server database
(PostgreSQL) is upgraded only by the explicit ``mend db upgrade``.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, inspect, text

from mend.errors import Conflict
from mend.store.engine import WRITE_OPTION
from mend.store.revision import HEAD_REVISION as HEAD_REVISION

MIGRATIONS = Path(__file__).parent / "migrations"
#: PostgreSQL advisory lock held while migrating, so concurrent upgrades take turns.
MIGRATION_LOCK_KEY = 0x6D656E64  # "mend"


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run every migration up to ``revision`` in one transaction.

    The transaction takes the write lock before Alembic reads the current revision
    (SQLite ``BEGIN IMMEDIATE``, a PostgreSQL advisory lock): two processes starting on a
    new database at once take turns, and the second finds the schema already current
    instead of failing with "database is locked" or a duplicate table.
    """
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.connect() as conn:
        conn.execution_options(**{WRITE_OPTION: True})
        with conn.begin():
            if conn.dialect.name == "postgresql":
                lock = text("SELECT pg_advisory_xact_lock(:key)")
                conn.execute(lock, {"key": MIGRATION_LOCK_KEY})
            config.attributes["connection"] = conn
            command.upgrade(config, revision)


def known_revisions() -> set[str]:
    """Every revision in this Mend's migration history."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return {script.revision for script in ScriptDirectory.from_config(config).walk_revisions()}


def ensure_current(engine: Engine, *, auto_upgrade: bool) -> None:
    """Upgrade (when allowed) or refuse to run against a database of another revision."""
    revision = current_revision(engine)
    if revision == HEAD_REVISION:
        return
    if revision is not None and revision not in known_revisions():
        raise Conflict(
            f"This database is at schema revision {revision}, which this version of Mend "
            "does not know: a newer Mend made it. Upgrade Mend to use it."
        )
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
