"""The background worker's jobs (/api/v1/jobs): what is being computed, how far it is."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel

from xietong.errors import NotFound
from xietong.web.deps import PlatformDep

router = APIRouter(prefix="/jobs", tags=["jobs"])


class JobState(BaseModel):
    """One computation of the background worker."""

    id: int
    label: str
    state: str
    progress: float
    phase: str
    error: str
    seconds: float


class CacheUsage(BaseModel):
    """The results the platform keeps in memory, against its budget (bytes)."""

    entries: int
    bytes: int
    budget: int


class JobsPage(BaseModel):
    """The kept jobs (newest first) and the memory their results hold."""

    jobs: list[JobState]
    cache: CacheUsage


@router.get("", response_model=JobsPage)
def list_jobs(platform: PlatformDep) -> JobsPage:
    """Every kept job, newest first, and the cache's use of memory."""
    return JobsPage(
        jobs=[JobState(**j.as_dict()) for j in platform.worker.jobs()],
        cache=CacheUsage(**platform.cache_usage()),
    )


@router.get("/{job_id}", response_model=JobState)
def get_job(job_id: Annotated[int, Path(ge=1, le=2**31)], platform: PlatformDep) -> JobState:
    """One job's state, progress (0–1) and phase."""
    job = platform.worker.job(job_id)
    if job is None:
        raise NotFound(f"no job {job_id}")
    return JobState(**job.as_dict())
