"""Rate-limit counters shared by every process: two Stores on one database (two `portal serve`)
count one client together; Redis instead when PORTAL_REDIS_URL is set."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator

import pytest
from limits import RateLimitItemPerMinute, RateLimitItemPerSecond
from limits.errors import StorageError
from limits.storage import RedisStorage
from limits.strategies import FixedWindowRateLimiter
from sqlalchemy import text

from portal.errors import ConfigInvalid
from portal.store import Store
from portal.store.ratelimit import DatabaseStorage, rate_limit_storage
from tests.api.conftest import free_port


@pytest.fixture
def two_processes(store: Store, database_url: str) -> Iterator[tuple[Store, Store]]:
    store.ensure_current()
    other = Store.open(database_url)
    try:
        yield store, other
    finally:
        other.close()


def limiters(stores: tuple[Store, Store]) -> list[FixedWindowRateLimiter]:
    return [FixedWindowRateLimiter(rate_limit_storage(s)) for s in stores]


def test_two_stores_on_one_database_share_the_count(two_processes: tuple[Store, Store]) -> None:
    first, second = limiters(two_processes)
    limit = RateLimitItemPerMinute(5)
    answers = [(first if i % 2 else second).hit(limit, "ip:192.0.2.1") for i in range(6)]
    assert answers == [True] * 5 + [False]
    assert first.get_window_stats(limit, "ip:192.0.2.1").remaining == 0
    assert second.hit(limit, "ip:198.51.100.7")  # another client has its own count
    assert not first.test(limit, "ip:192.0.2.1")


def test_concurrent_hits_are_all_counted(two_processes: tuple[Store, Store]) -> None:
    first, second = limiters(two_processes)
    limit = RateLimitItemPerMinute(10_000)
    per_thread, threads = 25, 4

    def hammer(limiter: FixedWindowRateLimiter) -> None:
        for _ in range(per_thread):
            limiter.hit(limit, "ip:203.0.113.9")

    workers = [threading.Thread(target=hammer, args=(lim,)) for lim in (first, second) * threads]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=120)
    remaining = first.get_window_stats(limit, "ip:203.0.113.9").remaining
    assert remaining == 10_000 - per_thread * threads * 2


def test_a_window_that_is_over_starts_again(two_processes: tuple[Store, Store]) -> None:
    first, second = limiters(two_processes)
    limit = RateLimitItemPerSecond(2, 1)
    assert first.hit(limit, "c") and second.hit(limit, "c") and not first.hit(limit, "c")
    reset_at = first.get_window_stats(limit, "c").reset_time
    time.sleep(max(0.0, reset_at - time.time()) + 0.05)
    assert second.hit(limit, "c")
    assert first.get_window_stats(limit, "c").remaining == 1


def test_over_windows_are_purged_and_reset_clears(two_processes: tuple[Store, Store]) -> None:
    storage = DatabaseStorage(two_processes[0])
    storage.incr("gone", expiry=1)
    storage.incr("kept", expiry=60)
    assert storage.purge(now=time.time() + 2) == 1
    assert storage.get("gone") == 0 and storage.get("kept") == 1
    assert storage.check()
    storage.clear("kept")
    assert storage.get("kept") == 0
    storage.incr("again", expiry=60)
    assert storage.reset() == 1


def test_redis_is_used_when_a_url_is_configured(redis_url: str) -> None:
    storages = [rate_limit_storage("sqlite:///unused.db", redis_url) for _ in range(2)]
    assert all(isinstance(s, RedisStorage) for s in storages)
    first, second = (FixedWindowRateLimiter(s) for s in storages)
    limit, client = RateLimitItemPerMinute(2), f"ip:test-{uuid.uuid4().hex}"
    try:
        assert [first.hit(limit, client), second.hit(limit, client), first.hit(limit, client)] == [
            True,
            True,
            False,
        ]
    finally:
        first.clear(limit, client)


def test_a_redis_url_that_is_not_one_is_a_config_error() -> None:
    with pytest.raises(ConfigInvalid) as caught:
        rate_limit_storage("sqlite:///unused.db", "http://user:secret@cache.example:6379")
    assert "PORTAL_REDIS_URL" in caught.value.message_en
    assert "redis://" in caught.value.message_en and "secret" not in caught.value.message_en


def test_a_storage_that_fails_raises_limits_storage_error(
    two_processes: tuple[Store, Store],
) -> None:
    """Whatever the driver's error, the one a caller (the limiter, failing open) handles."""
    storage = rate_limit_storage(two_processes[0])
    with two_processes[0].engine.begin() as connection:
        connection.execute(text("DROP TABLE rate_limits"))
    with pytest.raises(StorageError):
        FixedWindowRateLimiter(storage).hit(RateLimitItemPerMinute(5), "ip:192.0.2.1")
    nobody = rate_limit_storage("sqlite:///unused.db", f"redis://127.0.0.1:{free_port()}/0")
    with pytest.raises(StorageError):
        FixedWindowRateLimiter(nobody).hit(RateLimitItemPerMinute(5), "ip:192.0.2.1")
