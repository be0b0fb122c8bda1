"""/api/v1/connectors/{name}/notify: a platform's notice that a catalog has a new version.

The connector's own `on_notify` authenticates it (bearer, basic or an HMAC of the body, as
configured: 401 when missing or wrong) and reads it; the answer is 202 at once with the job
that takes the file in. The same notice again (same catalog and version) answers the same
job and does nothing twice. The peer never waits for the fetch, conversion or publish."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from portal.api.openapi import answers
from portal.api.routes.jobs import job_answer
from portal.composition import Portal
from portal.connectors.base import ConnectorNotFound
from portal.connectors.intake import enqueue_notice
from portal.connectors.registry import connector_named
from portal.jobs import JobRecord
from portal.present import PortalDep

router = APIRouter(prefix="/api/v1", tags=["connectors"])


# The notice's body is the platform's own (JSON, a form, XML): read raw, parsed by the plugin.
ANY_BODY = {"requestBody": {"required": False, "content": {
    "application/json": {"schema": {}}, "*/*": {"schema": {"type": "string"}}}}}  # fmt: skip


@router.post(
    "/connectors/{connector}/notify",
    summary="A platform's notice of a new version (authenticated by the connector's scheme)",
    operation_id="connector_notify",
    status_code=202,
    responses=answers(400, 401, 404, 413),
    openapi_extra=ANY_BODY,
)
async def notify(connector: str, request: Request, svc: PortalDep) -> JSONResponse:
    body = await request.body()
    headers = dict(request.headers)
    job = await run_in_threadpool(_enqueue, svc, connector, body, headers)
    answer: dict[str, Any] = {"ok": True, "job": job_answer(request, job)}
    return JSONResponse(answer, status_code=202, headers={"Location": answer["job"]["url"]})


def _enqueue(portal: Portal, name: str, body: bytes, headers: dict[str, str]) -> JobRecord:
    connector = connector_named(portal.connectors, name)
    if not connector.config.enabled:
        raise ConnectorNotFound(name=name)
    notice = connector.on_notify(portal, body, headers)
    job: JobRecord = enqueue_notice(portal, connector, notice)
    return job
