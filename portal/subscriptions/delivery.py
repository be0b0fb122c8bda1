"""Delivering notices: after each publish that records a version, one job per matching
subscription (kind `subscription-delivery`, idempotent per (subscription, dataset, version));
the job signs the notice and POSTs it through `Outbound.for_subscriptions`. Each attempt is
kept in the delivery history; a failed one is tried again with exponential backoff (the
queue's), and a subscription whose deliveries failed DISABLE_AFTER_FAILURES times in a row is
disabled (no more attempts, none for later versions)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import or_, select

from portal.catalogue.meta import PortalMeta
from portal.catalogue.versions import versions
from portal.connectors.http import Outbound
from portal.errors import PortalError
from portal.subscriptions.errors import SubscriptionDisabled
from portal.subscriptions.models import Delivery, Subscription
from portal.subscriptions.notice import body_of, notice
from portal.subscriptions.service import Subscriptions
from portal.subscriptions.signing import signed_headers

if TYPE_CHECKING:
    from portal.catalogue.publish import Published
    from portal.composition import Portal
    from portal.jobs import Jobs

log = logging.getLogger(__name__)

DELIVERY_KIND = "subscription-delivery"
DISABLE_AFTER_FAILURES = 5  # failed attempts in a row, across versions
DELIVERY_RETRIES = DISABLE_AFTER_FAILURES - 1  # so one notice's attempts can reach it
DELIVERY_BACKOFF_SECONDS = 30.0  # then 60, 120, 240 (the queue doubles it)
DELIVERY_TIMEOUT_SECONDS = 10.0
ANSWER_MAX_BYTES = 64 * 1024  # a subscriber's answer is not used: read little of it
EVENT_HEADER, DELIVERY_HEADER = "X-Portal-Event", "X-Portal-Delivery"


def register_jobs(jobs: Jobs, *, backoff_seconds: float = DELIVERY_BACKOFF_SECONDS) -> None:
    jobs.register(DELIVERY_KIND, deliver, retries=DELIVERY_RETRIES,
                  backoff_seconds=backoff_seconds)  # fmt: skip


def watch(portal: Portal) -> None:
    """Notify subscribers after each publish to this portal's catalogue."""

    def notify(published: Published) -> None:
        enqueue_notices(portal, published)

    portal.on_published(notify)


def enqueue_notices(portal: Portal, published: Published) -> int:
    """One delivery job per enabled subscription to the dataset or its standard; how many."""
    package = published.announced
    if package is None:
        return 0
    name, number = published.plan.name, published.version
    slug = PortalMeta.from_package(package).standard
    wanted = [(Subscription.scope == "dataset") & (Subscription.target == name)]
    if slug:
        wanted.append((Subscription.scope == "standard") & (Subscription.target == slug))
    with portal.store.sessions() as session:
        found = session.scalars(select(Subscription.id).where(
            Subscription.enabled.is_(True), or_(*wanted))).all()  # fmt: skip
    for subscription_id in found:
        portal.jobs.enqueue(DELIVERY_KIND,
                            {"subscription": subscription_id, "dataset": name, "version": number},
                            key=f"{subscription_id}:{name}@{number}")  # fmt: skip
    return len(found)


def deliver(portal: Portal, payload: dict[str, Any]) -> dict[str, Any]:
    """One attempt to deliver a notice (the job's handler; idempotent: a notice delivered
    once is not sent again)."""
    subscription_id, name, number = payload["subscription"], payload["dataset"], payload["version"]
    with portal.store.sessions() as session:
        subscription = session.get(Subscription, subscription_id)
        done = session.scalars(select(Delivery.id).where(
            Delivery.subscription_id == subscription_id, Delivery.dataset == name,
            Delivery.version == number, Delivery.ok.is_(True))).first()  # fmt: skip
    if subscription is None or not subscription.enabled:
        return {"skipped": "deleted" if subscription is None else "disabled"}
    if done is not None:
        return {"skipped": "delivered"}
    package = portal.package(name)
    body = body_of(notice(subscription.id, package, versions(portal.store, name), number,
                          portal.versions_dir, subscription.portal_url))  # fmt: skip
    headers = {"Content-Type": "application/json; charset=utf-8", EVENT_HEADER: "dataset.version",
               DELIVERY_HEADER: f"{subscription.id}:{name}@{number}",
               **signed_headers(subscription.secret, body)}  # fmt: skip
    outbound = Outbound.for_subscriptions(portal.settings, retries=0,  # the queue retries
                                          timeout=DELIVERY_TIMEOUT_SECONDS,
                                          max_bytes=ANSWER_MAX_BYTES)  # fmt: skip
    try:
        answer = outbound.send("POST", subscription.url, content=body, headers=headers)
    except PortalError as exc:
        _failed(portal, subscription_id, name, number, exc)
        raise
    _record(portal, subscription_id, name, number, ok=True, status=answer.status, error=None)
    return {"delivered": True, "status_code": answer.status}


def _failed(portal: Portal, subscription_id: str, name: str, number: int,
            exc: PortalError) -> None:  # fmt: skip
    status = exc.params.get("response_status")
    error = f"{exc.code}: {exc.message_en}"
    failures = _record(portal, subscription_id, name, number, ok=False,
                       status=status if isinstance(status, int) else None, error=error)  # fmt: skip
    if failures >= DISABLE_AFTER_FAILURES:
        log.warning("subscription %s disabled after %d failed deliveries", subscription_id,
                    failures)  # fmt: skip
        raise SubscriptionDisabled(id=subscription_id, failures=failures) from exc


def _record(portal: Portal, subscription_id: str, name: str, number: int, *, ok: bool,
            status: int | None, error: str | None) -> int:  # fmt: skip
    """Keep the attempt; the subscription's failures in a row after it (disabled at N)."""
    attempt = (
        Subscriptions(portal.store, portal.settings).attempts(subscription_id, name, number) + 1
    )
    now = datetime.now(UTC)
    with portal.store.writing() as session:
        session.add(Delivery(subscription_id=subscription_id, dataset=name, version=number,
                             attempt=attempt, at=now, ok=ok, status_code=status, error=error))  # fmt: skip
        subscription = session.get(Subscription, subscription_id)
        if subscription is None:
            return 0
        subscription.failures = 0 if ok else subscription.failures + 1
        if subscription.failures >= DISABLE_AFTER_FAILURES:
            subscription.enabled, subscription.disabled_at = False, now
        return subscription.failures
