"""The upload pages: a department's file to a published dataset, in the browser. Thin over
portal.submissions.flow (the library the API uses too); every form carries the CSRF token
and answers with a redirect to the page to look at next, or the same page with the problem
above the form (in Japanese and English).

    GET  /uploads                      the organizations' uploads; waiting for approval; next month
    GET  /uploads/new                  the upload form (file, organization, optional dataset)
    POST /uploads                      → /uploads/{id} (with `reuse`: → its preview)
    GET  /uploads/{id}                 state; the candidates to choose from; approval; result
    POST /uploads/{id}/dataset         choose the standard dataset
    POST /uploads/{id}/submit|withdraw editor
    POST /uploads/{id}/publish         approver (要修正 with a reason when invalid)

The steps between (mapping, preview, metadata) are in portal/web/upload_steps.py, a dataset's
versions in portal/web/history.py; `router` carries all three."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import UploadFile

from portal.accounts.auth import Actor
from portal.accounts.http import FormActorDep, OptionalActorDep
from portal.accounts.pages import to_login
from portal.accounts.service import Accounts
from portal.composition import Portal
from portal.errors import PortalError
from portal.present import PortalDep
from portal.submissions import flow
from portal.submissions.errors import megabytes
from portal.submissions.views import Upload
from portal.web import history, upload_steps
from portal.web.forms import call, page, problem_of, text, to

router = APIRouter(include_in_schema=False)


def editable_orgs(svc: Portal, actor: Actor) -> list[tuple[str, str]]:
    """The organizations the actor may upload for, with their titles."""
    known = {o.code: o.title for o in Accounts(svc.store, svc.directory).organizations()}
    return [(code, title) for code, title in known.items() if actor.can("editor", code)]


def next_month(uploads: list[Upload]) -> list[Upload]:
    """The last published upload of each organization's dataset: next month's recipe."""
    found: dict[tuple[str, str | None], Upload] = {}
    for upload in uploads:  # newest first
        if upload.state == "published":
            found.setdefault((upload.org, upload.dataset), upload)
    return list(found.values())


@router.get("/uploads", response_class=HTMLResponse)
def uploads_page(request: Request, svc: PortalDep, actor: OptionalActorDep) -> Response:
    if actor is None:
        return to_login(request)
    uploads = flow.list_uploads(svc, actor)
    waiting = [u for u in uploads if u.state == "submitted" and actor.can("approver", u.org)]
    return page(request, "uploads.html", uploads=uploads, waiting=waiting,
                published=next_month(uploads))  # fmt: skip


@router.get("/uploads/new", response_class=HTMLResponse)
def new_upload_page(request: Request, svc: PortalDep, actor: OptionalActorDep) -> Response:
    if actor is None:
        return to_login(request)
    return new_form(request, svc, actor)


def new_form(request: Request, svc: Portal, actor: Actor, status: int = 200,
             problem: dict[str, Any] | None = None) -> HTMLResponse:  # fmt: skip
    """The form; `?org=…&dataset=…` (a coverage gap's link) pre-selects them."""
    standards = [d for d in svc.registry.all() if d.version == "current" and d.fields]
    return page(request, "upload_new.html", status, orgs=editable_orgs(svc, actor),
                standards=standards, limit=megabytes(svc.settings.max_upload_bytes),
                problem=problem, chosen_org=request.query_params.get("org", ""),
                chosen_dataset=request.query_params.get("dataset", ""))  # fmt: skip


@router.post("/uploads")
async def create(request: Request, svc: PortalDep, actor: FormActorDep) -> Response:
    form = await request.form()
    file = form.get("file")
    org, dataset, reuse = text(form, "org"), text(form, "dataset"), text(form, "reuse") == "1"
    try:
        if not isinstance(file, UploadFile) or not file.filename:
            actor.require("editor", org, "upload")  # 403 before saying the file is missing
            return new_form(request, svc, actor, 422, {"ja": "ファイルを選んでください。",
                            "en": "Choose a file.", "code": "file-missing"})  # fmt: skip
        upload = await call(flow.create_upload, svc, actor, org=org, file_name=file.filename,
                            content=file.file, dataset=dataset or None, reuse=reuse)  # fmt: skip
    except PortalError as exc:
        if exc.status == 403:
            raise
        return new_form(request, svc, actor, exc.status, problem_of(exc))
    # Next month's file, its recipe reused: converted already, straight to the preview.
    return to(f"/uploads/{upload.id}/preview" if reuse else f"/uploads/{upload.id}")


@router.get("/uploads/{upload_id}", response_class=HTMLResponse)
def upload_page(request: Request, upload_id: str, svc: PortalDep,
                actor: OptionalActorDep) -> Response:  # fmt: skip
    if actor is None:
        return to_login(request)
    return show(request, svc, actor, flow.get_upload(svc, actor, upload_id))


def show(request: Request, svc: Portal, actor: Actor, upload: Upload, status: int = 200,
         problem: dict[str, Any] | None = None) -> HTMLResponse:  # fmt: skip
    standards = [d for d in svc.registry.all() if d.version == "current" and d.fields]
    return page(request, "upload.html", status, up=upload, problem=problem,
                standards=standards, approver=actor.can("approver", upload.org),
                saved=request.query_params.get("saved") == "1")  # fmt: skip


async def change(request: Request, svc: Portal, actor: Actor, upload_id: str,
                 work: Any, *args: Any, **kwargs: Any) -> Response:  # fmt: skip
    """Run one change of the upload; back to its page, with the problem if it was refused
    (a refusal of the actor stays the error page: nothing of the upload is shown)."""
    try:
        await call(work, svc, actor, upload_id, *args, **kwargs)
    except PortalError as exc:
        if exc.status in (401, 403, 404):
            raise
        upload = flow.get_upload(svc, actor, upload_id)
        return show(request, svc, actor, upload, exc.status, problem_of(exc))
    return to(f"/uploads/{upload_id}")


@router.post("/uploads/{upload_id}/dataset")
async def choose(request: Request, upload_id: str, svc: PortalDep,
                 actor: FormActorDep) -> Response:  # fmt: skip
    # The ranked candidates' radio, or "not in the list" and the select beside it.
    given = [d for d in (await request.form()).getlist("dataset") if isinstance(d, str) and d]
    return await change(
        request, svc, actor, upload_id, flow.choose_dataset, given[0] if given else ""
    )


@router.post("/uploads/{upload_id}/submit")
async def submit(request: Request, upload_id: str, svc: PortalDep,
                 actor: FormActorDep) -> Response:  # fmt: skip
    return await change(request, svc, actor, upload_id, flow.submit)


@router.post("/uploads/{upload_id}/withdraw")
async def withdraw(request: Request, upload_id: str, svc: PortalDep,
                   actor: FormActorDep) -> Response:  # fmt: skip
    return await change(request, svc, actor, upload_id, flow.withdraw)


@router.post("/uploads/{upload_id}/publish")
async def publish(request: Request, upload_id: str, svc: PortalDep,
                  actor: FormActorDep) -> Response:  # fmt: skip
    reason = text(await request.form(), "reason")
    return await change(request, svc, actor, upload_id, flow.publish,
                        allow_invalid=bool(reason), reason=reason)  # fmt: skip


router.include_router(upload_steps.router)
router.include_router(history.router)
