"""The JSON API under /api/v1: every route parses, calls one service, and returns a schema."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from fastapi import APIRouter

from mend.web.api import (
    account,
    invitations,
    overview,
    people,
    records,
    repairs,
    session,
    signing,
)

_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
WARM_UP_AFTER_S = 1.0


def _warm_coach() -> None:
    """Load the coach (its models take a few hundred ms) once the server is up.

    The server answers without it; the first draft a user types is then coached as
    fast as every later one.
    """

    def load() -> None:
        from mend.services.coaching import coach_report

        coach_report("I'm sorry I was late; I will send it by Friday.", None, now=_EPOCH)

    # After a pause, so that loading it does not hold up the server's first answers.
    timer = threading.Timer(WARM_UP_AFTER_S, load)
    timer.name = "mend-coach-warm-up"
    timer.daemon = True
    timer.start()


router = APIRouter(on_startup=[_warm_coach])
# The modules' routes carry the full path already; taking them as they are (rather than
# include_router, which builds every route again) saves part of the start-up time.
for module in (people, repairs, records, invitations, signing, overview, session, account):
    router.routes.extend(module.router.routes)
