"""/api/v1/datasets/{name}/versions: a dataset's versions (public: the organization, never
the person), the CSV of any version, and rollback to one (an approver of the dataset's
organization; audited)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import FileResponse
from pydantic import BaseModel, ConfigDict

from portal.accounts.http import ActorDep
from portal.api.openapi import answers, media
from portal.catalogue.versions import public_view, rollback_by, version_file, versions
from portal.present import PortalDep

router = APIRouter(prefix="/api/v1", tags=["versions"])


class RollbackBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: int


@router.get(
    "/datasets/{name}/versions",
    summary="The dataset's versions, newest first",
    operation_id="dataset_versions",
    responses=answers(404),
)
def list_versions(name: str, svc: PortalDep) -> list[dict[str, Any]]:
    svc.package(name)  # 404 for a dataset the public cannot see
    return [public_view(v) for v in versions(svc.store, name)]


@router.get(
    "/datasets/{name}/versions/{number}/download.csv",
    summary="The CSV of one version, as it was published",
    operation_id="dataset_version_download",
    response_class=FileResponse,
    responses={200: {"content": media("text/csv")}, **answers(400, 404)},
)
def download(name: str, number: int, svc: PortalDep) -> FileResponse:
    svc.package(name)
    path = version_file(svc.store, svc.versions_dir, name, number)
    return FileResponse(path, media_type="text/csv; charset=utf-8",
                        filename=f"{name}-v{number}.csv")  # fmt: skip


@router.post(
    "/datasets/{name}/rollback",
    summary="Publish an earlier version again (an approver of the dataset's organization)",
    operation_id="dataset_rollback",
    responses=answers(400, 401, 403, 404),
)
def rollback_to(name: str, body: RollbackBody, svc: PortalDep, actor: ActorDep) -> dict[str, Any]:
    published = rollback_by(actor, name, body.version, svc.publisher())
    return {"ok": True, "action": published.action, "version": published.version,
            "rollback_of": body.version}  # fmt: skip
