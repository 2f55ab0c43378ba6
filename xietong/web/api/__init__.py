"""The JSON API (/api/v1)."""

from fastapi import APIRouter

from xietong.web.api import inventory, jobs, ledger, plan, progress, reports, scenarios, synergy

router = APIRouter()
router.include_router(plan.router)
router.include_router(progress.router)
router.include_router(ledger.router)
router.include_router(inventory.router)
router.include_router(synergy.router)
router.include_router(scenarios.router)
router.include_router(jobs.router)
router.include_router(reports.router)
