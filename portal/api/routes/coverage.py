"""GET /api/v1/coverage: which standard datasets each municipality publishes, valid and fresh
(portal.coverage) — public, as the DX office's page and `portal coverage --format json` show
it. Its JSON is built without pandas: nothing here costs the server's start-up."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from portal.api.openapi import answers
from portal.coverage import model
from portal.present import PortalDep, base

router = APIRouter(prefix="/api/v1", tags=["coverage"])
MAX_LGCODES = 100  # a query names a few municipalities; the whole matrix needs none


@router.get(
    "/coverage",
    summary="Coverage of the standard datasets per municipality (covered = published-valid)",
    operation_id="coverage",
    responses=answers(400, 404, 422),
)
def coverage(
    request: Request,
    svc: PortalDep,
    lgcode: Annotated[
        list[str] | None,
        Query(
            max_length=MAX_LGCODES,
            description="Only these municipalities (6-digit codes; repeat the parameter). "
            "One with nothing published is shown with every dataset missing.",
        ),
    ] = None,  # fmt: skip
) -> dict[str, Any]:
    wanted = [svc.directory.lookup(code.strip()).lgcode for code in lgcode or []]
    found = model.local_coverage(svc, organizations=wanted)
    if wanted:
        found = model.only(found, wanted)
    return model.to_json(found, base(request))
