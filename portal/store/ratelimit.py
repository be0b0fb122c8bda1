"""Rate-limit counters every `portal serve` process shares: in the database, or in Redis.

A storage backend for the `limits` library (its strategies, its key format): use it with
`limits.strategies.FixedWindowRateLimiter`. Each hit is one atomic upsert that returns
the new count (INSERT … ON CONFLICT DO UPDATE … RETURNING, on SQLite as on PostgreSQL),
so two processes counting the same client never lose a hit. When PORTAL_REDIS_URL is set,
`rate_limit_storage` returns limits' own Redis storage instead: a counter per request is
cheaper there than a database write.

Window times are this machine's clock (as with limits' memory storage); processes on
several machines need their clocks in step (NTP), as they do for logs.
"""

from __future__ import annotations

import itertools
import time
from typing import Any
from urllib.parse import urlsplit

from limits.storage import Storage, storage_from_string
from sqlalchemy import case, delete, literal, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.sql.dml import ReturningInsert

from portal.errors import ConfigInvalid
from portal.store.database import Store
from portal.store.models import RateLimit

# Every so many hits, this process removes counters whose window is over: a client seen
# once must not stay in the table for ever.
PURGE_EVERY = 1000
# Seconds a Redis connection or command may take: a Redis that hangs must not hold every
# heavy request with it (the limiter lets a request through when its storage fails).
REDIS_TIMEOUT = 1.0


class DatabaseStorage(Storage):
    """Fixed-window counters in the `rate_limits` table of a Store."""

    STORAGE_SCHEME = None  # made from a Store, not from a URI string

    def __init__(self, store: Store, wrap_exceptions: bool = False) -> None:
        super().__init__(None, wrap_exceptions=wrap_exceptions)
        self.store = store
        self._hits = itertools.count(1)

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        return SQLAlchemyError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Count `amount` hits of `key`; a window that is over starts again at them."""
        now = time.time()
        with self.store.engine.begin() as connection:
            count = connection.execute(self._upsert(key, now, expiry, amount)).scalar_one()
        if next(self._hits) % PURGE_EVERY == 0:
            self.purge(now)
        return int(count)

    def _upsert(self, key: str, now: float, expiry: int, amount: int) -> ReturningInsert[Any]:
        """One statement: insert the counter, or add to it (or restart its window if over)."""
        insert = postgresql.insert if self.store.dialect == "postgresql" else sqlite.insert
        new = insert(RateLimit).values(
            key=key, window_start=now, expires_at=now + expiry, count=amount
        )
        over = RateLimit.expires_at <= literal(now)
        return new.on_conflict_do_update(
            index_elements=[RateLimit.key],
            set_={
                # Every right-hand side reads the row as it was before this update.
                "count": case((over, amount), else_=RateLimit.count + amount),
                "window_start": case((over, now), else_=RateLimit.window_start),
                "expires_at": case((over, now + expiry), else_=RateLimit.expires_at),
            },
        ).returning(RateLimit.count)

    def get(self, key: str) -> int:
        """Hits of `key` in its current window (0 once the window is over)."""
        row = self._current(key)
        return int(row.count) if row is not None else 0

    def get_expiry(self, key: str) -> float:
        """When the current window of `key` ends (epoch seconds); now if there is none."""
        row = self._current(key)
        return float(row.expires_at) if row is not None else time.time()

    def check(self) -> bool:
        try:
            with self.store.engine.connect() as connection:
                connection.execute(select(literal(1))).scalar_one()
        except SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        with self.store.engine.begin() as connection:
            return connection.execute(delete(RateLimit)).rowcount

    def clear(self, key: str) -> None:
        with self.store.engine.begin() as connection:
            connection.execute(delete(RateLimit).where(RateLimit.key == key))

    def purge(self, now: float | None = None) -> int:
        """Remove the counters whose window is over; how many were removed."""
        moment = time.time() if now is None else now
        with self.store.engine.begin() as connection:
            return connection.execute(
                delete(RateLimit).where(RateLimit.expires_at <= moment)
            ).rowcount

    def _current(self, key: str) -> Any:
        query = select(RateLimit.count, RateLimit.expires_at).where(
            RateLimit.key == key, RateLimit.expires_at > time.time()
        )
        with self.store.engine.connect() as connection:
            return connection.execute(query).first()


def rate_limit_storage(database: str | Store, redis_url: str | None = None) -> Storage:
    """Where the counters live: Redis when `redis_url` is given (limits' own storage, by its
    scheme: redis://, rediss://, redis+sentinel://, redis+cluster://), else the database
    (a URL, or an open Store to share its connections). Either raises limits' StorageError
    when it fails, whatever the driver's own error: the one error a caller has to handle."""
    if redis_url:
        try:
            storage = storage_from_string(
                redis_url,
                wrap_exceptions=True,
                socket_timeout=REDIS_TIMEOUT,
                socket_connect_timeout=REDIS_TIMEOUT,
            )
        except Exception:  # limits raises ConfigurationError, redis its own: all mean this
            storage = None
        if not isinstance(storage, Storage):  # an async+ scheme would not serve a sync app
            scheme = urlsplit(redis_url).scheme or "(none)"  # not the rest: it may hold a password
            raise ConfigInvalid(
                detail=f"PORTAL_REDIS_URL: '{scheme}://…' is not a Redis URL such as"
                " redis://127.0.0.1:6379/0"
            )
        return storage
    store = database if isinstance(database, Store) else Store.open(database)
    return DatabaseStorage(store, wrap_exceptions=True)
