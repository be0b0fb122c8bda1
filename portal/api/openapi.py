"""What the OpenAPI document says about answers other than 200: the error shapes, the
statuses each route can answer, and links from one answer to the next request.

FastAPI documents a 422 `HTTPValidationError` on every route with parameters; this API
answers a bad parameter with a 400 in its own error shape instead, so that entry is taken
out (`documented`) and each route lists what it really answers (`answers`).
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict, Field


class ErrorDetail(BaseModel):
    code: str = Field(description="Stable kebab-case code, safe to match on.")
    status: int
    message_en: str
    message_ja: str
    hint_en: str | None = None
    hint_ja: str | None = None
    location: dict[str, Any] | None = Field(
        default=None, description="Where in a file the problem is."
    )


class Error(BaseModel):
    """Every error of the portal's own routes."""

    ok: Literal[False]
    error: ErrorDetail


class CkanErrorDetail(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    type: str = Field(alias="__type", description="Not Found Error, Validation Error, …")
    message: str


class CkanError(BaseModel):
    """Errors under /api/3/action answer as CKAN's do: ckanapi and harvesters parse them."""

    help: str
    success: Literal[False]
    error: CkanErrorDetail


WHY = {
    304: "Not modified: the client's copy (If-None-Match / If-Modified-Since) is current.",
    400: "A parameter or the body is wrong; the message says which and why.",
    401: "Not signed in: no session and no API token (or a token that is not valid).",
    403: "The account or token may not do this for that organization (its role, or a form without its CSRF token).",
    404: "No such dataset, organization, standard, file or apiname.",
    409: "A CKAN action parameter is not valid (as CKAN answers it).",
    413: "The request body is over the limit (PORTAL_MAX_BODY_BYTES).",
    422: "The data holds characters CP932 cannot write (see `unmappable`).",
    429: "Over the rate limit: retry after `Retry-After` seconds.",
    503: "The catalogue or the dataset's rows cannot be read just now.",
}
ALWAYS = (400, 503)  # every route: a NUL in its address (portal.api.guards); reads the store


def answers(*statuses: int, ckan: bool = False) -> dict[int | str, dict[str, Any]]:
    """The `responses=` of a route: its error statuses (and 503) in the error shape of its
    path; 304 without a body."""
    model = CkanError if ckan else Error
    out: dict[int | str, dict[str, Any]] = {}
    for status in sorted({*ALWAYS, *statuses}):
        out[status] = {"description": WHY[status]}
        if status != 304:
            out[status]["model"] = model
    return out


def media(*types: str) -> dict[str, Any]:
    """The `content` of a 200 that is not (only) JSON: JSON kinds any JSON, others text."""
    return {t: {"schema": {} if "json" in t else {"type": "string"}} for t in types}


def documented(app: FastAPI) -> dict[str, Any]:
    """The app's OpenAPI document without FastAPI's 422 entries this API never answers."""
    if app.openapi_schema:
        return app.openapi_schema
    doc = FastAPI.openapi(app)  # FastAPI's own document, cached on the app: edited in place
    for path, operations in doc["paths"].items():
        shape = "CkanError" if path.startswith("/api/3/action/") else "Error"
        for operation in operations.values():
            answer = operation.get("responses", {}).get("422", {})
            if "HTTPValidationError" in str(answer):
                del operation["responses"]["422"]
            # Every route can answer 400 (a NUL in its address: portal.api.guards).
            operation.setdefault("responses", {}).setdefault("400", {
                "description": WHY[400],
                "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{shape}"}}},
            })  # fmt: skip
    schemas = doc.get("components", {}).get("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    return doc


def follow(**links: tuple[str, dict[str, str]]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI links from a 200 answer to the requests it leads to: name=(operationId,
    {parameter: value or $response expression}). Clients and stateful tests follow them."""
    out = {n: {"operationId": op, "parameters": params} for n, (op, params) in links.items()}
    return {200: {"links": out}}
