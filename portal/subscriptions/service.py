"""Subscriptions as a library: subscriber keys (issued by the portal's admin), webhooks per
dataset or standard, their delivery history. The API and `portal subscriptions` are thin
layers over `Subscriptions`.

Who may subscribe: the holder of a subscriber key (`Authorization: Bearer ps_…`). Keys are
the portal's own, not accounts' tokens: a civic-tech group is no member of a municipality,
and a key reaches every public dataset, nothing else. A key sees and deletes only its own
subscriptions (another key's is a 404: its existence is not told)."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import urlsplit

from sqlalchemy import func, select

from portal.connectors.http import Outbound, OutboundHostRefused
from portal.settings import Settings
from portal.store import Store
from portal.subscriptions.errors import (
    SubscriberKeyInvalid,
    SubscriberKeyNameInvalid,
    SubscriberKeyUnknown,
    SubscriptionNotFound,
    WebhookUrlInvalid,
)
from portal.subscriptions.models import Delivery, SubscriberKey, Subscription
from portal.subscriptions.signing import new_secret

KEY_PREFIX = "ps_"  # tells a subscriber key apart from an account's token (pt_)
KEY_BYTES = 32
KEY_SHOWN = 11  # "ps_" and 8 characters: what a listing shows
MAX_KEY_NAME = 100
MAX_URL_LENGTH = 2000
HISTORY_LIMIT = 100  # deliveries answered, newest first
Scope = Literal["dataset", "standard"]


def key_hash(key: str) -> str:
    """A key has 256 random bits: a fast hash is enough, and a stolen table signs nothing in."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Subscriber:
    """Who a request's key belongs to."""

    key_id: int
    name: str


def view(subscription: Subscription) -> dict[str, Any]:
    """A subscription as its owner sees it: never the secret."""
    return {
        "id": subscription.id,
        subscription.scope: subscription.target,
        "url": subscription.url,
        "enabled": subscription.enabled,
        "consecutive_failures": subscription.failures,
        "disabled_at": _when(subscription.disabled_at),
        "created": _when(subscription.created),
    }


def delivery_view(delivery: Delivery) -> dict[str, Any]:
    return {"at": _when(delivery.at), "dataset": delivery.dataset, "version": delivery.version,
            "attempt": delivery.attempt, "ok": delivery.ok, "status_code": delivery.status_code,
            "error": delivery.error}  # fmt: skip


def _when(at: datetime | None) -> str | None:
    return at.astimezone(UTC).isoformat(timespec="seconds") if at else None


