"""The clock every account decision reads (sign-in locks, session expiry, token use):
one function, so that a test can move time without sleeping."""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    return datetime.now(UTC)
