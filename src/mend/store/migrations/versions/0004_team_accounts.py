"""accounts for a team server: people and repairs belong to one

A team server (`mend serve --team`) has accounts; each person and repair belongs to
one, and NULL stays the single local owner of local mode, so every existing row keeps
its meaning. Web sessions remember the account logged in, and password resets keep the
hash of their one-time token.

New columns are added in place (SQLite's ADD COLUMN with REFERENCES, no table rebuilt):
rebuilding ``people`` with foreign keys on would delete every repair along with it.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

#: Tables whose rows get the account they belong to (accounts are disabled, never deleted).
OWNED = ("people", "repairs", "web_sessions")


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("is_admin", sa.Boolean(), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("password_changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("calendar_secret", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accounts")),
        sa.UniqueConstraint("email", name=op.f("uq_accounts_email")),
    )
    op.create_table(
        "password_resets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_password_resets_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_password_resets")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_password_resets_token_hash")),
    )
    op.create_index(
        op.f("ix_password_resets_account_id"), "password_resets", ["account_id"], unique=False
    )
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in OWNED:
        name = f"fk_{table}_account_id_accounts"
        if sqlite:
            op.execute(
                f"ALTER TABLE {table} ADD COLUMN account_id INTEGER "
                f"CONSTRAINT {name} REFERENCES accounts (id)"
            )
        else:
            op.add_column(table, sa.Column("account_id", sa.Integer(), nullable=True))
            op.create_foreign_key(op.f(name), table, "accounts", ["account_id"], ["id"])
        op.create_index(op.f(f"ix_{table}_account_id"), table, ["account_id"], unique=False)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # SQLite can drop these columns only by rebuilding the tables, and a rebuild with
        # foreign keys on (they cannot be turned off inside the migration's transaction)
        # deletes every row that refers to them: all the data.
        raise NotImplementedError(
            "Revision 0004 cannot be undone on SQLite without losing data; restore the "
            "copy of the database taken before upgrading instead."
        )
    for table in reversed(OWNED):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_account_id"))
            batch_op.drop_column("account_id")
    op.drop_index(op.f("ix_password_resets_account_id"), table_name="password_resets")
    op.drop_table("password_resets")
    op.drop_table("accounts")
