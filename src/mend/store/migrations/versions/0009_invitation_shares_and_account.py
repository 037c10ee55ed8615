"""what an invitation shares, and the account an invited person joined with

The owner chooses per invitation which parts to share (every existing invitation shared
all of them, and keeps doing so). On a team server the other person may keep an
invitation in their own account: it then reaches the shared page from that account
until the owner withdraws it.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_FK = "fk_invitations_joined_account_id_accounts"
_IX = "ix_invitations_joined_account_id"


_ALL = "messages,commitments,check_ins,common_ground,agreement"


def upgrade() -> None:
    op.add_column(
        "invitations",
        sa.Column("shares", sa.String(100), nullable=False, server_default=_ALL),
    )
    if op.get_bind().dialect.name == "sqlite":
        # SQLite adds a column with its reference in one statement, without a rebuild.
        # (Accounts are disabled, never deleted, so the reference needs no ON DELETE.)
        op.execute(
            "ALTER TABLE invitations ADD COLUMN joined_account_id INTEGER "
            f"CONSTRAINT {_FK} REFERENCES accounts (id)"
        )
    else:
        op.add_column("invitations", sa.Column("joined_account_id", sa.Integer(), nullable=True))
        op.create_foreign_key(_FK, "invitations", "accounts", ["joined_account_id"], ["id"])
    op.create_index(_IX, "invitations", ["joined_account_id"], unique=False)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # As in 0004: dropping a column with a reference rebuilds the table, and the
        # rebuild would delete every row that refers to an invitation.
        raise NotImplementedError(
            "Revision 0009 cannot be undone on SQLite without losing data; restore the "
            "copy of the database taken before upgrading instead."
        )
    op.drop_index(_IX, table_name="invitations")
    op.drop_constraint(_FK, "invitations", type_="foreignkey")
    op.drop_column("invitations", "joined_account_id")
    op.drop_column("invitations", "shares")
