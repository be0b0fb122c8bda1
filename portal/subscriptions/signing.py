"""How notices are signed, and how a subscriber checks one.

The portal sends, with each notice's JSON body:

    X-Portal-Timestamp: 1764806400            (Unix seconds when it was signed)
    X-Portal-Signature: sha256=<hex>           HMAC-SHA256(secret, timestamp + "." + body)

The secret is the one answered (once) when the subscription was made. Signing the timestamp
with the body lets a subscriber refuse a notice replayed later (`tolerance`). `verify` is what
a subscriber runs (the README shows the same in a few lines of Python)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Mapping

SIGNATURE_HEADER = "X-Portal-Signature"
TIMESTAMP_HEADER = "X-Portal-Timestamp"
SCHEME = "sha256="
SECRET_PREFIX = "whsec_"  # tells a webhook secret apart from the subscriber's key
SECRET_BYTES = 32
TOLERANCE_SECONDS = 300  # how old a notice a subscriber should still take


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(SECRET_BYTES)


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """`sha256=<hex>` of HMAC-SHA256 over `timestamp.body` with the secret."""
    mac = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, hashlib.sha256)
    return SCHEME + mac.hexdigest()


def signed_headers(secret: str, body: bytes, now: float | None = None) -> dict[str, str]:
    """The headers that sign `body` now."""
    timestamp = str(int(time.time() if now is None else now))
    return {TIMESTAMP_HEADER: timestamp, SIGNATURE_HEADER: signature(secret, timestamp, body)}


def verify(
    secret: str,
    body: bytes,
    headers: Mapping[str, str],
    *,
    now: float | None = None,
    tolerance: float = TOLERANCE_SECONDS,
) -> bool:
    """Whether `body` was signed with `secret` (constant-time) within `tolerance` seconds."""
    lowered = {k.lower(): v for k, v in headers.items()}
    timestamp = lowered.get(TIMESTAMP_HEADER.lower(), "")
    sent = lowered.get(SIGNATURE_HEADER.lower(), "")
    if not timestamp.isdigit() or not sent.startswith(SCHEME):
        return False
    moment = time.time() if now is None else now
    if abs(moment - int(timestamp)) > tolerance:
        return False
    return hmac.compare_digest(sent, signature(secret, timestamp, body))
