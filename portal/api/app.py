"""`create_app(settings)`: the FastAPI facade — catalogue and data API, compatibility
routes (CKAN Action API, BODIK WAPI, DCAT), files and the public pages."""

from __future__ import annotations

from importlib import resources

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline

from portal import __version__
from portal.api import errors
from portal.api.routes import catalogue, ckan_compat, data, dcat, wapi
from portal.api.services import Services
from portal.settings import Settings

DESCRIPTION = """Open data of Japanese municipalities in the layout of the Digital Agency's
自治体標準オープンデータセット. `/api/v1` is this portal's own API; `/api/3/action` answers as
CKAN's read-only Action API, `/wapi` as BODIK's WAPI, `/catalog.jsonld|ttl` as DCAT.
Errors have one shape: `{"ok": false, "error": {code, status, message_en, message_ja}}`."""


def create_app(settings: Settings, services: Services | None = None) -> FastAPI:
    # FastAPIOffline serves Swagger UI's files itself: /docs works without reaching a CDN.
    app = FastAPIOffline(title="portal", version=__version__, description=DESCRIPTION,
                         docs_url="/docs", redoc_url=None)  # fmt: skip
    app.state.services = services or Services.start(settings)
    app.state.settings = settings
    app.add_middleware(GZipMiddleware, minimum_size=1000)
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET"],
                       allow_headers=["*"], expose_headers=["ETag", "Retry-After", "Link"])  # fmt: skip
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
