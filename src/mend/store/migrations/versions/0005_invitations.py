"""invitations: the other person joins one repair through a link

An invitation keeps the hash of its link's token, the title as the other person reads
it, their name, and when it expires, was revoked or first opened. A link session (its
own table, never a web session: it must not pass for the owner's login) reaches that
one repair. What the other person writes is kept as their words: their view, their
verdicts on commitment occurrences, and pulse answers.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
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
        "invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("repair_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("shared_title", sa.String(length=200), nullable=False),
        sa.Column("their_name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        _fk("repair_id", "invitations", "repairs"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitations")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_invitations_token_hash")),
    )
    op.create_index("ix_invitations_repair", "invitations", ["repair_id"], unique=False)
    op.create_table(
        "link_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invitation_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        _fk("invitation_id", "link_sessions", "invitations"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_link_sessions")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_link_sessions_token_hash")),
    )
    op.create_index(
        op.f("ix_link_sessions_invitation_id"), "link_sessions", ["invitation_id"], unique=False
    )
    op.create_table(
        "their_views",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("repair_id", sa.Integer(), nullable=False),
        sa.Column("invitation_id", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("repair_id", "their_views", "repairs"),
        _fk("invitation_id", "their_views", "invitations"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_their_views")),
    )
    op.create_index("ix_their_views_repair", "their_views", ["repair_id"], unique=False)
    op.create_table(
        "their_verdicts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("occurrence_id", sa.Integer(), nullable=False),
        sa.Column("invitation_id", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("verdict", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("occurrence_id", "their_verdicts", "occurrences"),
        _fk("invitation_id", "their_verdicts", "invitations"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_their_verdicts")),
    )
    op.create_index(
        op.f("ix_their_verdicts_occurrence_id"), "their_verdicts", ["occurrence_id"], unique=False
    )
    op.create_table(
        "their_pulses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("repair_id", sa.Integer(), nullable=False),
        sa.Column("invitation_id", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("repair_id", "their_pulses", "repairs"),
        _fk("invitation_id", "their_pulses", "invitations"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_their_pulses")),
    )
    op.create_index("ix_their_pulses_repair", "their_pulses", ["repair_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_their_pulses_repair", table_name="their_pulses")
    op.drop_table("their_pulses")
    op.drop_index(op.f("ix_their_verdicts_occurrence_id"), table_name="their_verdicts")
    op.drop_table("their_verdicts")
    op.drop_index("ix_their_views_repair", table_name="their_views")
    op.drop_table("their_views")
    op.drop_index(op.f("ix_link_sessions_invitation_id"), table_name="link_sessions")
    op.drop_table("link_sessions")
    op.drop_index("ix_invitations_repair", table_name="invitations")
    op.drop_table("invitations")
