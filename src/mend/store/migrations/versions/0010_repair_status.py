"""repair status: the status board kept per repair

One row per repair with what the board, the agenda and the next action need that does
not depend on the clock; kept up to date in the same transaction as each write (see
store/board.py). Existing repairs get theirs here.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "repair_status",
        sa.Column("repair_id", sa.Integer(), nullable=False),
        sa.Column("format", sa.Integer(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("trust_ledger", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["repair_id"],
            ["repairs.id"],
            name=op.f("fk_repair_status_repair_id_repairs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("repair_id", name=op.f("pk_repair_status")),
    )
    # Backfill with the same code that keeps the rows current afterwards: a row is
    # what that code says, whenever it was written.
    from mend.store.board import rebuild_all

    rebuild_all(op.get_bind())


def downgrade() -> None:
    op.drop_table("repair_status")
