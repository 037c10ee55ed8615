"""The closed vocabularies of the domain."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """Who the other person is, relative to the user."""

    COLLEAGUE = "colleague"
    MANAGER = "manager"
    DIRECT_REPORT = "direct_report"
    CLIENT = "client"
    BUSINESS_PARTNER = "business_partner"
    VENDOR = "vendor"
    OTHER = "other"


class RepairStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    MONITORING = "monitoring"
    RESTORED = "restored"
    CLOSED_UNRESOLVED = "closed_unresolved"


#: The statuses of a repair still being worked on (not restored or closed).
ACTIVE_STATUSES = frozenset({RepairStatus.OPEN, RepairStatus.IN_PROGRESS, RepairStatus.MONITORING})


class Step(StrEnum):
    """The ten steps of a repair, in their usual order."""

    ACKNOWLEDGE = "acknowledge"
    OPEN_CONVERSATION = "open_conversation"
    LISTEN = "listen"
    EMPATHIZE = "empathize"
    APOLOGIZE = "apologize"
    OFFER_SOLUTIONS = "offer_solutions"
    BE_PATIENT = "be_patient"
    REBUILD_TRUST = "rebuild_trust"
    FIND_COMMON_GROUND = "find_common_ground"
    SET_EXPECTATIONS = "set_expectations"

    @property
    def number(self) -> int:
        return _STEP_NUMBERS[self]


#: Each step's place, 1 to 10 (iterating the enum on every call cost a board of a
#: thousand repairs several milliseconds).
_STEP_NUMBERS = {step: place for place, step in enumerate(Step, start=1)}


class StepState(StrEnum):
    PENDING = "pending"
    DONE = "done"
    SKIPPED = "skipped"


class InteractionKind(StrEnum):
    MEETING = "meeting"
    EMAIL = "email"
    CALL = "call"
    MESSAGE = "message"


class Party(StrEnum):
    """Who did something: the user, the other person, or both together."""

    ME = "me"
    THEM = "them"
    BOTH = "both"


class Tension(StrEnum):
    CALM = "calm"
    TENSE = "tense"
    HEATED = "heated"


class DraftKind(StrEnum):
    """What a draft is for; the coach uses the matching step name."""

    ACKNOWLEDGMENT = "acknowledgment"
    OUTREACH = "outreach"
    LISTENING = "listening"
    EMPATHY = "empathy"
    APOLOGY = "apology"
    SOLUTION = "solution"
    AGREEMENT = "agreement"


class OccurrenceStatus(StrEnum):
    PENDING = "pending"
    KEPT = "kept"
    LATE = "late"
    MISSED = "missed"


class GroundKind(StrEnum):
    GOAL = "goal"
    INTEREST = "interest"
