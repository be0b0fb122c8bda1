"""/api/v1/uploads: the upload flow for scripts and RPA (token-authenticated), over the library
portal.submissions.flow — the same steps the browser pages take.

    POST /api/v1/uploads                   multipart `file`, `org`; optional `dataset`, `reuse`
    GET  /api/v1/uploads/{id}              state, proposal, mapping, report summary, metadata, links
    GET  /api/v1/uploads/{id}/recipe       the recipe (YAML)
    PUT  /api/v1/uploads/{id}/recipe       a new recipe (YAML body)
    PATCH /api/v1/uploads/{id}/mapping     one field's mapping
    POST /api/v1/uploads/{id}/dataset      choose the dataset (needs-choice)
    GET  /api/v1/uploads/{id}/preview      the first rows converted and the report's groups
    PUT  /api/v1/uploads/{id}/metadata     title, description, 担当課, contact, …
    POST /api/v1/uploads/{id}/submit       editor
    POST /api/v1/uploads/{id}/publish      approver: {"allow_invalid": bool, "reason": str}
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, File, Form, Query, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from portal.accounts.http import ActorDep
from portal.api.openapi import Error, media
from portal.catalogue.metadata import DatasetMetadata
from portal.pipeline.recipe_yaml import MAX_RECIPE_BYTES
from portal.present import PortalDep, base
from portal.submissions import flow
from portal.submissions.views import MappingEdit, Preview, Upload

router = APIRouter(prefix="/api/v1/uploads", tags=["uploads"])
WHY = {
    400: "A parameter or the body cannot be read; the message says which.",
    401: "No token (or session): `Authorization: Bearer <token>`.",
    403: "The caller's role in the upload's organization does not allow this.",
    404: "No such upload (or dataset).",
    409: "The upload is not in a state that allows this (e.g. already submitted).",
    413: "The file is over PORTAL_MAX_UPLOAD_BYTES.",
    422: "The file, the recipe, the mapping or the metadata cannot be used; the message says why.",
}


def answers(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """Error answers of an upload route; 400 always (a body or parameter that cannot be read)."""
    return {s: {"description": WHY[s], "model": Error} for s in sorted({400, *statuses})}


class PublishRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    allow_invalid: bool = False
    reason: str = Field(default="", max_length=flow.REASON_MAX)


class DatasetChoice(BaseModel):
    model_config = ConfigDict(extra="forbid")

    dataset: str = Field(max_length=200)


def answer(request: Request, upload: Upload) -> dict[str, Any]:
    """The upload as JSON, its public links absolute."""
    out = upload.model_dump(mode="json")
    if out["links"]:
        root = base(request)
        out["links"] = {k: (f"{root}{v}" if k != "name" and v else v)
                        for k, v in out["links"].items()}  # fmt: skip
    return {"ok": True, **out}


@router.post("", summary="Upload a department's file", operation_id="upload_create",
             status_code=201, responses=answers(401, 403, 404, 413, 422))  # fmt: skip
def create(
    request: Request,
    svc: PortalDep,
    actor: ActorDep,
    file: Annotated[UploadFile, File(description="xlsx, xls, ods or CSV (any encoding)")],
    org: Annotated[str, Form(max_length=100, description="the uploading organization")],
    dataset: Annotated[str | None, Form(max_length=200)] = None,
    reuse: Annotated[bool, Form(description="start from the last published recipe")] = False,
) -> dict[str, Any]:
    upload = flow.create_upload(svc, actor, org=org, file_name=file.filename or "",
                                content=file.file, dataset=dataset or None, reuse=reuse)  # fmt: skip
    return answer(request, upload)


@router.get("", summary="Uploads the caller may see", operation_id="upload_list",
            responses=answers(401))  # fmt: skip
def listing(request: Request, svc: PortalDep, actor: ActorDep,
            org: Annotated[str | None, Query(max_length=100)] = None) -> dict[str, Any]:  # fmt: skip
    found = flow.list_uploads(svc, actor, org=org)
    return {"ok": True, "results": [answer(request, u) for u in found]}


@router.get("/{upload_id}", summary="One upload", operation_id="upload_show",
            responses=answers(401, 403, 404))  # fmt: skip
def show(request: Request, upload_id: str, svc: PortalDep, actor: ActorDep) -> dict[str, Any]:
    return answer(request, flow.get_upload(svc, actor, upload_id))


@router.get("/{upload_id}/recipe", summary="The upload's recipe (YAML)",
            operation_id="upload_recipe", response_class=Response,
            responses={200: {"content": media("application/yaml")},
                       **answers(401, 403, 404, 409)})  # fmt: skip
def recipe(upload_id: str, svc: PortalDep, actor: ActorDep) -> Response:
    text = flow.recipe_text(svc, actor, upload_id)
    return Response(text, media_type="application/yaml; charset=utf-8",
                             headers={"Content-Disposition": 'attachment; filename="recipe.yaml"'})  # fmt: skip


@router.put("/{upload_id}/recipe", summary="Replace the recipe (YAML body)",
            operation_id="upload_recipe_replace", responses=answers(401, 403, 404, 409, 422))  # fmt: skip
async def replace(request: Request, upload_id: str, svc: PortalDep,
                  actor: ActorDep) -> dict[str, Any]:  # fmt: skip
    raw = await request.body()
    if len(raw) > MAX_RECIPE_BYTES:
        raw = raw[: MAX_RECIPE_BYTES + 1]  # the recipe reader refuses it with its message
    text = raw.decode("utf-8", errors="replace")
    return answer(request, flow.replace_recipe(svc, actor, upload_id, text))


@router.patch("/{upload_id}/mapping", summary="Change one field's mapping",
              operation_id="upload_mapping_edit", responses=answers(401, 403, 404, 409, 422))  # fmt: skip
def edit(request: Request, upload_id: str, change: MappingEdit, svc: PortalDep,
         actor: ActorDep) -> dict[str, Any]:  # fmt: skip
    return answer(request, flow.edit_mapping(svc, actor, upload_id, change))


@router.post("/{upload_id}/dataset", summary="Choose the standard dataset",
             operation_id="upload_choose", responses=answers(401, 403, 404, 409))  # fmt: skip
def choose(request: Request, upload_id: str, choice: DatasetChoice, svc: PortalDep,
           actor: ActorDep) -> dict[str, Any]:  # fmt: skip
    return answer(request, flow.choose_dataset(svc, actor, upload_id, choice.dataset))


@router.get("/{upload_id}/preview", summary="First rows converted and the report",
            operation_id="upload_preview", responses=answers(401, 403, 404, 409, 422))  # fmt: skip
def preview(upload_id: str, svc: PortalDep, actor: ActorDep,
            rows: Annotated[int, Query(ge=0, le=200)] = flow.PREVIEW_ROWS) -> Preview:  # fmt: skip
    return flow.preview(svc, actor, upload_id, rows=rows)


@router.put("/{upload_id}/metadata", summary="Set the dataset metadata",
            operation_id="upload_metadata", responses=answers(401, 403, 404, 409, 422))  # fmt: skip
def metadata(request: Request, upload_id: str, svc: PortalDep, actor: ActorDep,
             given: Annotated[dict[str, Any], Body()]) -> dict[str, Any]:  # fmt: skip
    parsed = DatasetMetadata.parse(given)  # 422 metadata-invalid naming every wrong field
    return answer(request, flow.set_metadata(svc, actor, upload_id, parsed))


@router.post("/{upload_id}/submit", summary="Submit for approval",
             operation_id="upload_submit", responses=answers(401, 403, 404, 409))  # fmt: skip
def submit(request: Request, upload_id: str, svc: PortalDep, actor: ActorDep) -> dict[str, Any]:
    return answer(request, flow.submit(svc, actor, upload_id))


@router.post("/{upload_id}/withdraw", summary="Withdraw a submission",
             operation_id="upload_withdraw", responses=answers(401, 403, 404, 409))  # fmt: skip
def withdraw(request: Request, upload_id: str, svc: PortalDep, actor: ActorDep) -> dict[str, Any]:
    return answer(request, flow.withdraw(svc, actor, upload_id))


@router.post("/{upload_id}/publish", summary="Publish (approver)",
             operation_id="upload_publish", responses=answers(401, 403, 404, 409, 422))  # fmt: skip
def publish(request: Request, upload_id: str, svc: PortalDep, actor: ActorDep,
            options: PublishRequest | None = None) -> dict[str, Any]:  # fmt: skip
    given = options or PublishRequest()
    done = flow.publish(svc, actor, upload_id, allow_invalid=given.allow_invalid,
                        reason=given.reason)  # fmt: skip
    return answer(request, done)
