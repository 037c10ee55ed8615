"""Domain errors: specific, user-readable reasons why a move is not allowed."""

from __future__ import annotations

from mend.errors import Conflict, InvalidInput


class InvalidTransition(Conflict):
    """A status or step change that the rules of a repair do not allow."""

    code = "invalid_transition"


class InvalidRule(InvalidInput):
    """A value the domain cannot accept (e.g. a recurrence it does not understand)."""

    code = "invalid_rule"
