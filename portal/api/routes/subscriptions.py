"""/api/v1/subscriptions: change notifications for subscribers (a webhook per dataset or per
standard, with a subscriber key), their delivery history; and the Atom feeds of changes
(/datasets/{name}/feed.atom, /standards/{slug}/feed.atom), which need no key.

Every subscription route takes a subscriber key (`Authorization: Bearer ps_…`, issued by the
portal's admin with `portal subscriptions key-add`): none is 401, an account's token or
session 403 (staff accounts act for a municipality, not as subscribers), another key's
subscription 404."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from portal.accounts.http import optional_actor
from portal.api.openapi import answers, media
from portal.present import PortalDep, base
from portal.subscriptions.errors import (
    SubscriberKeyMissing,
    SubscriberKeyNeeded,
    SubscriptionTargetMissing,
)
from portal.subscriptions.feeds import ATOM_TYPE, dataset_feed, standard_feed
from portal.subscriptions.service import KEY_PREFIX, Subscriber, Subscriptions
from portal.subscriptions.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER

router = APIRouter(prefix="/api/v1", tags=["subscriptions"])
feeds = APIRouter(tags=["feeds"])
SIGNING = {"header": SIGNATURE_HEADER, "timestamp_header": TIMESTAMP_HEADER,
           "algorithm": "HMAC-SHA256 of `<timestamp>.<body>` with the secret, hex: sha256=<hex>"}  # fmt: skip


def subscriptions_of(svc: PortalDep) -> Subscriptions:
    return Subscriptions(svc.store, svc.settings)


def subscriber(request: Request, svc: PortalDep) -> Subscriber:
    """The holder of the request's subscriber key (401 without one, 403 for an account)."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip().startswith(KEY_PREFIX):
        return subscriptions_of(svc).subscriber(token.strip())
    actor = optional_actor(request)  # an account's token (401 when not valid) or session
    if actor is not None:
        raise SubscriberKeyNeeded(name=actor.name)
    raise SubscriberKeyMissing()


SubscriberDep = Annotated[Subscriber, Depends(subscriber)]


class SubscribeBody(BaseModel):
    # No schema example: the fuzz test generates bodies (schemathesis refuses both).
    model_config = ConfigDict(extra="forbid")
    dataset: str | None = Field(default=None, max_length=200, description="A dataset's name.")
    standard: str | None = Field(default=None, max_length=100, description="A standard's slug.")
    url: str = Field(
        max_length=2000,
        description="The webhook: https on a public host, e.g. https://hooks.example.org/portal.",
    )


@router.post(
    "/subscriptions",
    summary="Subscribe a webhook to a dataset's or a standard's new versions (a subscriber key)",
    operation_id="subscription_add",
    status_code=201,
    responses=answers(400, 401, 403, 404),
)
def add(body: SubscribeBody, request: Request, svc: PortalDep,
        who: SubscriberDep) -> dict[str, Any]:  # fmt: skip
    if (body.dataset is None) == (body.standard is None):
        raise SubscriptionTargetMissing()
    if body.dataset is not None:
        svc.package(body.dataset)  # 404 for a dataset the public cannot see
        scope, target = "dataset", body.dataset
    else:
        assert body.standard is not None
        scope, target = "standard", svc.registry.get(body.standard).slug  # 404 when unknown
    made, secret = subscriptions_of(svc).add(who, scope, target, body.url, base(request))  # type: ignore[arg-type]
    return {"ok": True, "subscription": made, "secret": secret, "signing": SIGNING}


@router.get(
    "/subscriptions",
    summary="The subscriptions of the request's subscriber key",
    operation_id="subscription_list",
    responses=answers(401, 403),
)
def listing(svc: PortalDep, who: SubscriberDep) -> dict[str, Any]:
    return {"ok": True, "subscriptions": subscriptions_of(svc).of(who)}


@router.delete(
    "/subscriptions/{subscription_id}",
    summary="Delete one of the key's subscriptions",
    operation_id="subscription_delete",
    responses=answers(401, 403, 404),
)
def delete(subscription_id: str, svc: PortalDep, who: SubscriberDep) -> dict[str, Any]:
    subscriptions_of(svc).delete(who, subscription_id)
    return {"ok": True, "deleted": subscription_id}


@router.get(
    "/subscriptions/{subscription_id}/deliveries",
    summary="The delivery history of one of the key's subscriptions, newest first",
    operation_id="subscription_deliveries",
    responses=answers(401, 403, 404),
)
def deliveries(subscription_id: str, svc: PortalDep, who: SubscriberDep) -> dict[str, Any]:
    return {"ok": True, "deliveries": subscriptions_of(svc).deliveries(who, subscription_id)}


@feeds.get(
    "/datasets/{name}/feed.atom",
    summary="Atom feed of the dataset's versions",
    operation_id="dataset_feed",
    response_class=Response,
    responses={200: {"content": media(ATOM_TYPE)}, **answers(404)},
)
def dataset_atom(name: str, request: Request, svc: PortalDep) -> Response:
    return Response(dataset_feed(svc, name, base(request)), media_type=ATOM_TYPE)


@feeds.get(
    "/standards/{slug}/feed.atom",
    summary="Atom feed of the versions of every published dataset of a standard",
    operation_id="standard_feed",
    response_class=Response,
    responses={200: {"content": media(ATOM_TYPE)}, **answers(404)},
)
def standard_atom(slug: str, request: Request, svc: PortalDep) -> Response:
    return Response(standard_feed(svc, slug, base(request)), media_type=ATOM_TYPE)
