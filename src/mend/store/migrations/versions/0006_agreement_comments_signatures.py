"""agreement comments and signatures

Either side comments on one version of the agreement (the owner with no invitation, the
other person with theirs), and signs it. A version signed by both is locked.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _fk(column: str, table: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=op.f(f"fk_{table}_{column}_{target}"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "agreement_comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("invitation_id", sa.Integer(), nullable=True),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("agreement_id", "agreement_comments", "agreements"),
        _fk("invitation_id", "agreement_comments", "invitations"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement_comments")),
    )
    op.create_index(
        op.f("ix_agreement_comments_agreement_id"),
        "agreement_comments",
        ["agreement_id"],
        unique=False,
    )
    op.create_table(
        "agreement_signatures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("invitation_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
        _fk("agreement_id", "agreement_signatures", "agreements"),
        _fk("invitation_id", "agreement_signatures", "invitations"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement_signatures")),
    )
    op.create_index(
        op.f("ix_agreement_signatures_agreement_id"),
        "agreement_signatures",
        ["agreement_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_agreement_signatures_agreement_id"), table_name="agreement_signatures")
    op.drop_table("agreement_signatures")
    op.drop_index(op.f("ix_agreement_comments_agreement_id"), table_name="agreement_comments")
    op.drop_table("agreement_comments")
