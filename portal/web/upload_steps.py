"""The steps of an upload between choosing its dataset and submitting it:

GET  /uploads/{id}/mapping        per standard field: a source column, a constant, or
                                  nothing, with normalisers and their options
POST /uploads/{id}/mapping        one field's mapping (converted again at once)
GET  /uploads/{id}/recipe.yaml    the recipe, as `portal convert` reads it
GET  /uploads/{id}/preview        the first converted rows and the report by problem
GET  /uploads/{id}/metadata       title, description, 担当課, contact, frequency, …
POST /uploads/{id}/metadata
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import yaml
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from starlette.datastructures import FormData

from portal.accounts.auth import Actor
from portal.accounts.http import FormActorDep, OptionalActorDep
from portal.accounts.pages import to_login
from portal.catalogue.licences import licences
from portal.catalogue.metadata import DatasetMetadata, frequencies
from portal.composition import Portal
from portal.errors import PortalError
from portal.present import PortalDep
from portal.submissions import flow
from portal.submissions.errors import MappingEditInvalid
from portal.submissions.views import FieldMapping, MappingEdit, Normaliser, Preview, Upload
from portal.web.forms import call, page, problem_of, text, to

router = APIRouter(include_in_schema=False)
SPARE_STEPS = 2  # empty normaliser rows the form offers beside a field's own
METADATA_FIELDS = ("title", "description", "department", "contact_phone", "contact_email",
                   "contact_url", "update_frequency", "keywords", "license")  # fmt: skip
LICENSES = sorted(licences())


def option_text(step: Normaliser) -> str:
    """A normaliser's option as the form shows it (JSON, which YAML reads back)."""
    return "" if step.option is None else json.dumps(step.option, ensure_ascii=False)


def shown_fields(upload: Upload) -> tuple[list[FieldMapping], list[FieldMapping]]:
    """The fields a clerk looks at first (mapped or required) and the rest."""
    assert upload.mapping is not None
    first = [f for f in upload.mapping.fields if f.sources or f.constant is not None or f.required]
    return first, [f for f in upload.mapping.fields if f not in first]


@router.get("/uploads/{upload_id}/mapping", response_class=HTMLResponse)
def mapping_page(request: Request, upload_id: str, svc: PortalDep,
                 actor: OptionalActorDep) -> Response:  # fmt: skip
    if actor is None:
        return to_login(request)
    upload = flow.get_upload(svc, actor, upload_id)
    return mapping_form(request, svc, actor, upload, editing=request.query_params.get("field", ""),
                        edited=request.query_params.get("edited", ""))  # fmt: skip


def mapping_form(request: Request, svc: Portal, actor: Actor, upload: Upload, status: int = 200,
                 problem: dict[str, Any] | None = None, edited: str = "",
                 editing: str = "") -> HTMLResponse:  # fmt: skip
    """The mapping table; the form of the field being edited (`editing`) above it."""
    if upload.mapping is None:  # no dataset yet: choose it first
        return page(request, "upload.html", 409, up=upload, problem=problem, standards=[],
                    approver=actor.can("approver", upload.org), saved=False)  # fmt: skip
    first, rest = shown_fields(upload)
    form = next((f for f in upload.mapping.fields if f.field == editing), None)
    return page(request, "upload_mapping.html", status, up=upload, first=first, rest=rest,
                normalisers=flow.normalisers(), option_text=option_text, spare=SPARE_STEPS,
                problem=problem, edited=edited, editing=form)  # fmt: skip


def mapping_edit(form: FormData) -> MappingEdit:
    """The form of one field as the library's structured edit; an option that is not YAML is
    refused naming the field and the text."""
    field = text(form, "field")
    steps = []
    for name, option in zip(form.getlist("step"), form.getlist("option"), strict=False):
        if not isinstance(name, str) or not name:
            continue
        raw = option.strip() if isinstance(option, str) else ""
        try:
            steps.append(Normaliser(name=name, option=yaml.safe_load(raw) if raw else None))
        except yaml.YAMLError:
            raise MappingEditInvalid(
                detail=f"{field}: the option of {name} is not readable: {raw}",
                detail_ja=f"{field}: {name} のオプションを読み取れません: {raw}",
            ) from None
    sources = [s for s in form.getlist("sources") if isinstance(s, str) and s]
    kind = text(form, "kind")
    return MappingEdit.model_validate({
        "field": field, "kind": kind if kind in ("column", "constant", "none") else "none",
        "sources": sources, "join": text(form, "join"),
        "constant": text(form, "constant") or None, "normalize": steps,
    })  # fmt: skip


