"""Request-scoped access to the application and helpers shared by routes."""

from __future__ import annotations

import gc
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, TypeVar

from fastapi import Path, Query, Request

from mend.app import App
from mend.domain.enums import ACTIVE_STATUSES
from mend.domain.validation import MAX_ID
from mend.services import overview
from mend.services.overview import Agenda, StatusRow, Suggestion
from mend.store.engine import change_stamp_reader
from mend.web.auth import acting_app
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
    """The application acting for the logged-in account (see mend.web.auth.acting_app)."""
    return acting_app(request)


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
    """Keeps each owner's board until the data changes or the clock moves to another minute.

    The status board reads every repair; with a thousand of them it takes most of a
    second, while a page or a page of the API needs a slice of it. Whether anything was
    committed since (by this server, the command line or anything else) is asked of the
    database itself (``change_stamp_reader``), which answers in microseconds; when it
    cannot tell, nothing is cached. Concurrent requests that miss wait for the one
    computing it instead of each computing it.

    Boards are kept per owner (an account of a team server, or the local owner), each
    made by a unit of work acting for that owner, so no one is ever shown another's;
    the ``MAX_BOARDS`` used last are kept.
    """

    def __init__(self, app: App) -> None:
        self._lock = threading.Lock()
        self._locks: dict[tuple[int | None, bool], threading.Lock] = {}
        self._boards: OrderedDict[tuple[int | None, bool], tuple[object, Board]] = OrderedDict()
        self._stamp = change_stamp_reader(app.engine)

    def _cached(self, slot: tuple[int | None, bool], key: tuple[object, datetime]) -> Board | None:
        with self._lock:
            cached = self._boards.get(slot)
            if key[0] is None or cached is None or cached[0] != key:
                return None
            self._boards.move_to_end(slot)
            return cached[1]

    def board(self, app: App, *, include_closed: bool = False) -> Board:
        """The board of ``app``'s owner (the application acting for them)."""
        now = app.now()
        slot = (app.account, include_closed)
        key = (self._stamp(), now.replace(second=0, microsecond=0))
        board = self._cached(slot, key)
        if board is not None:
            return board
        with self._lock:
            slot_lock = self._locks.setdefault(slot, threading.Lock())
        with slot_lock:
            board = self._cached(slot, key)
            if board is not None:
                return board
            rows, agenda = overview.board_and_agenda(
                app.uow(write=False),
                now=now,
                tz=app.tz,
                include_closed=include_closed,
                history_weeks=SPARKLINE_WEEKS,
                days=AGENDA_DAYS,
            )
            board = Board(
                now=now,
                rows=rows,
                agenda=agenda,
                suggestion=overview.best_next(
                    [r for r in rows if r.status in ACTIVE_STATUSES], now
                ),
            )
            if key[0] is not None:
                with self._lock:
                    self._boards[slot] = (key, board)
                    self._boards.move_to_end(slot)
                    while len(self._boards) > MAX_BOARDS:
                        gone, _ = self._boards.popitem(last=False)
                        self._locks.pop(gone, None)
                if len(rows) >= FREEZE_ROWS:
                    _settle_heap()
            return board


@dataclass(frozen=True)
class Boards:
    """The board cache as one request sees it: the boards of the account acting."""

    cache: BoardCache
    app: App

    def board(self, *, include_closed: bool = False) -> Board:
        return self.cache.board(self.app, include_closed=include_closed)


#: Owners whose boards are kept at once (each about a megabyte at a thousand repairs).
MAX_BOARDS = 32
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


async def boards(request: Request) -> Boards:
    """The board cache of the account acting, as a dependency."""
    return board_cache(request)


def board_cache(request: Request) -> Boards:
    """The web app's board cache (made on first use), for the account acting."""
    state = request.app.state
    cache: BoardCache | None = getattr(state, "board_cache", None)
    if cache is None:
        with _caches_lock:
            cache = getattr(state, "board_cache", None)
            if cache is None:
                cache = state.board_cache = BoardCache(state.mend)
    return Boards(cache, acting_app(request))