class Subscriptions:
    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings

    # Keys (the admin's)

    def issue_key(self, name: str) -> str:
        """A new key for `name`: answered once, only its hash is kept."""
        if not name.strip() or len(name) > MAX_KEY_NAME:
            raise SubscriberKeyNameInvalid(name=name)
        key = KEY_PREFIX + secrets.token_urlsafe(KEY_BYTES)
        with self.store.writing() as session:
            session.add(SubscriberKey(name=name.strip(), prefix=key[:KEY_SHOWN],
                                      key_hash=key_hash(key), created=_now(), revoked=None))  # fmt: skip
        return key

    def keys(self) -> list[tuple[str, str, datetime]]:
        """(prefix, name, created) of every key in use."""
        with self.store.sessions() as session:
            found = session.scalars(select(SubscriberKey).where(SubscriberKey.revoked.is_(None))
                                    .order_by(SubscriberKey.id))  # fmt: skip
            return [(k.prefix, k.name, k.created) for k in found]

    def revoke_key(self, prefix: str) -> None:
        """The key stops working; its subscriptions stop being delivered."""
        with self.store.writing() as session:
            found = session.scalars(select(SubscriberKey).where(
                SubscriberKey.prefix == prefix, SubscriberKey.revoked.is_(None))).all()  # fmt: skip
            if len(found) != 1:
                raise SubscriberKeyUnknown(prefix=prefix)
            found[0].revoked = _now()
            for subscription in session.scalars(
                select(Subscription).where(Subscription.key_id == found[0].id)
            ):
                subscription.enabled, subscription.disabled_at = False, _now()

    def subscriber(self, key: str) -> Subscriber:
        """The key's holder (SubscriberKeyInvalid when unknown or revoked)."""
        with self.store.sessions() as session:
            found = session.scalars(select(SubscriberKey).where(
                SubscriberKey.key_hash == key_hash(key), SubscriberKey.revoked.is_(None))).first()  # fmt: skip
            if found is None:
                raise SubscriberKeyInvalid()
            return Subscriber(found.id, found.name)

    # Subscriptions (the subscriber's)

    def add(self, who: Subscriber, scope: Scope, target: str, url: str,
            portal_url: str) -> tuple[dict[str, Any], str]:  # fmt: skip
        """A new subscription and its secret (answered once)."""
        self.check_url(url)
        secret = new_secret()
        row = Subscription(id=uuid.uuid4().hex, key_id=who.key_id, scope=scope, target=target,
                           url=url, secret=secret, portal_url=portal_url.rstrip("/"),
                           enabled=True, failures=0, disabled_at=None, created=_now())  # fmt: skip
        with self.store.writing() as session:
            session.add(row)
            session.flush()
            return view(row), secret

    def of(self, who: Subscriber) -> list[dict[str, Any]]:
        with self.store.sessions() as session:
            found = session.scalars(select(Subscription).where(Subscription.key_id == who.key_id)
                                    .order_by(Subscription.created))  # fmt: skip
            return [view(s) for s in found]

    def delete(self, who: Subscriber, subscription_id: str) -> None:
        with self.store.writing() as session:
            session.delete(_own(session, who, subscription_id))

    def deliveries(self, who: Subscriber, subscription_id: str) -> list[dict[str, Any]]:
        with self.store.sessions() as session:
            _own(session, who, subscription_id)
            found = session.scalars(select(Delivery)
                                    .where(Delivery.subscription_id == subscription_id)
                                    .order_by(Delivery.at.desc(), Delivery.id.desc())
                                    .limit(HISTORY_LIMIT))  # fmt: skip
            return [delivery_view(d) for d in found]

    def attempts(self, subscription_id: str, dataset: str, version: int) -> int:
        with self.store.sessions() as session:
            counted = session.scalar(select(func.count()).select_from(Delivery).where(
                Delivery.subscription_id == subscription_id, Delivery.dataset == dataset,
                Delivery.version == version))  # fmt: skip
            return int(counted or 0)

    def check_url(self, url: str) -> None:
        """A webhook the portal may call: http(s) with a host, no credentials in it, https on
        a public host unless PORTAL_SUBSCRIPTIONS_ALLOW_PRIVATE."""
        allow_private = self.settings.subscriptions_allow_private
        try:
            parts = urlsplit(url)
            parts.port  # noqa: B018  # a port that is no number raises here
        except ValueError:
            raise _bad_url(url, "it is not a URL", "URL として読めません") from None
        if len(url) > MAX_URL_LENGTH:
            raise _bad_url(url[:80] + "…", f"it is over {MAX_URL_LENGTH} characters",
                           f"{MAX_URL_LENGTH} 文字を超えています")  # fmt: skip
        schemes = ("http", "https") if allow_private else ("https",)
        if parts.scheme not in schemes or not parts.hostname:
            raise _bad_url(url, "it must be an https URL with a host",
                           "ホスト名を含む https の URL である必要があります")  # fmt: skip
        if parts.username or parts.password:
            raise _bad_url(url, "it must not hold a user name or password",
                           "ユーザー名やパスワードを含めないでください")  # fmt: skip
        try:
            Outbound.for_subscriptions(self.settings).check_host(url)
        except OutboundHostRefused:
            raise _bad_url(url, "its host is a private, loopback or reserved address",
                           "ホストがプライベート・ループバック等のアドレスです") from None  # fmt: skip


def _bad_url(url: str, why_en: str, why_ja: str) -> WebhookUrlInvalid:
    return WebhookUrlInvalid(url=url, why_en=why_en, why_ja=why_ja)


def _own(session: Any, who: Subscriber, subscription_id: str) -> Subscription:
    found = session.get(Subscription, subscription_id)
    if found is None or found.key_id != who.key_id:
        raise SubscriptionNotFound(id=subscription_id)
    assert isinstance(found, Subscription)
    return found


def _now() -> datetime:
    return datetime.now(UTC)
