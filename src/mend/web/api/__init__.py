"""The JSON API under /api/v1: every route parses, calls one service, and returns a schema."""

from __future__ import annotations

from fastapi import APIRouter

from mend.web.api import overview, people, records, repairs

router = APIRouter(prefix="/api/v1")
for module in (people, repairs, records, overview):
    router.include_router(module.router)
