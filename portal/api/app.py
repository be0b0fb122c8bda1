"""`create_app(settings)`: the FastAPI facade — catalogue and data API, compatibility
routes (CKAN Action API, BODIK WAPI, DCAT), files and the public pages."""

from __future__ import annotations

from importlib import resources

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from portal import __version__
from portal.api import errors
from portal.api.limits import BodyLimit
from portal.api.middleware import HeadAsGet, SecurityHeaders
from portal.api.openapi import documented
from portal.api.routes import catalogue, ckan_compat, data, dcat, wapi
from portal.api.services import Services
from portal.settings import Settings

DESCRIPTION = """Open data of Japanese municipalities in the layout of the Digital Agency's
自治体標準オープンデータセット. `/api/v1` is this portal's own API; `/api/3/action` answers as
CKAN's read-only Action API, `/wapi` as BODIK's WAPI, `/catalog.jsonld|ttl` as DCAT.
Errors have one shape: `{"ok": false, "error": {code, status, message_en, message_ja}}`."""


def create_app(settings: Settings, services: Services | None = None) -> FastAPI:
    app = application(settings)
    app.state.services = services or Services.start(settings)
    return app


def application(settings: Settings) -> FastAPI:
    """The routes and middleware, without opening any store: enough for the OpenAPI document."""
    # FastAPIOffline serves Swagger UI's files itself: /docs works without reaching a CDN.
    app = FastAPIOffline(title="portal", version=__version__, description=DESCRIPTION,
                         docs_url="/docs", redoc_url=None)  # fmt: skip
    app.state.settings = settings
    app.openapi = lambda: documented(app)  # type: ignore[method-assign]
    # Added innermost first: a request meets the proxy headers, the security headers, HEAD,
    # the body limit, CORS and gzip in that order.
    app.add_middleware(GZipMiddleware, minimum_size=1000)
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET"],
                       allow_headers=["*"], expose_headers=["ETag", "Retry-After", "Link"])  # fmt: skip
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes, refuse=errors.too_large)
    app.add_middleware(HeadAsGet)
    app.add_middleware(SecurityHeaders)
    if settings.trusted_proxies:
        # X-Forwarded-For names the client (for the rate limits) only when the connection
        # comes from a proxy named here; `portal serve` turns uvicorn's own handling off.
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies)
    errors.install(app)
    for router in (catalogue.router, data.router, data.files, wapi.router,
                   ckan_compat.router, dcat.router):  # fmt: skip
        app.include_router(router)
    from portal.web.pages import router as pages

    app.include_router(pages)
    static = resources.files("portal.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    return app


def from_environment() -> FastAPI:
    """The factory `portal serve --workers N` hands to uvicorn: settings read at start-up."""
    from portal.settings import load_settings

    return create_app(load_settings())
