"""The pages of accounts: sign in (/login), sign out (POST /logout), the account's own page
(/account) and the audit log of an organization for its admins (/admin/audit).

Server-rendered like the public pages (Japanese first, the English toggle), every form with
its CSRF token. A failed sign-in says so in both languages without telling which of the name
and the password was wrong."""

from __future__ import annotations

import json
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from portal.accounts import audit
from portal.accounts.auth import ROLES, Actor, Forbidden
from portal.accounts.errors import AccountLocked, LoginFailed
from portal.accounts.http import (
    SESSION_COOKIE,
    OptionalActorDep,
    check_csrf,
    clear_session_cookie,
    csrf_field,
    keep_pre_session,
    set_session_cookie,
)
from portal.accounts.login import (
    LOCK_DURATION,
    MAX_FAILURES,
    SHOWN_ZONE,
    authenticate,
    end_session,
    session_actor,
    start_session,
)
from portal.accounts.models import AuditEntry
from portal.present import PortalDep
from portal.web.pages import in_language, language, render
from portal.web.words import Words

router = APIRouter(include_in_schema=False)
AFTER_LOGIN = "/account"
AUDIT_PAGE_SIZE = 100
MAX_AUDIT_PAGE = 1000


def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    response = render(request, template, status, a=Words(language(request), "portal.accounts", "messages.yaml"),
                      csrf_field=csrf_field(request), **context)  # fmt: skip
    keep_pre_session(request, response)
    return response


def safe_next(target: str) -> str:
    """Where to go after signing in: a path of this site only (never //host or a URL)."""
    if target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return AFTER_LOGIN


def to_login(request: Request) -> RedirectResponse:
    # In the page's language: the sign-in page of an English page is English.
    return RedirectResponse(
        in_language(f"/login?next={quote(request.url.path)}", language(request)), 303
    )


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "", signed_out: bool = False) -> HTMLResponse:
    return page(request, "login.html", next=safe_next(next) if next else "",
                signed_out=signed_out, name="", problem=None)  # fmt: skip


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request, svc: PortalDep) -> Response:
    form = await request.form()
    await check_csrf(request)
    name, password, target = (str(form.get(k) or "") for k in ("name", "password", "next"))
    try:
        user = authenticate(svc.store, name, password)
    except (LoginFailed, AccountLocked) as exc:
        failed = page(request, "login.html", exc.status, next=target, signed_out=False,
                      name=name, problem=_problem(exc))  # fmt: skip
        if isinstance(exc, AccountLocked):
            failed.headers["Retry-After"] = str(exc.params["retry_after"])
        return failed
    response = RedirectResponse(safe_next(target), 303)
    set_session_cookie(request, response, start_session(svc.store, user))
    return response


def _problem(exc: LoginFailed | AccountLocked) -> dict[str, str]:
    minutes = int(LOCK_DURATION.total_seconds() // 60)
    hint = exc.to_dict() if isinstance(exc, LoginFailed) else {}
    return {"code": exc.code, "ja": exc.message_ja, "en": exc.message_en,
            "hint_ja": hint.get("hint_ja", ""), "hint_en": hint.get("hint_en", ""),
            "minutes": str(minutes), "maximum": str(MAX_FAILURES)}  # fmt: skip


@router.post("/logout")
async def logout(request: Request, svc: PortalDep) -> Response:
    """Ends this browser's session on every server (it is deleted from the database)."""
    session_id = request.cookies.get(SESSION_COOKIE)
    if session_id and session_actor(svc.store, session_id) is not None:
        await check_csrf(request)  # an ended session has nothing left to protect
        end_session(svc.store, session_id)
    response = RedirectResponse("/login?signed_out=true", 303)
    clear_session_cookie(request, response)
    return response


@router.get("/account", response_class=HTMLResponse)
def account(request: Request, actor: OptionalActorDep) -> Response:
    if actor is None:
        return to_login(request)
    roles = sorted(actor.roles.items())
    return page(request, "account.html", actor=actor, roles=roles,
                is_admin=bool(admin_orgs(actor)))  # fmt: skip


def admin_orgs(actor: Actor) -> list[str]:
    """The organizations whose audit log `actor` may read: where they are admin, and those
    organizations' departments."""
    found = {o for o, role in actor.roles.items() if role == ROLES[-1]}
    found |= {d for d, parent in actor.parents.items() if parent in found}
    return sorted(o for o in found if actor.can("admin", o))


@router.get("/admin/audit", response_class=HTMLResponse)
def audit_page(request: Request, svc: PortalDep, actor: OptionalActorDep, org: str = "",
               limit: Annotated[int, Query(ge=1, le=MAX_AUDIT_PAGE)] = AUDIT_PAGE_SIZE) -> Response:  # fmt: skip
    if actor is None:
        return to_login(request)
    allowed = admin_orgs(actor)
    chosen = org or (allowed[0] if allowed else "")
    if chosen not in allowed:  # admin nowhere, or not of this organization
        raise Forbidden(name=actor.name, doing="read the audit log", org=chosen or "-",
                        role="admin")  # fmt: skip
    shown = [chosen, *(d for d, parent in actor.parents.items() if parent == chosen)]
    rows = [_row(e) for e in audit.entries(svc.store, orgs=shown, limit=limit)]
    return page(request, "admin_audit.html", org=chosen, orgs=allowed, rows=rows, limit=limit)


def _row(entry: AuditEntry) -> dict[str, str]:
    return {"at": entry.at.astimezone(SHOWN_ZONE).strftime("%Y-%m-%d %H:%M:%S"),
            "actor": entry.actor, "org": entry.org or "", "action": entry.action,
            "target": entry.target, "hash": entry.content_hash or "",
            "detail": json.dumps(entry.detail, ensure_ascii=False) if entry.detail else ""}  # fmt: skip
