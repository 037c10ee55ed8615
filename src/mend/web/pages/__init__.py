"""The HTML pages: thin routes that call services and render Jinja2 templates."""

from __future__ import annotations

from fastapi import APIRouter

from mend.web.pages import home
from mend.web.pages import drafts, people, repairs

router = APIRouter(include_in_schema=False)
router.include_router(home.router)
router.include_router(people.router)
router.include_router(repairs.router)
router.include_router(drafts.router)
