"""The schema, declared once; Alembic migrations reproduce it step by step."""

from __future__ import annotations

import secrets

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from mend.domain import validation as v
from mend.domain.enums import (
    DraftKind,
    GroundKind,
    InteractionKind,
    OccurrenceStatus,
    Party,
    RepairStatus,
    Role,
    Step,
    StepState,
    Tension,
)
from mend.store.types import EnumText, UTCDateTime

# Each column names the check every way in applies to its values (domain/validation.py);
# an import runs them on every row. Ids, enums and booleans are checked by their type.
SHORT = {"check": v.text(v.MAX_SHORT, single=True)}
SHORT_REQUIRED = {"check": v.text(v.MAX_SHORT, single=True, required=True)}
TEXT = {"check": v.text()}
TEXT_REQUIRED = {"check": v.text(required=True)}
MOMENT = {"check": v.on_field(v.check_moment)}
DAY = {"check": v.on_field(v.check_day)}
COUNT = {"check": v.on_field(v.check_id)}  # version numbers and the like: 1 .. MAX_ID

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def _unmatched_digest() -> str:
    """A digest no token hashes to (a random one): for invitations brought in by import."""
    return secrets.token_hex(32)


#: Columns that are the server's bookkeeping rather than the user's data: left out of
#: exports (an import gives rows the importing account instead; see services/exchange.py).
NOT_EXPORTED = {"exported": False}
#: The column of ``people`` and ``repairs`` naming the account they belong to.
OWNER_COLUMN = "account_id"


def _owner_fk() -> Column[int]:
    """Whose row this is: an account of a team server, or NULL for the one local owner."""
    return Column(
        OWNER_COLUMN,
        Integer,
        ForeignKey("accounts.id"),
        nullable=True,
        index=True,
        info=NOT_EXPORTED,
    )


def _repair_fk() -> Column[int]:
    return Column(
        "repair_id", Integer, ForeignKey("repairs.id", ondelete="CASCADE"), nullable=False
    )


def _invitation_fk(*, nullable: bool = False, index: bool = False) -> Column[int]:
    """The invitation a row came through (None, where nullable: the owner's own row)."""
    return Column(
        "invitation_id",
        Integer,
        ForeignKey("invitations.id", ondelete="CASCADE"),
        nullable=nullable,
        index=index,
    )


# --- accounts of a team server (`mend serve --team`) -------------------------------------

