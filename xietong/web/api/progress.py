"""/api/v1/progress and /api/v1/milestones: list figures and milestone reports, and import a
file of either, all or nothing."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Query, UploadFile
from pydantic import BaseModel

from xietong.accounts.roles import Principal
from xietong.errors import ImportRejected, RowProblem
from xietong.plan.milestones import MilestoneReport
from xietong.plan.progress import ProgressRecord
from xietong.web.api.cached import cached
from xietong.web.auth import PrincipalDep
from xietong.web.deps import PlatformDep

router = APIRouter(tags=["progress"])

MAX_UPLOAD = 10 * 1024 * 1024


class ImportResult(BaseModel):
    """Counts of an accepted import (``skipped``: rows the platform computes itself)."""

    file: str
    inserted: int
    updated: int
    skipped: int = 0


class MilestoneImportResult(BaseModel):
    """Counts of an accepted milestone import."""

    file: str
    inserted: int


PAGE_SIZE, MAX_PAGE = 1000, 5000
"""Records per page of ``/api/v1/progress`` by default, and at most."""


@router.get("/progress", response_model=list[ProgressRecord])
@cached
def list_progress(
    platform: PlatformDep,
    target_id: Annotated[str | None, Query(max_length=64)] = None,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = PAGE_SIZE,
) -> list[ProgressRecord]:
    """Stored progress figures (optionally of one target), in the store's order, a page at a
    time: ``limit`` records (1000 by default, at most 5000) from ``offset``; a page shorter
    than ``limit`` is the last."""
    return platform.records(target_id)[offset : offset + limit]


def import_upload(
    platform: PlatformDep, upload: UploadFile, actor: Principal, *, milestones: bool = False
) -> dict[str, int]:
    """Save an upload to a temporary file and import it as a progress table (or, with
    ``milestones``, a milestone table); ImportRejected on any bad row."""
    name = Path(upload.filename or "upload").name
    data = upload.file.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise ImportRejected(name, [RowProblem(0, "*", "file larger than 10 MB")])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / ("upload" + Path(name).suffix.lower())
        path.write_bytes(data)
        if milestones:
            return platform.import_milestones(path, actor=actor, name=name)
        return platform.import_file(path, actor=actor, name=name)


@router.post(
    "/progress",
    response_model=ImportResult,
    responses={422: {"description": "import rejected; `problems` lists every bad row"}},
)
def post_progress(
    platform: PlatformDep,
    file: Annotated[UploadFile, File()],
    principal: PrincipalDep,
) -> ImportResult:
    """Import an .xlsx or .csv progress table as the authenticated account (its role, body or
    district decide which rows it may write); any bad or refused row rejects the whole
    file."""
    counts = import_upload(platform, file, principal)
    return ImportResult(file=file.filename or "", **counts)


@router.get("/milestones", response_model=list[MilestoneReport])
@cached
def list_milestones(platform: PlatformDep) -> list[MilestoneReport]:
    """Stored milestone reports (states 未启动/推进中/已完成 with their evidence), oldest first."""
    return platform.milestone_reports()


@router.post(
    "/milestones",
    response_model=MilestoneImportResult,
    responses={422: {"description": "import rejected; `problems` lists every bad row"}},
)
def post_milestones(
    platform: PlatformDep,
    file: Annotated[UploadFile, File()],
    principal: PrincipalDep,
) -> MilestoneImportResult:
    """Import an .xlsx or .csv milestone table (milestone_id, date, state, district,
    reported_by, evidence); any bad row rejects the whole file."""
    counts = import_upload(platform, file, principal, milestones=True)
    return MilestoneImportResult(file=file.filename or "", **counts)
