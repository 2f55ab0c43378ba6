"""Server-rendered pages."""

from fastapi import APIRouter

from xietong.web.pages import (
    assessment,
    feedback,
    inventory,
    plan,
    reports,
    scenarios,
    synergy,
    tasks,
)

router = APIRouter(include_in_schema=False)
router.include_router(plan.router)
router.include_router(tasks.router)
router.include_router(inventory.router)
router.include_router(synergy.router)
router.include_router(scenarios.router)
router.include_router(assessment.router)
router.include_router(reports.router)
router.include_router(feedback.router)

__all__ = ["router"]
