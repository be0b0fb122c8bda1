"""What the signed-in pages of the upload flow share (portal/web/uploads.py, upload_steps.py,
history.py): their words (uploads.yaml) beside the public pages' ones, every form's CSRF
field, a PortalError shown on the page it came from, and slow library calls kept off the
event loop."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, ParamSpec, TypeVar

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from portal.accounts.http import csrf_field, keep_pre_session
from portal.accounts.login import SHOWN_ZONE
from portal.errors import PortalError
from portal.web.pages import language, render
from portal.web.words import Words

P = ParamSpec("P")
T = TypeVar("T")


def when(moment: datetime | str | None) -> str:
    """A moment as the clerks read it: Japan's time, to the minute."""
    if moment is None:
        return ""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment.astimezone(SHOWN_ZONE).strftime("%Y-%m-%d %H:%M")


def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    response = render(request, template, status, u=Words(language(request), "portal.web", "uploads.yaml"), when=when,
                      csrf_field=csrf_field(request), **context)  # fmt: skip
    keep_pre_session(request, response)
    return response


def problem_of(exc: PortalError) -> dict[str, Any]:
    """A refusal as the page shows it, above the form that caused it, in both languages."""
    told = exc.to_dict()
    fields = getattr(exc, "fields", [])  # MetadataInvalid names the fields that are wrong
    return {"code": exc.code, "ja": told["message_ja"], "en": told["message_en"],
            "hint_ja": told.get("hint_ja", ""), "hint_en": told.get("hint_en", ""),
            "fields": list(fields)}  # fmt: skip


def to(path: str) -> RedirectResponse:
    """After a form's change: the page to look at next (POST, redirect, GET)."""
    return RedirectResponse(path, 303)


async def call(work: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """A library call that converts or publishes (seconds), in a worker thread."""
    return await run_in_threadpool(work, *args, **kwargs)


def text(form: FormData, key: str) -> str:
    value = form.get(key)
    return value.strip() if isinstance(value, str) else ""
