"""HTTP manners: a cap on request bodies, per-client rate limits on the heavy routes, and
conditional requests."""

from __future__ import annotations

import hashlib
import logging
import math
import time
from collections.abc import Callable
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime

from fastapi import Request, Response
from limits import RateLimitItem, RateLimitItemPerMinute
from limits.errors import StorageError
from limits.storage import Storage
from limits.strategies import FixedWindowRateLimiter
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from portal.errors import PortalError
from portal.submissions.errors import UploadTooLarge

log = logging.getLogger(__name__)

# The first part of every counter's key: the portal's counters apart from anything else
# that shares the database table or the Redis database.
COUNTER_NAMESPACE = "portal"
# Seconds between two warnings that the counters' storage fails (requests pass meanwhile).
STORAGE_WARNING_EVERY = 60.0
# Where a department's file is uploaded (POST): the API's, and the pages' forms under
# /uploads. Their bodies may be as large as PORTAL_MAX_UPLOAD_BYTES and the form around it.
UPLOAD_API_PATH = "/api/v1/uploads"
UPLOAD_PAGES_PREFIX = "/uploads"
MULTIPART_ALLOWANCE = 64 * 1024  # the form's other fields and the boundaries around the file


class RequestTooLarge(PortalError):
    code = "request-too-large"
    status = 413
    template_en = "the request body is larger than this portal accepts ({limit:,} bytes)"
    template_ja = "リクエスト本文が大きすぎます（上限 {limit:,} バイト）"
    hint_en = "send a smaller body; CKAN Action API calls need only a few kilobytes of JSON"
    hint_ja = "本文を小さくしてください。CKAN Action API の呼び出しは数 KB の JSON で足ります"


class BodyOverLimit(HTTPException):
    """Raised from `receive` while the body streams in. An HTTPException, because FastAPI's
    own body parsing passes those on (any other error there becomes a 400)."""

    def __init__(self, error: PortalError) -> None:
        self.error = error
        super().__init__(413, self.error.message_en)


class BodyLimit:
    """Pure ASGI: refuse a body over its limit — at once when Content-Length says so, else as
    soon as the chunks received add up to more — without buffering it first. The limit is
    `limit` (RequestTooLarge), or for an upload (UPLOAD_API_PATH, UPLOAD_PAGES_PREFIX)
    `upload_limit` and the form around the file (UploadTooLarge, naming the file's limit)."""

    def __init__(self, app: ASGIApp, limit: int, refuse: Callable[[Request, PortalError], Response],
                 upload_limit: int | None = None) -> None:  # fmt: skip
        self.app, self.limit, self.refuse = app, limit, refuse
        self.upload_limit = upload_limit

    def cap(self, scope: Scope) -> tuple[int, PortalError]:
        """The body limit of this request, and the error that refuses it."""
        path, method = scope.get("path", ""), scope.get("method", "")
        upload = method == "POST" and (
            path.rstrip("/") == UPLOAD_API_PATH
            or path == UPLOAD_PAGES_PREFIX
            or path.startswith(UPLOAD_PAGES_PREFIX + "/")
        )
        if upload and self.upload_limit is not None:
            return self.upload_limit + MULTIPART_ALLOWANCE, UploadTooLarge(self.upload_limit)
        return self.limit, RequestTooLarge(limit=self.limit)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        limit, error = self.cap(scope)
        if _declared_length(request) > limit:
            await self.refuse(request, error)(scope, receive, send)
            return
        received, started = 0, False

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:
                raise BodyOverLimit(error)
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except BodyOverLimit:
            if started:  # the route answered before reading on: nothing more to say
                raise
            await self.refuse(request, error)(scope, receive, send)


def _declared_length(request: Request) -> int:
    try:
        return int(request.headers.get("content-length", "0"))
    except ValueError:
        return 0  # unreadable: the server rejects it; the chunks are counted regardless


