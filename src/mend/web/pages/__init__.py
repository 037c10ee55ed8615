"""The HTML pages: thin routes that call services and render Jinja2 templates."""

from __future__ import annotations

from fastapi import APIRouter

from mend.web.pages import home

router = APIRouter(include_in_schema=False)
router.include_router(home.router)