@router.post("/uploads/{upload_id}/mapping")
async def edit_mapping(request: Request, upload_id: str, svc: PortalDep,
                       actor: FormActorDep) -> Response:  # fmt: skip
    form = await request.form()
    try:
        edit = mapping_edit(form)
        await call(flow.edit_mapping, svc, actor, upload_id, edit)
    except PortalError as exc:
        if exc.status in (401, 403, 404):
            raise
        upload = flow.get_upload(svc, actor, upload_id)
        return mapping_form(request, svc, actor, upload, exc.status, problem_of(exc),
                            editing=text(form, "field"))  # fmt: skip
    return to(f"/uploads/{upload_id}/mapping?edited={quote(text(form, 'field'))}#report")


@router.get("/uploads/{upload_id}/recipe.yaml")
def recipe(request: Request, upload_id: str, svc: PortalDep, actor: OptionalActorDep) -> Response:
    if actor is None:
        return to_login(request)
    body = flow.recipe_text(svc, actor, upload_id)
    return PlainTextResponse(body, media_type="application/yaml; charset=utf-8",
                             headers={"Content-Disposition": 'attachment; filename="recipe.yaml"'})  # fmt: skip


@router.get("/uploads/{upload_id}/preview", response_class=HTMLResponse)
async def preview_page(request: Request, upload_id: str, svc: PortalDep,
                       actor: OptionalActorDep) -> Response:  # fmt: skip
    if actor is None:
        return to_login(request)
    upload = flow.get_upload(svc, actor, upload_id)
    if upload.mapping is None:
        return to(f"/uploads/{upload_id}")
    try:
        shown: Preview | None = await call(flow.preview, svc, actor, upload_id)
        problem = None
    except PortalError as exc:  # the recipe does not convert: say why, show the mapping link
        if exc.status in (401, 403, 404):
            raise
        shown, problem = None, problem_of(exc)
    return page(request, "upload_preview.html", up=upload, preview=shown, problem=problem,
                filled=filled_columns(shown))  # fmt: skip


def filled_columns(shown: Preview | None) -> list[int]:
    """The columns of the preview that hold a value in some row (the standards have many
    optional fields a department leaves empty)."""
    if shown is None:
        return []
    return [i for i in range(len(shown.columns)) if any(i < len(r) and r[i] for r in shown.rows)]


@router.get("/uploads/{upload_id}/metadata", response_class=HTMLResponse)
def metadata_page(request: Request, upload_id: str, svc: PortalDep,
                  actor: OptionalActorDep) -> Response:  # fmt: skip
    if actor is None:
        return to_login(request)
    upload = flow.get_upload(svc, actor, upload_id)
    given = {**(upload.metadata or {})}
    if not given and upload.dataset_title:
        given["title"] = upload.dataset_title  # a start the clerk edits
    given["keywords"] = "、".join(given.get("keywords", []))
    return metadata_form(request, upload, given, saved=request.query_params.get("saved") == "1")


def metadata_form(request: Request, upload: Upload, given: dict[str, Any], status: int = 200,
                  problem: dict[str, Any] | None = None, saved: bool = False) -> HTMLResponse:  # fmt: skip
    return page(request, "upload_metadata.html", status, up=upload, given=given,
                frequencies=list(frequencies().values()), licenses=LICENSES, problem=problem,
                saved=saved)  # fmt: skip


@router.post("/uploads/{upload_id}/metadata")
async def set_metadata(request: Request, upload_id: str, svc: PortalDep,
                       actor: FormActorDep) -> Response:  # fmt: skip
    form = await request.form()
    given = {key: text(form, key) for key in METADATA_FIELDS}
    try:
        parsed = DatasetMetadata.parse(given)  # 422 naming every wrong field
        await call(flow.set_metadata, svc, actor, upload_id, parsed)
    except PortalError as exc:
        if exc.status in (401, 403, 404):
            raise
        upload = flow.get_upload(svc, actor, upload_id)
        return metadata_form(request, upload, given, exc.status, problem_of(exc))
    return to(f"/uploads/{upload_id}/metadata?saved=1")
