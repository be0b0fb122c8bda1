"""A dataset's history page: its versions (number, when, organization, rows, validation,
rows added / removed / changed), the CSV of each, and — for an approver of the dataset's
organization — a rollback button (portal.catalogue.versions.rollback, audited as the API's).

    GET  /datasets/{name}/history
    POST /datasets/{name}/rollback     form: version
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from portal.accounts.auth import Actor
from portal.accounts.http import FormActorDep, OptionalActorDep
from portal.catalogue.versions import public_view, rollback_by, versions
from portal.composition import Portal
from portal.errors import PortalError
from portal.present import PortalDep
from portal.submissions import flow
from portal.web.forms import call, page, problem_of, text, to

router = APIRouter(include_in_schema=False)


@router.get("/datasets/{name}/history", response_class=HTMLResponse)
def history_page(request: Request, name: str, svc: PortalDep,
                 actor: OptionalActorDep) -> HTMLResponse:  # fmt: skip
    return shown(request, svc, name, actor)


def shown(request: Request, svc: Portal, name: str, actor: Actor | None, status: int = 200,
          problem: dict[str, Any] | None = None) -> HTMLResponse:  # fmt: skip
    package = svc.package(name)  # 404 for a dataset the public cannot see
    org = package.get("owner_org") or ""
    rows = [public_view(v) for v in versions(svc.store, name)]
    # The department's last upload of this dataset: next month's file starts from its recipe.
    last = None
    if actor is not None:
        last = next((u for u in flow.list_uploads(svc, actor)
                     if u.state == "published" and u.links and u.links.name == name), None)  # fmt: skip
    return page(request, "history.html", status, name=name, title=package.get("title") or name,
                versions=rows, can_rollback=actor is not None and actor.can("approver", org),
                last=last, problem=problem,
                rolled=request.query_params.get("rolled"),
                made=request.query_params.get("version"))  # fmt: skip


@router.post("/datasets/{name}/rollback")
async def rollback_page(request: Request, name: str, svc: PortalDep,
                        actor: FormActorDep) -> Response:  # fmt: skip
    org = svc.package(name).get("owner_org") or ""
    actor.require("approver", org, "rollback")  # who may, before what was asked is read
    wanted = text(await request.form(), "version")
    try:
        number = int(wanted)
        published = await call(rollback_by, actor, name, number, svc.publisher())
    except ValueError:
        return shown(request, svc, name, actor, 422, {"code": "version-invalid",
                     "ja": f"版の番号が正しくありません: {wanted[:20]}",
                     "en": f"not a version number: {wanted[:20]}"})  # fmt: skip
    except PortalError as exc:
        if exc.status in (401, 403):
            raise
        return shown(request, svc, name, actor, exc.status, problem_of(exc))
    return to(f"/datasets/{name}/history?rolled={number}&version={published.version}")
