"""The API's error shapes: what an exception says, as JSON.

Portal endpoints answer `{"ok": false, "error": {code, status, message_en, message_ja,
hint_en, hint_ja}}`; the CKAN-compatible Action API answers as CKAN does
(`{"success": false, "error": {"__type": "Not Found Error", "message": …}}`), because
that is what ckanapi and harvesters parse. Whether a client gets this JSON or the HTML
error page is decided by content negotiation in portal.server.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from portal.api.limits import BodyOverLimit
from portal.errors import PortalError

log = logging.getLogger("portal.api")
CKAN_PATHS = ("/api/3/", "/api/action/")
CKAN_TYPES = {
    404: "Not Found Error",
    403: "Authorization Error",
    409: "Validation Error",
    400: "Validation Error",
    413: "Validation Error",
    422: "Validation Error",
}


def body(
    status: int, code: str, en: str, ja: str, extra: dict[str, Any] | None = None
) -> dict[str, Any]:
    error = {"code": code, "status": status, "message_en": en, "message_ja": ja, **(extra or {})}
    return {"ok": False, "error": error}


@dataclass(frozen=True)
class Described:
    """An error as every answer shows it: its status, the JSON error shape, extra headers."""

    status: int
    payload: dict[str, Any]
    headers: dict[str, str] | None = None

    @property
    def error(self) -> dict[str, Any]:
        found: dict[str, Any] = self.payload["error"]
        return found


def json_error(request: Request, described: Described) -> JSONResponse:
    """The portal's JSON error shape, or CKAN's on the CKAN-compatible Action API."""
    status, headers = described.status, described.headers
    if request.url.path.startswith(CKAN_PATHS):
        error = described.error
        ckan = {"__type": CKAN_TYPES.get(status, "Internal Error"), "message": error["message_en"]}
        return JSONResponse(
            {"help": str(request.url), "success": False, "error": ckan}, status, headers
        )
    return JSONResponse(described.payload, status, headers)


def _problem(error: dict[str, Any]) -> str:
    """One parameter's problem, with what was sent when it is short enough to quote."""
    given = error.get("input")
    shown = f" (given {given!r})" if isinstance(given, str) and len(given) <= 40 else ""
    return f"{'.'.join(map(str, error['loc']))}: {error['msg']}{shown}"


def described_portal_error(exc: PortalError) -> Described:
    d = exc.to_dict()
    extra: dict[str, Any] = {k: d[k] for k in ("hint_en", "hint_ja", "location") if k in d}
    headers = (
        {"Retry-After": str(exc.params["retry_after"])} if "retry_after" in exc.params else None
    )
    return Described(
        exc.status, body(exc.status, exc.code, exc.message_en, exc.message_ja, extra), headers
    )


def described_invalid(exc: RequestValidationError) -> Described:
    problems = "; ".join(map(_problem, exc.errors()))
    ja = f"リクエストのパラメータが正しくありません: {problems}"
    return Described(400, body(400, "bad-request", problems, ja))


BODY_UNREADABLE = "There was an error parsing the body"  # FastAPI's words for it


def described_http(request: Request, exc: HTTPException) -> Described:
    if exc.status_code == 400 and exc.detail == BODY_UNREADABLE:
        return Described(400, body(400, "body-unreadable",
                                   "the request body cannot be read: it is not valid JSON (or not the form data it should be)",
                                   "リクエスト本文を読み取れません（正しい JSON またはフォームの形式になっていません）"))  # fmt: skip
    headers = getattr(exc, "headers", None)
    status, path, method = exc.status_code, request.url.path, request.method
    if status == 404 and exc.detail == "Not Found":  # the router's own: no route has the path
        en, ja = f"there is no page or API at {path}", f"{path} にページや API はありません"
        return Described(404, body(404, "not-found", en, ja), headers)
    if status == 405:
        allowed = (headers or {}).get("Allow", "GET")
        en = f"{path} does not take {method}; use {allowed}"
        ja = f"{path} は {method} を受け付けません（{allowed} を使ってください）"
        return Described(405, body(405, "method-not-allowed", en, ja), headers)
    ja = {404: "ページが見つかりません"}.get(status, "エラー")
    code = "not-found" if status == 404 else "http-error"
    return Described(status, body(status, code, str(exc.detail), ja), headers)


def describe(request: Request, exc: Exception) -> Described:
    """Any exception a request ends in, described; one not foreseen is logged and a 500."""
    if isinstance(exc, BodyOverLimit):
        exc = exc.error
    if isinstance(exc, PortalError):
        return described_portal_error(exc)
    if isinstance(exc, RequestValidationError):
        return described_invalid(exc)
    if isinstance(exc, HTTPException):
        return described_http(request, exc)
    log.exception("unexpected error on %s", request.url.path, exc_info=exc)
    return Described(500, body(500, "internal-error", "internal error", "内部エラーが発生しました"))
