"""Request-scoped access to the application and helpers shared by routes."""

from __future__ import annotations

import gc
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, TypeVar

from fastapi import Path, Query, Request

from mend.app import App
from mend.domain.model import ACTIVE_STATUSES
from mend.domain.validation import MAX_ID
from mend.services import overview
from mend.services.overview import Agenda, StatusRow, Suggestion
from mend.store.engine import change_stamp_reader
from mend.web.schemas import StatusRowPublic

T = TypeVar("T")

#: Where the JSON API lives.
PREFIX = "/api/v1"

MAX_PAGE = 500

#: A record id in a URL path: a whole number from 1 to MAX_ID (else 422 naming it).
Id = Annotated[int, Path(ge=1, le=MAX_ID)]


# Dependencies are ``async def``: FastAPI runs a plain ``def`` dependency in its thread
# pool, one hop per dependency per request, for work that takes microseconds.


async def get_mend(request: Request) -> App:
    app: App = request.app.state.mend
    return app


class Paging:
    def __init__(self, limit: int = 50, offset: int = 0) -> None:
        self.limit = limit
        self.offset = offset

    def page(self, items: Sequence[T]) -> dict[str, object]:
        """This page of ``items`` (all of them in hand)."""
        return self.result(items[self.offset : self.offset + self.limit], len(items))

    def result(self, items: Sequence[T], total: int) -> dict[str, object]:
        """A page already cut to size (by the database), with the number of all items."""
        return {"items": list(items), "total": total, "limit": self.limit, "offset": self.offset}


async def page_params(
    limit: int = Query(50, ge=1, le=MAX_PAGE, description="Items per page."),
    offset: int = Query(0, ge=0, le=MAX_ID, description="Items to skip."),
) -> Paging:
    """``limit`` and ``offset`` from the query string (a dependency)."""
    return Paging(limit, offset)


# --- the board, computed once per change of data ------------------------------------------

#: The agenda on the board looks this many days ahead.
AGENDA_DAYS = 7
#: Weeks of trust history in each home card's small trend line.
SPARKLINE_WEEKS = 12


@dataclass
class Board:
    """Every repair's status row, the agenda and the suggestion, as of ``now``."""

    now: datetime
    rows: list[StatusRow]
    agenda: Agenda
    suggestion: Suggestion | None
    _public: list[StatusRowPublic] | None = None
    #: What pages make from this board (rendered HTML), kept as long as the board is.
    memo: dict[object, str] = field(default_factory=dict)

    @property
    def public(self) -> list[StatusRowPublic]:
        """The rows as the API shows them (converted once per board)."""
        if self._public is None:
            from mend.web.api.convert import status_row

            self._public = [status_row(r) for r in self.rows]
        return self._public


class BoardCache:
    """Keeps the board until the data changes or the clock moves to another minute.

    The status board reads every repair; with a thousand of them it takes most of a
    second, while a page or a page of the API needs a slice of it. Whether anything was
    committed since (by this server, the command line or anything else) is asked of the
    database itself (``change_stamp_reader``), which answers in microseconds; when it
    cannot tell, nothing is cached. Concurrent requests that miss wait for the one
    computing it instead of each computing it.
    """

    def __init__(self, app: App) -> None:
        self._app = app
        self._lock = threading.Lock()
        self._boards: dict[bool, tuple[object, Board]] = {}
        self._stamp = change_stamp_reader(app.engine)

    def board(self, *, include_closed: bool = False) -> Board:
        app = self._app
        now = app.now()
        key = (self._stamp(), now.replace(second=0, microsecond=0))
        cached = self._boards.get(include_closed)
        if key[0] is not None and cached is not None and cached[0] == key:
            return cached[1]
        with self._lock:
            cached = self._boards.get(include_closed)
            if key[0] is not None and cached is not None and cached[0] == key:
                return cached[1]
            rows = overview.status_board(
                app.uow(write=False),
                now=now,
                tz=app.tz,
                include_closed=include_closed,
                history_weeks=SPARKLINE_WEEKS,
            )
            board = Board(
                now=now,
                rows=rows,
                agenda=overview.agenda(app.uow(write=False), now=now, tz=app.tz, days=AGENDA_DAYS),
                suggestion=overview.best_next(
                    [r for r in rows if r.status in ACTIVE_STATUSES], now
                ),
            )
            if key[0] is not None:
                self._boards[include_closed] = (key, board)
                if len(rows) >= FREEZE_ROWS:
                    _settle_heap()
            return board


#: Boards this long are moved out of the garbage collector's way (see _settle_heap).
FREEZE_ROWS = 200


def _settle_heap() -> None:
    """Collect garbage once, then exempt every live object from later full collections.

    A big board is tens of thousands of long-lived objects; every full collection
    would walk them all (70-80 ms with a thousand repairs, stalling every request in
    flight). Frozen objects are still freed when nothing refers to them any more, as
    an old board is once a new one replaces it.
    """
    gc.collect()
    gc.freeze()


_caches_lock = threading.Lock()


async def boards(request: Request) -> BoardCache:
    """The board cache, as a dependency."""
    return board_cache(request)


def board_cache(request: Request) -> BoardCache:
    """The web app's board cache (made on first use)."""
    state = request.app.state
    cache: BoardCache | None = getattr(state, "board_cache", None)
    if cache is None:
        with _caches_lock:
            cache = getattr(state, "board_cache", None)
            if cache is None:
                cache = state.board_cache = BoardCache(request.app.state.mend)
    return cache