accounts = Table(
    "accounts",
    metadata,
    Column("id", Integer, primary_key=True),
    # Lower-cased when stored, so one address is one account however it is typed.
    Column("email", String(254), nullable=False, unique=True),
    Column("display_name", String(200), nullable=False, default=""),
    Column("password_hash", String(200), nullable=False),
    Column("is_admin", Boolean, nullable=False, default=False),
    Column("disabled", Boolean, nullable=False, default=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("password_changed_at", UTCDateTime, nullable=False),
    # The key of this account's private calendar link (made on first use; see
    # services/calendar_token.py).
    Column("calendar_secret", String(64), nullable=True),
    info=NOT_EXPORTED,
)

people = Table(
    "people",
    metadata,
    Column("id", Integer, primary_key=True),
    _owner_fk(),
    Column("name", String(200), nullable=False, info=SHORT_REQUIRED),
    Column("role", EnumText(Role), nullable=False),
    Column("organisation", String(200), nullable=False, default="", info=SHORT),
    Column("notes", Text, nullable=False, default="", info=TEXT),
    Column("created_at", UTCDateTime, nullable=False, info=MOMENT),
)

repairs = Table(
    "repairs",
    metadata,
    Column("id", Integer, primary_key=True),
    _owner_fk(),
    Column(
        "person_id",
        Integer,
        ForeignKey("people.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("title", String(200), nullable=False, info=SHORT_REQUIRED),
    Column("what_happened", Text, nullable=False, info=TEXT_REQUIRED),
    Column("occurred_on", Date, nullable=True, info=DAY),
    Column("my_part", Text, nullable=False, default="", info=TEXT),
    Column("impact", Text, nullable=False, default="", info=TEXT),
    Column("severity", Integer, nullable=False, info={"check": v.on_value(v.check_severity)}),
    Column("status", EnumText(RepairStatus), nullable=False),
    Column("opened_at", UTCDateTime, nullable=False, info=MOMENT),
)

status_changes = Table(
    "status_changes",
    metadata,
    Column("id", Integer, primary_key=True),
    _repair_fk(),
    Column("from_status", EnumText(RepairStatus), nullable=True),
    Column("to_status", EnumText(RepairStatus), nullable=False),
    Column("at", UTCDateTime, nullable=False, info=MOMENT),
    Column("reason", Text, nullable=False, default="", info=TEXT),
    Index("ix_status_changes_repair", "repair_id"),
)

steps = Table(
    "steps",
    metadata,
    Column("id", Integer, primary_key=True),
    _repair_fk(),
    Column("step", EnumText(Step), nullable=False),
    Column("state", EnumText(StepState), nullable=False),
    Column("completed_at", UTCDateTime, nullable=True, info=MOMENT),
    Column("skip_reason", Text, nullable=False, default="", info=TEXT),
    # Changed in place by the services: tracked as mutable by the mapping (mapping.py).
    Column(
        "answers", JSON(), nullable=False, default=dict, info={"check": v.on_value(v.check_answers)}
    ),
    UniqueConstraint("repair_id", "step", name="uq_steps_repair_step"),
)

interactions = Table(
    "interactions",
    metadata,
    Column("id", Integer, primary_key=True),
    _repair_fk(),
    Column("occurred_at", UTCDateTime, nullable=False, info=MOMENT),
    Column("kind", EnumText(InteractionKind), nullable=False),
    Column("initiated_by", EnumText(Party), nullable=False),
    Column("summary", Text, nullable=False, default="", info=TEXT),
    Column("their_perspective", Text, nullable=False, default="", info=TEXT),
    Column("my_interpretation", Text, nullable=False, default="", info=TEXT),
    Column("tension", EnumText(Tension), nullable=False),
    Column("replied", Boolean, nullable=True),
    Column("replied_at", UTCDateTime, nullable=True, info=MOMENT),
    Column("forced", Boolean, nullable=False, default=False),
    Column("forced_reason", Text, nullable=False, default="", info=TEXT),
    Index("ix_interactions_repair_time", "repair_id", "occurred_at"),
)

drafts = Table(
    "drafts",
    metadata,
    Column("id", Integer, primary_key=True),
    _repair_fk(),
    Column("kind", EnumText(DraftKind), nullable=False),
    Column("title", String(200), nullable=False, default="", info=SHORT),
    Column("created_at", UTCDateTime, nullable=False, info=MOMENT),
    Column("sent_at", UTCDateTime, nullable=True, info=MOMENT),
    Column("sent_version", Integer, nullable=True, info=COUNT),
    Index("ix_drafts_repair", "repair_id"),
)

draft_versions = Table(
    "draft_versions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("draft_id", Integer, ForeignKey("drafts.id", ondelete="CASCADE"), nullable=False),
    Column("number", Integer, nullable=False, info=COUNT),
    Column("text", Text, nullable=False, info={"check": v.text(v.MAX_DRAFT, required=True)}),
    Column("created_at", UTCDateTime, nullable=False, info=MOMENT),
    Column("coach_report", JSON, nullable=True, info={"check": v.on_value(v.check_report)}),
    UniqueConstraint("draft_id", "number", name="uq_draft_versions_draft_number"),
)

commitments = Table(
    "commitments",
    metadata,
    Column("id", Integer, primary_key=True),
    _repair_fk(),
    Column("description", Text, nullable=False, info=TEXT_REQUIRED),
    Column("owner", EnumText(Party), nullable=False),
    Column("created_at", UTCDateTime, nullable=False, info=MOMENT),
    Column("due_at", UTCDateTime, nullable=True, info=MOMENT),
    Column(
        "recurrence", String(200), nullable=True, info={"check": v.on_value(v.check_recurrence)}
    ),
    Column("ends_at", UTCDateTime, nullable=True, info=MOMENT),
    Column("active", Boolean, nullable=False, default=True),
    Column("source_draft_id", Integer, nullable=True, info=COUNT),
    Index("ix_commitments_repair", "repair_id"),
)

occurrences = Table(
    "occurrences",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "commitment_id",
        Integer,
        ForeignKey("commitments.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("due_at", UTCDateTime, nullable=False, info=MOMENT),
    Column("status", EnumText(OccurrenceStatus), nullable=False),
    Column("recorded_at", UTCDateTime, nullable=True, info=MOMENT),
    Column("note", Text, nullable=False, default="", info=TEXT),
    UniqueConstraint("commitment_id", "due_at", name="uq_occurrences_commitment_due"),
    # What is due: the status board and the agenda read pending occurrences by date.
    Index("ix_occurrences_status_due", "status", "due_at"),
)

check_ins = Table(
    "check_ins",
    metadata,
    Column("id", Integer, primary_key=True),
    _repair_fk(),
    Column("scheduled_at", UTCDateTime, nullable=False, info=MOMENT),
    Column("created_at", UTCDateTime, nullable=False, info=MOMENT),
    Column("cadence_days", Integer, nullable=True, info={"check": v.on_value(v.check_cadence)}),
    Column("completed_at", UTCDateTime, nullable=True, info=MOMENT),
    Column("outcome", Text, nullable=False, default="", info=TEXT),
    Column("note", Text, nullable=False, default="", info=TEXT),
    Column("cancelled", Boolean, nullable=False, default=False),
    Index("ix_check_ins_repair", "repair_id"),
)

common_ground = Table(
    "common_ground",
    metadata,
    Column("id", Integer, primary_key=True),
    _repair_fk(),
    Column("kind", EnumText(GroundKind), nullable=False),
    Column("text", Text, nullable=False, info=TEXT_REQUIRED),
    Column("created_at", UTCDateTime, nullable=False, info=MOMENT),
    Index("ix_common_ground_repair", "repair_id"),
)

initiatives = Table(
    "initiatives",
    metadata,
    Column("id", Integer, primary_key=True),
    _repair_fk(),
    Column("title", String(200), nullable=False, info=SHORT_REQUIRED),
    Column("my_contribution", Text, nullable=False, default="", info=TEXT),
    Column("their_contribution", Text, nullable=False, default="", info=TEXT),
    Column(
        "status",
        String(32),
        nullable=False,
        default="proposed",
        info={"check": v.on_value(v.check_initiative_status)},
    ),
    Column("created_at", UTCDateTime, nullable=False, info=MOMENT),
    Index("ix_initiatives_repair", "repair_id"),
)

agreements = Table(
    "agreements",
    metadata,
    Column("id", Integer, primary_key=True),
    _repair_fk(),
    Column("version", Integer, nullable=False, info=COUNT),
    Column("created_at", UTCDateTime, nullable=False, info=MOMENT),
    Column("channel", Text, nullable=False, default="", info=TEXT),
    Column("frequency", Text, nullable=False, default="", info=TEXT),
    Column("response_time", Text, nullable=False, default="", info=TEXT),
    # mutable: see mapping.py
    Column(
        "tasks", JSON(), nullable=False, default=list, info={"check": v.on_value(v.check_tasks)}
    ),
    Column("raising_problems", Text, nullable=False, default="", info=TEXT),
    Column("review_on", Date, nullable=True, info=DAY),
    Column("notes", Text, nullable=False, default="", info=TEXT),
    UniqueConstraint("repair_id", "version", name="uq_agreements_repair_version"),
)

#: Child tables of a repair, in an order safe for inserting (parents first).
REPAIR_CHILD_TABLES = (
    status_changes,
    steps,
    interactions,
    drafts,
    draft_versions,
    commitments,
    occurrences,
    check_ins,
    common_ground,
    initiatives,
    agreements,
)

# --- security state: not user data, so never exported (see services/exchange.py) --------

web_sessions = Table(
    "web_sessions",
    metadata,
    Column("id", Integer, primary_key=True),
    # SHA-256 of the random token in the browser's cookie: a stolen database holds no
    # usable session.
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_seen_at", UTCDateTime, nullable=False),
    # Which password the session was opened with: changing it ends every session.
    Column("password_fp", String(64), nullable=False, default=""),
    # The account logged in (team mode); NULL for the local owner's password.
    Column("account_id", Integer, ForeignKey("accounts.id"), nullable=True, index=True),
    info=NOT_EXPORTED,
)

login_failures = Table(
    "login_failures",
    metadata,
    Column("id", Integer, primary_key=True),
    # "client:<address>" or "global"
    Column("key", String(200), nullable=False, unique=True),
    Column("failures", Integer, nullable=False, default=0),
    Column("last_failure_at", UTCDateTime, nullable=False),
    Column("blocked_until", UTCDateTime, nullable=True),
    info=NOT_EXPORTED,
)

password_resets = Table(
    "password_resets",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "account_id",
        Integer,
        ForeignKey("accounts.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    # SHA-256 of the random token in the link: a copy of the database resets nothing.
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("used_at", UTCDateTime, nullable=True),
    info=NOT_EXPORTED,
)

# --- the other person's side: invitations, their link sessions, their words ---------------
# Exported with the repair (an export then import gives them back), but for link sessions,
# which are security state like web sessions. Every column names its import check.

invitations = Table(
    "invitations",
    metadata,
    Column("id", Integer, primary_key=True),
    _repair_fk(),
    # SHA-256 of the random token in the link. Not exported: a copy of the data must not
    # carry working links, so an imported invitation gets a digest no link matches.
    Column(
        "token_hash",
        String(64),
        nullable=False,
        unique=True,
        default=_unmatched_digest,
        info=NOT_EXPORTED,
    ),
    # The repair's title as the other person reads it (never the owner's own title).
    Column("shared_title", String(200), nullable=False, info=SHORT_REQUIRED),
    Column("their_name", String(200), nullable=False, info=SHORT_REQUIRED),
    Column("email", String(254), nullable=False, default="", info=SHORT),
    Column("created_at", UTCDateTime, nullable=False, info=MOMENT),
    Column("expires_at", UTCDateTime, nullable=False, info=MOMENT),
    Column("revoked_at", UTCDateTime, nullable=True, info=MOMENT),
    Column("accepted_at", UTCDateTime, nullable=True, info=MOMENT),
    # What the owner shares through it besides the title: a comma-joined choice of
    # messages, commitments, check_ins, common_ground, agreement (all, by default).
    Column(
        "shares",
        String(100),
        nullable=False,
        default=v.ALL_SHARED,
        server_default=v.ALL_SHARED,
        info={"check": v.on_value(v.check_shares)},
    ),
    # The account the other person joined with, on a team server: it reaches the shared
    # page from that account until the owner withdraws the invitation. Not exported: an
    # account of this server means nothing in another database.
    Column(
        "joined_account_id",
        Integer,
        ForeignKey("accounts.id"),
        nullable=True,
        index=True,
        info=NOT_EXPORTED,
    ),
    Index("ix_invitations_repair", "repair_id"),
)

link_sessions = Table(
    "link_sessions",
    metadata,
    Column("id", Integer, primary_key=True),
    # A link session reaches the one repair of its invitation, and nothing else.
    _invitation_fk(index=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_seen_at", UTCDateTime, nullable=False),
    info=NOT_EXPORTED,
)

their_views = Table(
    "their_views",
    metadata,
    Column("id", Integer, primary_key=True),
    _repair_fk(),
    _invitation_fk(),
    Column("author", String(200), nullable=False, info=SHORT_REQUIRED),
    Column("text", Text, nullable=False, info=TEXT_REQUIRED),
    Column("created_at", UTCDateTime, nullable=False, info=MOMENT),
    Index("ix_their_views_repair", "repair_id"),
)

their_verdicts = Table(
    "their_verdicts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "occurrence_id",
        Integer,
        ForeignKey("occurrences.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    _invitation_fk(),
    Column("author", String(200), nullable=False, info=SHORT_REQUIRED),
    # kept, late, missed or disputed (domain/validation.py VERDICTS)
    Column("verdict", String(16), nullable=False, info={"check": v.on_value(v.check_verdict)}),
    Column("note", Text, nullable=False, default="", info=TEXT),
    Column("created_at", UTCDateTime, nullable=False, info=MOMENT),
)

their_pulses = Table(
    "their_pulses",
    metadata,
    Column("id", Integer, primary_key=True),
    _repair_fk(),
    _invitation_fk(),
    Column("author", String(200), nullable=False, info=SHORT_REQUIRED),
    Column("score", Integer, nullable=False, info={"check": v.on_value(v.check_pulse)}),
    Column("note", Text, nullable=False, default="", info=TEXT),
    Column("created_at", UTCDateTime, nullable=False, info=MOMENT),
    Index("ix_their_pulses_repair", "repair_id"),
)

# --- comments on the agreement and its signatures ---------------------------------------
# Said on one version of the agreement, by the owner (invitation_id NULL) or the other
# person (their invitation). Both sides see every comment: a comment on the agreement is
# meant for both by definition. A version signed by the owner and by the other person is
# locked; a change is a new version, which needs both signatures again.

agreement_comments = Table(
    "agreement_comments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "agreement_id",
        Integer,
        ForeignKey("agreements.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    # NULL: the owner wrote it; else the invitation of the other person who did.
    _invitation_fk(nullable=True),
    Column("author", String(200), nullable=False, info=SHORT_REQUIRED),
    Column("text", Text, nullable=False, info=TEXT_REQUIRED),
    Column("created_at", UTCDateTime, nullable=False, info=MOMENT),
)

agreement_signatures = Table(
    "agreement_signatures",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "agreement_id",
        Integer,
        ForeignKey("agreements.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    # NULL: the owner signed; else the invitation of the other person who signed.
    _invitation_fk(nullable=True),
    Column("name", String(200), nullable=False, info=SHORT_REQUIRED),
    Column("signed_at", UTCDateTime, nullable=False, info=MOMENT),
)

# --- e-mail waiting to go out (mend.services.mail) --------------------------------------
# Written in the same transaction as what it tells about, so a change rolled back mails
# nothing and a mail server that is down loses nothing. Not user data: never exported
# (an export is the user's records; this is the server's delivery queue). A sent mail
# keeps its address, subject and status; its body, which may hold an invitation link,
# is cleared once delivered.

mail_outbox = Table(
    "mail_outbox",
    metadata,
    Column("id", Integer, primary_key=True),
    _repair_fk(),
    # invitation, sign_request, they_signed, they_commented, disputed, check_in
    Column("kind", String(32), nullable=False),
    Column("to_address", String(254), nullable=False),
    Column("subject", String(200), nullable=False),
    Column("body", Text, nullable=False, default=""),
    # An iCalendar attachment (METHOD:REQUEST), or empty.
    Column("ics", Text, nullable=False, default=""),
    # Set for mail that must go once only (a check-in reminder per date and address).
    Column("dedupe_key", String(400), nullable=True, unique=True),
    # pending, sent or failed
    Column("status", String(16), nullable=False, default="pending"),
    Column("attempts", Integer, nullable=False, default=0),
    Column("created_at", UTCDateTime, nullable=False),
    Column("next_attempt_at", UTCDateTime, nullable=False),
    Column("sent_at", UTCDateTime, nullable=True),
    Column("last_error", String(500), nullable=False, default=""),
    Index("ix_mail_outbox_repair", "repair_id"),
    Index("ix_mail_outbox_status", "status", "next_attempt_at"),
    info=NOT_EXPORTED,
)

# --- derived: the status board, kept per repair (see store/board.py) ---------------------
# Rebuilt from the rows above in the same transaction as every write that touches a
# repair, so `mend status` reads what it shows instead of the whole history. Not user
# data: never exported, rebuilt on import.

repair_status = Table(
    "repair_status",
    metadata,
    Column(
        "repair_id",
        Integer,
        ForeignKey("repairs.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    # The summary's layout (store/board.py FORMAT): rows of another layout are rebuilt.
    Column("format", Integer, nullable=False),
    # What the board needs that does not depend on the clock (JSON, see store/board.py).
    Column("summary", Text, nullable=False),
    # Every trust event with the evidence as of it: read only for instants before the
    # recent ones (the web board's weekly line, a clock set back).
    Column("trust_ledger", Text, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    info=NOT_EXPORTED,
)
