"""/api/v1/jobs/{id}: a background job's state and report — the URL a 202 answer gives.
Readable by whoever holds the unguessable id; nothing beyond the state and the report."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from portal.api.openapi import answers
from portal.errors import PortalError
from portal.jobs import JobRecord
from portal.present import PortalDep

router = APIRouter(prefix="/api/v1", tags=["jobs"])


class JobNotFound(PortalError):
    code = "job-not-found"
    status = 404
    template_en = "there is no job {id}"
    template_ja = "ジョブ {id} はありません"


def job_url(request: Request, job_id: str) -> str:
    return str(request.url_for("job_state", job_id=job_id))


def job_answer(request: Request, job: JobRecord) -> dict[str, Any]:
    """How an answer that started a job names it."""
    return {"id": job.id, "url": job_url(request, job.id), "state": job.state}


@router.get(
    "/jobs/{job_id}",
    summary="A background job's state, attempts and result or error",
    operation_id="job_state",
    responses=answers(404),
)
def job_state(job_id: str, svc: PortalDep) -> dict[str, Any]:
    job = svc.jobs.get(job_id)
    if job is None:
        raise JobNotFound(id=job_id)
    return {"ok": True, "job": job.to_dict()}
