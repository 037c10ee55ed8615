"""One exception tree for Mend; every surface translates these in exactly one place.

Each error has a stable ``code`` (used in the JSON API and tests), a human
``message`` that says what is wrong and how to fix it, and optionally the
``field`` the problem is about.
"""

from __future__ import annotations


class MendError(Exception):
    """Base of every error Mend reports to a user."""

    code = "error"
    http_status = 400
    exit_code = 1

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def to_dict(self) -> dict[str, object]:
        return {"error": {"code": self.code, "message": self.message, "field": self.field}}


class NotFound(MendError):
    """The id or name does not match anything stored."""

    code = "not_found"
    http_status = 404
    exit_code = 3


class InvalidInput(MendError):
    """A value is missing, malformed, out of range or too long."""

    code = "invalid_input"
    http_status = 422
    exit_code = 2


class Ambiguous(InvalidInput):
    """A name matches more than one record."""

    code = "ambiguous"


class TooLarge(InvalidInput):
    """Text or a request body is over its documented limit."""

    code = "too_large"
    http_status = 413


class Conflict(MendError):
    """The action is not allowed in the current state (e.g. a closed repair)."""

    code = "conflict"
    http_status = 409
    exit_code = 4


class PatienceWarning(Conflict):
    """An outreach would break a patience rule; repeat with force to go ahead."""

    code = "patience"


class ImportFailed(InvalidInput):
    """An import file is corrupt, of an unknown shape or from a newer Mend."""

    code = "import_failed"


class Unsupported(InvalidInput):
    """The request is understood but Mend cannot do it (e.g. an unsupported language)."""

    code = "unsupported"


class Unauthorized(MendError):
    """Not logged in, or the password is wrong."""

    code = "unauthorized"
    http_status = 401
    exit_code = 2


class TooManyAttempts(MendError):
    """Too many failed logins; try again after ``retry_after`` seconds."""

    code = "too_many_attempts"
    http_status = 429
    exit_code = 75

    def __init__(self, message: str, *, retry_after: int, field: str | None = None) -> None:
        super().__init__(message, field=field)
        self.retry_after = retry_after


class Busy(MendError):
    """Another Mend process holds the database's write lock for longer than Mend waits."""

    code = "busy"
    http_status = 503
    exit_code = 75  # EX_TEMPFAIL: try again later


class DatabaseUnavailable(MendError):
    """The database cannot be opened: not a Mend database, or the server is not there."""

    code = "database_unavailable"
    http_status = 503
    exit_code = 69  # EX_UNAVAILABLE
