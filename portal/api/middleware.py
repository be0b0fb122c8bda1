"""Pure ASGI middleware for what every answer shares: HEAD on every GET route, and the
headers that keep a browser from sniffing, framing or running what the portal serves."""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Pages: server-rendered, the portal's own stylesheet, no script at all.
PAGES_CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
             "base-uri 'none'; frame-ancestors 'none'")  # fmt: skip
# Swagger UI starts itself with an inline script (fastapi's template) and draws inline styles;
# the page shows only this portal's own OpenAPI document.
DOCS_CSP = ("default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; connect-src 'self'; form-action 'none'; base-uri 'none'; "
            "frame-ancestors 'none'")  # fmt: skip
# Published files (validation reports hold what the data holds): inline styles only, no
# script, a sandbox (an origin of their own); the API's JSON gets the same.
FILES_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; "
             "base-uri 'none'; frame-ancestors 'none'; sandbox")  # fmt: skip
DOCS_PATHS = ("/docs", "/static-offline-docs/")
# The sign-in and account pages (portal/accounts/pages.py) and the upload pages
# (portal/web/uploads.py) post forms to the portal itself; the coverage page
# (portal/web/coverage.py) needs the portal's stylesheet, which the files' policy refuses.
PAGE_PATHS = ("/datasets/", "/organizations", "/static/", "/login", "/account", "/admin/",
              "/uploads", "/coverage", "/map")  # fmt: skip
# Pages with a map (portal/web/maps.py; a dataset's page): the bundled map script from
# /static/, its points from the portal, the base map's tiles from their host (PORTAL_MAP_TILES).
MAP_PATHS = ("/map", "/datasets/")
MAP_CSP = (PAGES_CSP.replace("img-src 'self' data:", "img-src 'self' data: {tiles}")
           + "; script-src 'self'; connect-src 'self'")  # fmt: skip


def tile_source(template: str) -> str:
    """A tile URL template's host as a CSP source: https://{s}.tile.example → https://*.tile.example."""
    parts = urlsplit(template.replace("{s}", "*"))
    return f"{parts.scheme}://{parts.netloc}"


def policy(path: str, tiles: str = "") -> str:
    if path.startswith(DOCS_PATHS):
        return DOCS_CSP
    if tiles and path.startswith(MAP_PATHS):
        return MAP_CSP.format(tiles=tiles)
    if path == "/" or path.startswith(PAGE_PATHS):
        return PAGES_CSP
    return FILES_CSP


class SecurityHeaders:
    """Content-Security-Policy (with frame-ancestors), X-Content-Type-Options: nosniff and
    X-Frame-Options on every answer; a route that sets its own keeps it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        settings = getattr(getattr(scope.get("app"), "state", None), "settings", None)
        csp = policy(scope["path"], tile_source(settings.map_tiles) if settings else "")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Security-Policy", csp)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("X-Frame-Options", "DENY")  # frame-ancestors for old browsers
            await send(message)

        await self.app(scope, receive, with_headers)


class HeadAsGet:
    """HEAD is GET without the body (RFC 9110 §9.3.2). FastAPI routes answer only the methods
    they declare, so a HEAD is routed as the GET and only its status and headers are sent."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)
