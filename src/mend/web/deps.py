"""Request-scoped access to the application and helpers shared by routes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, TypeVar

from fastapi import Path, Query, Request

from mend.app import App

T = TypeVar("T")

MAX_PAGE = 500
#: Ids are 32-bit integers in every database Mend supports; larger ones cannot exist.
MAX_ID = 2**31 - 1

#: A record id in a URL path: a whole number from 1 to MAX_ID (else 422 naming it).
Id = Annotated[int, Path(ge=1, le=MAX_ID)]


def get_mend(request: Request) -> App:
    app: App = request.app.state.mend
    return app


class Paging:
    def __init__(
        self,
        limit: int = Query(50, ge=1, le=MAX_PAGE, description="Items per page."),
        offset: int = Query(0, ge=0, description="Items to skip."),
    ) -> None:
        self.limit = limit
        self.offset = offset

    def page(self, items: Sequence[T]) -> dict[str, object]:
        return {
            "items": list(items[self.offset : self.offset + self.limit]),
            "total": len(items),
            "limit": self.limit,
            "offset": self.offset,
        }