class RateLimited(PortalError):
    code = "rate-limited"
    status = 429
    template_en = "too many requests from this client; try again in {retry_after} s"
    template_ja = "リクエストが多すぎます。{retry_after}秒後に再試行してください"
    hint_en = "an API key (X-API-Key header) raises the limit; ask the portal's administrator"
    hint_ja = (
        "API キー（X-API-Key ヘッダ）を使うと上限が上がります。ポータル管理者にお問い合わせください"
    )


class RateLimiter:
    """Per-client request counts on the heavy routes, kept where every `portal serve` process
    sees them (portal.store.ratelimit: the database, or Redis), so that the limit holds across
    processes. limits' fixed window: `per_minute` requests in the minute that starts at a
    client's first one — one atomic counter update per request on every storage (a moving
    window would keep a row per request). A client over the limit is told to come back when
    its window ends. A storage that fails lets requests through (see `_storage_failed`)."""

    def __init__(
        self, storage: Storage, per_minute: int, keyed_per_minute: int, keys: set[str]
    ) -> None:
        self.windows = FixedWindowRateLimiter(storage)
        self.per_minute, self.keyed, self.keys = per_minute, keyed_per_minute, keys
        self.warned_at = -STORAGE_WARNING_EVERY

    def client(self, request: Request) -> tuple[str, int]:
        key = request.headers.get("x-api-key") or request.query_params.get("api_key")
        if key and key in self.keys:
            # A digest names the key's counter: the key itself never reaches the storage.
            return f"key:{hashlib.sha256(key.encode()).hexdigest()[:32]}", self.keyed
        host = request.client.host if request.client else "unknown"
        return f"ip:{host}", self.per_minute

    def take(self, request: Request) -> None:
        who, per_minute = self.client(request)
        if per_minute <= 0:
            return  # 0 turns limiting off
        item = RateLimitItemPerMinute(per_minute, namespace=COUNTER_NAMESPACE)
        try:
            allowed = self.windows.hit(item, who)
        except StorageError as exc:
            self._storage_failed(exc)
            return
        if not allowed:
            raise RateLimited(retry_after=self._retry_after(item, who))

    def _retry_after(self, item: RateLimitItem, who: str) -> int:
        """Whole seconds until the client's window ends (at least 1)."""
        try:
            ends = self.windows.get_window_stats(item, who).reset_time
        except StorageError as exc:
            self._storage_failed(exc)
            return item.get_expiry()  # the longest a window can still last
        return max(1, math.ceil(ends - time.time()))

    def _storage_failed(self, exc: StorageError) -> None:
        """Fail open: a rate limiter whose counters cannot be reached must not take the data
        API down with it (a 500 for every heavy request). Logged, once a minute at most,
        so that an outage is seen without one line per request."""
        now = time.monotonic()
        if now - self.warned_at >= STORAGE_WARNING_EVERY:
            self.warned_at = now
            log.warning(
                "rate limits not enforced: their counters cannot be reached (%s: %s);"
                " requests pass unlimited until the storage answers again",
                type(exc.storage_error).__name__,
                exc.storage_error,
            )


def rate_limiter(request: Request) -> RateLimiter:
    """The app's one limiter (set by portal.server.create_app), shared by every request."""
    found: RateLimiter = request.app.state.limiter
    return found


def etag_for(*parts: object) -> str:
    return '"' + hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:32] + '"'


def not_modified(request: Request, etag: str, modified: datetime | None = None) -> Response | None:
    """A 304 when the client's copy is current (If-None-Match, else If-Modified-Since)."""
    match = request.headers.get("if-none-match")
    if match is not None:
        if etag in [t.strip() for t in match.split(",")] or match.strip() == "*":
            return Response(status_code=304, headers=cache_headers(etag, modified))
        return None
    since = request.headers.get("if-modified-since")
    if since and modified is not None:
        try:
            if modified.replace(microsecond=0) <= parsedate_to_datetime(since):
                return Response(status_code=304, headers=cache_headers(etag, modified))
        except (TypeError, ValueError):
            return None
    return None


def cache_headers(etag: str, modified: datetime | None = None) -> dict[str, str]:
    headers = {"ETag": etag, "Cache-Control": "public, max-age=60"}
    if modified is not None:
        headers["Last-Modified"] = format_datetime(modified, usegmt=True)
    return headers
