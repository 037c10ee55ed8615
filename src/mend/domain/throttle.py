"""Back-off for failed logins: how long a client (or everyone) waits after failing.

Pure rules; the services keep the counts. A few mistakes cost nothing; after that each
further failure doubles the wait, up to a cap, so guessing a password online takes
years while a person who mistyped waits seconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class BackoffRule:
    """``free`` failures cost nothing; the n-th beyond them blocks for 2**(n-1) s, capped."""

    free: int
    cap: timedelta
    #: Failures older than this are forgotten (the count starts again).
    forget_after: timedelta

    def block_after(self, failures: int) -> timedelta:
        """How long to refuse attempts after the ``failures``-th failure in a row."""
        beyond = failures - self.free
        if beyond <= 0:
            return timedelta(0)
        return min(timedelta(seconds=2 ** min(beyond - 1, 30)), self.cap)

    def counts_again(self, last_failure_at: datetime, now: datetime) -> bool:
        """Whether a failure at ``last_failure_at`` is old enough to be forgotten."""
        return now - last_failure_at >= self.forget_after


#: One client (one address): five tries, then 1 s, 2 s, 4 s ... up to 15 minutes.
PER_CLIENT = BackoffRule(free=5, cap=timedelta(minutes=15), forget_after=timedelta(hours=1))
#: One account of a team server, whoever tries it: ten tries, then 1 s, 2 s ... up to 15
#: minutes. Guessing from many addresses at one account gains nothing.
PER_ACCOUNT = BackoffRule(free=10, cap=timedelta(minutes=15), forget_after=timedelta(hours=1))
#: Everyone together: many addresses guessing at once slow every login, up to a minute.
GLOBAL = BackoffRule(free=50, cap=timedelta(minutes=1), forget_after=timedelta(minutes=15))


def retry_after_seconds(blocked_until: datetime, now: datetime) -> int:
    """Whole seconds until ``blocked_until`` (at least 1), for a Retry-After header."""
    return max(1, int((blocked_until - now).total_seconds() + 0.999))
