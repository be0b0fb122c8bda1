"""The actor of a request, for routes and pages; the session cookie; CSRF on forms.

    def route(..., actor: ActorDep) -> …:            # API: a token or a session; 401 anonymous
        actor.require("editor", org, "upload")

    def form_route(..., actor: FormActorDep) -> …:   # a browser form: the CSRF token checked too

`optional_actor` answers from `Authorization: Bearer <token>` (scripts) or the session cookie
(browsers); a Bearer token that is unknown, revoked or of a disabled account is a 401
`token-invalid`, never a citizen. Pages that show more to a signed-in user but also serve
citizens take `OptionalActorDep`.

CSRF: every form carries `csrf_field(request)` (a hidden `csrf_token`), an HMAC of the
browser's session id — or, before signing in, of a random cookie the sign-in page sets —
under the portal's secret (PORTAL_SECRET_KEY, else one kept in the database that every
server shares). Requests with a Bearer token carry no cookie a third-party site could ride
on, so they need no CSRF token. This module imports neither portal.api nor portal.web.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Annotated

from fastapi import Depends, Request, Response
from markupsafe import Markup, escape

from portal.accounts.auth import Actor, NotAuthenticated
from portal.accounts.errors import CsrfFailed, TokenInvalid
from portal.accounts.login import SESSION_LIFETIME, session_actor, shared_secret, token_actor
from portal.store import Store

SESSION_COOKIE = "portal_session"
CSRF_COOKIE = "portal_csrf"  # binds the sign-in form's token while there is no session yet
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"  # the same token, for a page's own script
SECRET_NAME = "csrf"
PRE_SESSION_BYTES = 16


def _store(request: Request) -> Store:
    store: Store = request.app.state.portal.store
    return store


def optional_actor(request: Request) -> Actor | None:
    """The signed-in user or token's user; None for a citizen."""
    if hasattr(request.state, "actor"):  # resolved once per request
        found: Actor | None = request.state.actor
        return found
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    actor: Actor | None = None
    request.state.by_token = scheme.lower() == "bearer"
    if request.state.by_token:
        if not token.strip():
            raise TokenInvalid()
        actor = token_actor(_store(request), token.strip())
    elif session_id := request.cookies.get(SESSION_COOKIE):
        actor = session_actor(_store(request), session_id)
    request.state.actor = actor
    return actor


def current_actor(request: Request) -> Actor:
    found = optional_actor(request)
    if found is None:
        raise NotAuthenticated()
    return found


async def form_actor(request: Request, actor: Annotated[Actor, Depends(current_actor)]) -> Actor:
    """The actor of a form post: signed in (401 first), then the form's CSRF token checked
    (403 `csrf-failed`); a Bearer token's request needs none."""
    if not request.state.by_token:
        await check_csrf(request)
    return actor


async def check_csrf(request: Request) -> None:
    """Refuse (403 csrf-failed) a form whose `csrf_token` (or X-CSRF-Token header) is not
    this browser's."""
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and _is_form(request):
        value = (await request.form()).get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    expected = _expected(request, _binding(request))
    if not sent or expected is None or not hmac.compare_digest(sent, expected):
        raise CsrfFailed()


def csrf_token(request: Request) -> str:
    """The token this browser's forms carry. Before signing in it is bound to a random
    cookie: call `keep_pre_session(request, response)` on the page's response."""
    if _binding(request) is None:
        request.state.pre_session = secrets.token_urlsafe(PRE_SESSION_BYTES)
    token = _expected(request, _binding(request))
    assert token is not None
    return token


def csrf_field(request: Request) -> Markup:
    """The hidden input every form of a page includes: `{{ csrf_field }}`."""
    return Markup('<input type="hidden" name="{}" value="{}">').format(
        CSRF_FIELD, escape(csrf_token(request))
    )


def keep_pre_session(request: Request, response: Response) -> None:
    """Set the cookie a sign-in form's CSRF token is bound to, if the page made one."""
    made = getattr(request.state, "pre_session", None)
    if made:
        response.set_cookie(CSRF_COOKIE, made, httponly=True, samesite="lax",
                            secure=secure(request), path="/")  # fmt: skip


def set_session_cookie(request: Request, response: Response, session_id: str) -> None:
    response.set_cookie(SESSION_COOKIE, session_id, max_age=int(SESSION_LIFETIME.total_seconds()),
                        httponly=True, samesite="lax", secure=secure(request), path="/")  # fmt: skip


def clear_session_cookie(request: Request, response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, httponly=True, samesite="lax",
                           secure=secure(request), path="/")  # fmt: skip


def secure(request: Request) -> bool:
    """HTTPS as the client sees it: behind a trusted proxy, its X-Forwarded-Proto."""
    return request.url.scheme == "https"


def _binding(request: Request) -> str | None:
    """What a CSRF token is bound to: the session, else the pre-session cookie."""
    session_id = request.cookies.get(SESSION_COOKIE)
    if session_id:
        return "session:" + session_id
    pre = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "pre_session", None)
    return "pre:" + pre if pre else None


def _expected(request: Request, binding: str | None) -> str | None:
    if binding is None:
        return None
    key = _secret(request).encode("utf-8")
    return hmac.new(key, binding.encode("utf-8"), hashlib.sha256).hexdigest()


def _secret(request: Request) -> str:
    state = request.app.state
    if getattr(state, "csrf_secret", None) is None:
        configured = state.settings.secret_key if hasattr(state, "settings") else None
        state.csrf_secret = configured or shared_secret(_store(request), SECRET_NAME)
    found: str = state.csrf_secret
    return found


def _is_form(request: Request) -> bool:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    return kind in ("application/x-www-form-urlencoded", "multipart/form-data")


ActorDep = Annotated[Actor, Depends(current_actor)]
OptionalActorDep = Annotated[Actor | None, Depends(optional_actor)]
FormActorDep = Annotated[Actor, Depends(form_actor)]
