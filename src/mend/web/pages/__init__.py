"""The HTML pages: thin routes that call services and render Jinja2 templates."""

from __future__ import annotations

from fastapi import APIRouter

from mend.web.pages import (
    account,
    agreement,
    calendar,
    data,
    drafts,
    ground,
    home,
    people,
    repairs,
    shared,
    sharing,
    tracking,
    trust,
)

router = APIRouter(include_in_schema=False)
router.include_router(home.router)
router.include_router(account.router)
router.include_router(tracking.router)
router.include_router(trust.router)
router.include_router(ground.router)
router.include_router(agreement.router)
router.include_router(sharing.router)
router.include_router(shared.router)
router.include_router(calendar.router)
router.include_router(data.router)
router.include_router(people.router)
router.include_router(repairs.router)
router.include_router(drafts.router)
