"""`create_app(settings)`: the web application — the API (catalogue and data API,
compatibility routes: CKAN Action API, BODIK WAPI, DCAT), the files and the public pages,
over one Portal (portal.composition). The one place where `portal.api` and `portal.web`
meet: an error is answered as the HTML error page to a client that prefers HTML (a browser)
and in the API's JSON error shape otherwise (curl, API clients), whatever the path."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial
from importlib import resources

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from starlette.exceptions import HTTPException
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from portal import __version__
from portal.accounts.pages import router as accounts
from portal.api.errors import describe, json_error
from portal.api.guards import refuse_nul
from portal.api.limits import BodyLimit, RateLimiter
from portal.api.middleware import PAGES_CSP, HeadAsGet, SecurityHeaders
from portal.api.openapi import documented
from portal.api.routes import (
    catalogue,
    ckan_compat,
    connectors,
    coverage,
    data,
    dcat,
    jobs,
    subscriptions,
    uploads,
    versions,
    wapi,
)
from portal.api.slashes import MergeSlashes
from portal.composition import Portal
from portal.errors import PortalError
from portal.settings import Settings
from portal.store.ratelimit import rate_limit_storage
from portal.web.coverage import router as coverage_page
from portal.web.home import router as home_page
from portal.web.maps import router as map_pages
from portal.web.organizations import router as organization_pages
from portal.web.pages import error_page
from portal.web.pages import router as pages
from portal.web.uploads import router as upload_pages

DESCRIPTION = """Open data of Japanese municipalities in the layout of the Digital Agency's
自治体標準オープンデータセット. `/api/v1` is this portal's own API; `/api/3/action` answers as
CKAN's read-only Action API, `/wapi` as BODIK's WAPI, `/catalog.jsonld|ttl` as DCAT.
Errors have one shape: `{"ok": false, "error": {code, status, message_en, message_ja}}`."""
HTML, JSON = "text/html", "application/json"
log = logging.getLogger(__name__)


def create_app(settings: Settings, portal: Portal | None = None) -> FastAPI:
    app = application(settings)
    app.state.portal = opened = portal or Portal.open(settings)
    app.router.lifespan_context = partial(keeping_rows_in_sync, opened, settings.rows_sync_seconds)
    # The rate-limit counters every `portal serve` process shares (the database, or Redis).
    app.state.limiter = RateLimiter(
        rate_limit_storage(opened.store, settings.redis_url),
        settings.rate_limit,
        settings.rate_limit_keyed,
        set(settings.api_keys),
    )
    return app


@asynccontextmanager
async def keeping_rows_in_sync(portal: Portal, every: float, app: FastAPI) -> AsyncIterator[None]:
    """While the server runs: the rows store follows the catalogue (Portal.sync_rows) at
    start-up and every `every` seconds, in a thread, so no request ever waits for a load."""
    stop = threading.Event()
    worker = threading.Thread(target=_sync_until, args=(portal, every, stop), daemon=True,
                              name="rows-sync")  # fmt: skip
    if every > 0:
        worker.start()
    try:
        yield
    finally:
        stop.set()


def _sync_until(portal: Portal, every: float, stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            portal.sync_rows()
        except Exception:  # a catalogue down for a while: logged, tried again next time
            log.exception("rows sync failed; trying again in %.0f s", every)
        stop.wait(every)


def application(settings: Settings) -> FastAPI:
    """The routes and middleware, without opening any store: enough for the OpenAPI document."""
    # FastAPIOffline serves Swagger UI's files itself: /docs works without reaching a CDN.
    app = FastAPIOffline(title="portal", version=__version__, description=DESCRIPTION,
                         docs_url="/docs", redoc_url=None, dependencies=[Depends(refuse_nul)])  # fmt: skip
    app.state.settings = settings
    app.openapi = lambda: documented(app)  # type: ignore[method-assign]
    # Added innermost first: a request meets the proxy headers, the security headers, HEAD,
    # the body limit, CORS and gzip in that order.
    app.add_middleware(GZipMiddleware, minimum_size=1000)
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET"],
                       allow_headers=["*"], expose_headers=["ETag", "Retry-After", "Link"])  # fmt: skip
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes, refuse=error_answer,
                       upload_limit=settings.max_upload_bytes)  # fmt: skip
    app.add_middleware(HeadAsGet)
    app.add_middleware(SecurityHeaders)
    if settings.trusted_proxies:
        # X-Forwarded-For names the client (for the rate limits) only when the connection
        # comes from a proxy named here; `portal serve` turns uvicorn's own handling off.
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies)
    app.add_middleware(MergeSlashes)  # outermost: `//api/3/action/x` is `/api/3/action/x`
    for kind in (PortalError, HTTPException, RequestValidationError, Exception):
        app.add_exception_handler(kind, answer_error)
    for router in (catalogue.router, data.router, data.files, wapi.router,
                   ckan_compat.router, dcat.router, home_page, organization_pages, pages,
                   accounts, uploads.router, versions.router, upload_pages, coverage_page,
                   coverage.router, map_pages, jobs.router, connectors.router,
                   subscriptions.router, subscriptions.feeds):  # fmt: skip
        app.include_router(router)
    static = resources.files("portal.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    return app


def error_answer(request: Request, exc: Exception) -> Response:
    """The one answer to an error: the HTML page or the JSON shape, as the client prefers."""
    described = describe(request, exc)
    if prefers_html(request.headers.get("accept", "")):
        response: Response = error_page(
            request, described.status, described.error, described.headers
        )
        # The page is the portal's own template: the pages' policy, whatever the path (the
        # files' and the API's sandboxed one, without the stylesheet, drew bare HTML).
        response.headers["Content-Security-Policy"] = PAGES_CSP
    else:
        response = json_error(request, described)
    # The answer depends on Accept: a cache keeps the page and the JSON apart.
    response.headers.append("Vary", "Accept")
    return response


async def answer_error(request: Request, exc: Exception) -> Response:
    return error_answer(request, exc)


def prefers_html(accept: str) -> bool:
    """Whether `accept` ranks HTML above JSON. A browser's `text/html,…,*/*;q=0.8` does;
    curl's `*/*`, `application/json` and a missing header do not (JSON is the default)."""
    return quality(accept, HTML) > quality(accept, JSON)


def quality(accept: str, media: str) -> float:
    """The q an Accept header gives `media`: its most specific matching range decides
    (RFC 9110 §12.5.1); 0 when nothing matches."""
    ranks = {media: 2, media.split("/")[0] + "/*": 1, "*/*": 0}
    best, rank = 0.0, -1
    for part in accept.split(","):
        media_range, *params = (p.strip() for p in part.split(";"))
        found = ranks.get(media_range.lower())
        if found is None or found < rank:
            continue
        q = next(
            (_q(v) for k, _, v in (p.partition("=") for p in params) if k.strip().lower() == "q"),
            1.0,
        )
        best, rank = (max(best, q) if found == rank else q), found
    return best


def _q(value: str) -> float:
    try:
        return min(1.0, max(0.0, float(value)))
    except ValueError:
        return 0.0


def from_environment() -> FastAPI:
    """The factory `portal serve --workers N` hands to uvicorn: settings read at start-up."""
    from portal.settings import load_settings

    return create_app(load_settings())
