"""The one place the API turns an exception into a response.

Portal endpoints answer `{"ok": false, "error": {code, status, message_en, message_ja,
hint_en, hint_ja}}`; the CKAN-compatible Action API answers as CKAN does
(`{"success": false, "error": {"__type": "Not Found Error", "message": …}}`), because
that is what ckanapi and harvesters parse.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from portal.api.limits import BodyOverLimit, RequestTooLarge
from portal.errors import PortalError

log = logging.getLogger("portal.api")
PAGES = ("/datasets/", "/organizations/")
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


def respond(
    request: Request, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None
) -> Response:
    if request.url.path == "/" or request.url.path.startswith(PAGES):
        from portal.web.pages import error_page  # the pages render their own HTML errors

        return error_page(request, status, payload["error"])
    if request.url.path.startswith(("/api/3/", "/api/action/")):
        error = payload["error"]
        ckan = {"__type": CKAN_TYPES.get(status, "Internal Error"), "message": error["message_en"]}
        return JSONResponse(
            {"help": str(request.url), "success": False, "error": ckan}, status, headers
        )
    return JSONResponse(payload, status, headers)


def _problem(error: dict[str, Any]) -> str:
    """One parameter's problem, with what was sent when it is short enough to quote."""
    given = error.get("input")
    shown = f" (given {given!r})" if isinstance(given, str) and len(given) <= 40 else ""
    return f"{'.'.join(map(str, error['loc']))}: {error['msg']}{shown}"


def error_response(request: Request, exc: PortalError) -> Response:
    d = exc.to_dict()
    extra: dict[str, Any] = {k: d[k] for k in ("hint_en", "hint_ja", "location") if k in d}
    headers = (
        {"Retry-After": str(exc.params["retry_after"])} if "retry_after" in exc.params else None
    )
    return respond(
        request,
        exc.status,
        body(exc.status, exc.code, exc.message_en, exc.message_ja, extra),
        headers,
    )


def too_large(request: Request, limit: int) -> Response:
    """The answer of the body limit (portal.api.limits.BodyLimit), in the path's error shape."""
    return error_response(request, RequestTooLarge(limit=limit))


def install(app: FastAPI) -> None:
    @app.exception_handler(PortalError)
    async def portal_error(request: Request, exc: PortalError) -> Response:
        return error_response(request, exc)

    @app.exception_handler(BodyOverLimit)
    async def body_over_limit(request: Request, exc: BodyOverLimit) -> Response:
        return error_response(request, exc.error)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(map(_problem, exc.errors()))
        return respond(
            request,
            400,
            body(
                400,
                "bad-request",
                problems,
                f"リクエストのパラメータが正しくありません: {problems}",
            ),
        )

    @app.exception_handler(HTTPException)
    async def http(request: Request, exc: HTTPException) -> Response:
        code = {404: "not-found", 405: "method-not-allowed"}.get(exc.status_code, "http-error")
        ja = {404: "ページが見つかりません", 405: "このメソッドは使えません"}.get(
            exc.status_code, "エラー"
        )
        return respond(
            request,
            exc.status_code,
            body(exc.status_code, code, str(exc.detail), ja),
            getattr(exc, "headers", None),
        )

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s", request.url.path)
        return respond(
            request, 500, body(500, "internal-error", "internal error", "内部エラーが発生しました")
        )
