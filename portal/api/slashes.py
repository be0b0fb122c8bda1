"""Repeated slashes in a request's path served as one, as CKAN (Flask/Werkzeug) serves them.

ckanext-harvest joins a source URL ending in `/` with `/api/3/action/…` and asks
`//api/3/action/organization_show`; a CKAN answers it, so the portal must too — for every
route, since DCAT harvesters and scripts join URLs the same way."""

from __future__ import annotations

import re

from starlette.types import ASGIApp, Receive, Scope, Send

REPEATED = re.compile(r"/{2,}")


class MergeSlashes:
    """Pure ASGI: `//api//3/action/x` reaches the routes as `/api/3/action/x`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and "//" in scope["path"]:
            scope = dict(scope)
            scope["path"] = REPEATED.sub("/", scope["path"])
            if isinstance(scope.get("raw_path"), bytes):
                scope["raw_path"] = re.sub(rb"/{2,}", b"/", scope["raw_path"])
        await self.app(scope, receive, send)
