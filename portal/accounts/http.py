"""The actor of a request, for routes and pages (implementation: the accounts room).

    def route(..., actor: ActorDep) -> …:
        actor.require("editor", org, "upload")

`current_actor` answers from a session cookie (browser) or `Authorization: Bearer <token>`
(scripts); anonymous: 401 not-authenticated. `optional_actor` is for pages that show more
to a signed-in user but also serve citizens.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from portal.accounts.auth import Actor, NotAuthenticated


def optional_actor(request: Request) -> Actor | None:
    """The signed-in user or token's user; None for a citizen."""
    return None  # accounts room: sessions and tokens


def current_actor(request: Request) -> Actor:
    found = optional_actor(request)
    if found is None:
        raise NotAuthenticated()
    return found


ActorDep = Annotated[Actor, Depends(current_actor)]
OptionalActorDep = Annotated[Actor | None, Depends(optional_actor)]
