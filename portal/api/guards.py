"""Checks every request meets before its route runs.

A NUL character (`%00`) in a path or query parameter, or `\\u0000` in a JSON body, is
refused with a 400 here, on every route: PostgreSQL cannot hold NUL in text, so a name or a
search with one would otherwise fail deep in a query as an internal error; no dataset name,
field value or search needs it.
"""

from __future__ import annotations

from fastapi import Request

from portal.errors import PortalError

NUL = "\x00"
JSON, JSON_NUL = "application/json", b"\\u0000"  # NUL as JSON writes it


class ControlCharacter(PortalError):
    code = "control-character"
    status = 400
    template_en = "{where} holds a NUL character (%00), which no name or value may contain"
    template_ja = "{where} に NUL 文字（%00）が含まれています。名前や値には使えません"
    hint_en = "remove %00 from the address"
    hint_ja = "アドレスから %00 を取り除いてください"


async def refuse_nul(request: Request) -> None:
    """A FastAPI dependency of the whole app (portal.server.application). A JSON body is
    read here once (Starlette keeps it for the route); uploads' multipart bodies are not."""
    if NUL in request.url.path or NUL in request.scope.get("path", ""):
        raise ControlCharacter(where="the path")
    for name, value in request.query_params.multi_items():
        if NUL in name or NUL in value:
            shown = name.replace(NUL, "%00")[:100]
            raise ControlCharacter(where=f"the parameter {shown}")
    if (
        request.headers.get("content-type", "").startswith(JSON)
        and JSON_NUL in await request.body()
    ):
        raise ControlCharacter(where="the JSON body")
