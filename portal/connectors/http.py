"""`Outbound`: the one httpx setup for every call the portal makes to another server (harvest,
poll, push, NGSI, subscriber deliveries): only the hosts it is given, a User-Agent naming the
portal, timeouts, a cap on what is read, retries with backoff, and a bounded total time.

The host check runs on every request httpx sends — redirects included — before it connects.
Failures are PortalErrors in both languages, so a job's report or the CLI can show them."""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlsplit

import httpx

from portal import __version__
from portal.errors import PortalError

if TYPE_CHECKING:
    from portal.connectors.base import ConnectorConfig
    from portal.settings import Settings

MIB = 1 << 20
DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_BYTES = 50 * MIB
DEFAULT_RETRIES = 3
DEFAULT_BACKOFF = 0.5
MAX_RETRY_AFTER = 30.0  # a peer's Retry-After is honoured up to this
MAX_REDIRECTS = 5
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
PROJECT_URL = "https://github.com/municipal-open-data/portal"
BODY_EXCERPT = 300


class OutboundHostRefused(PortalError):
    code = "outbound-refused-host"
    status = 422
    retryable: ClassVar[bool] = False
    template_en = "the portal does not call {host}: it is not among the configured hosts ({url})"
    template_ja = "{host} は設定された接続先ではないため、ポータルは接続しません（{url}）"
    hint_en = "add the host to the connector's endpoints, or check the URL"
    hint_ja = "コネクタの endpoints に接続先を追加するか、URL を確認してください"


class OutboundTooLarge(PortalError):
    code = "outbound-too-large"
    status = 502
    retryable: ClassVar[bool] = False
    template_en = "{url} answered more than {limit} bytes; the portal reads at most that"
    template_ja = "{url} の応答が {limit} バイトを超えたため、読み込みを止めました"
    hint_en = "ask the platform for a smaller file, or raise the connector's size limit"
    hint_ja = "より小さいファイルを依頼するか、コネクタのサイズ上限を引き上げてください"


class OutboundFailed(PortalError):
    code = "outbound-failed"
    status = 502
    template_en = "{method} {url} failed after {attempts} attempt(s): {reason}"
    template_ja = "{method} {url} が {attempts} 回の試行で失敗しました: {reason}"
    hint_en = "check that the other server is up and the URL and credentials are right"
    hint_ja = "相手のサーバーが動いていること、URL と認証情報が正しいことを確認してください"

    @property
    def response_status(self) -> int | None:
        """The peer's last HTTP status, if it answered at all."""
        value = self.params.get("response_status")
        return value if isinstance(value, int) else None


class OutboundTimeout(PortalError):
    code = "outbound-timeout"
    status = 504
    template_en = "{method} {url} did not answer within {seconds:.0f} s"
    template_ja = "{method} {url} が {seconds:.0f} 秒以内に応答しませんでした"
    hint_en = "the other server is slow or down; the job tries again later"
    hint_ja = "相手のサーバーが遅いか停止しています。ジョブは後で再試行します"


@dataclass(frozen=True)
class Fetched:
    status: int
    content: bytes
    url: str
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    headers: Mapping[str, str] = field(default_factory=dict)

    def json(self) -> Any:
        import json

        return json.loads(self.content)

    def text(self, encoding: str = "utf-8") -> str:
        return self.content.decode(encoding)


def user_agent(site_url: str | None = None) -> str:
    return f"municipal-open-data-portal/{__version__} (+{site_url or PROJECT_URL})"


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower().rstrip(".")


class Outbound:
    """Calls to the `allowed_hosts` only (host names or addresses, compared exactly)."""

    def __init__(self, allowed_hosts: Collection[str], *, user_agent: str = user_agent(),
                 timeout: float = DEFAULT_TIMEOUT, max_bytes: int = DEFAULT_MAX_BYTES,
                 retries: int = DEFAULT_RETRIES, backoff: float = DEFAULT_BACKOFF,
                 allow_any_public: bool = False, allow_private: bool = False) -> None:  # fmt: skip
        self.allowed = frozenset(h.lower().rstrip(".") for h in allowed_hosts)
        self.allow_any_public = allow_any_public  # subscribers' webhooks: any public host
        self.allow_private = allow_private  # …and private or loopback ones (tests)
        self.user_agent, self.timeout, self.max_bytes = user_agent, timeout, max_bytes
        self.retries, self.backoff = retries, backoff
        # The whole call, retries and waits included, never takes longer than this.
        self.total_seconds = timeout * (retries + 1) + backoff * (2 ** (retries + 1))

    @classmethod
    def for_connector(cls, config: ConnectorConfig, settings: Settings | None = None,
                      **options: Any) -> Outbound:  # fmt: skip
        """Only the connector's configured endpoints' hosts, within its `limits`."""
        hosts = {host_of(url) for url in config.endpoints.values()} - {""}
        limits = config.limits.model_dump() | options
        return cls(hosts, user_agent=user_agent(), **limits)

    @classmethod
    def for_subscriptions(cls, settings: Settings, **options: Any) -> Outbound:
        """Any public host (a subscriber's webhook); private and loopback addresses too when
        PORTAL_SUBSCRIPTIONS_ALLOW_PRIVATE (tests, a closed network)."""
        return cls((), user_agent=user_agent(), allow_any_public=True,
                   allow_private=settings.subscriptions_allow_private, **options)  # fmt: skip

    def check_host(self, url: str) -> None:
        """Refuse a URL whose host is not allowed, before anything is sent."""
        parts = urlsplit(url)
        host = host_of(url)
        if parts.scheme not in ("http", "https") or not host:
            raise OutboundHostRefused(host=host or "?", url=url)
        if host in self.allowed:
            return
        if self.allow_any_public and (
            self.allow_private or (_public(host) and parts.scheme == "https")
        ):
            return
        raise OutboundHostRefused(host=host, url=url)

    def get(self, url: str, *, etag: str | None = None, modified_since: str | None = None,
            headers: Mapping[str, str] | None = None) -> Fetched:  # fmt: skip
        """GET `url`; with `etag`/`modified_since`, a 304 comes back as `not_modified`."""
        sent = dict(headers or {})
        if etag:
            sent["If-None-Match"] = etag
        if modified_since:
            sent["If-Modified-Since"] = modified_since
        return self.send("GET", url, headers=sent)

    def send(self, method: str, url: str, *, json: Any = None, content: bytes | None = None,
             headers: Mapping[str, str] | None = None) -> Fetched:  # fmt: skip
        """One call with retries (connection errors, timeouts, 429 and 5xx) and backoff; an
        answer of 400 or more after them is OutboundFailed."""
        self.check_host(url)
        deadline = time.monotonic() + self.total_seconds
        attempts, reason, last_status = 0, "", None
        with self._client() as client:
            while True:
                attempts += 1
                wait: float | None = None
                try:
                    fetched = self._once(client, method, url, json, content, headers, deadline)
                except httpx.TimeoutException:
                    reason = "timeout"
                    if attempts > self.retries or time.monotonic() >= deadline:
                        raise OutboundTimeout(method=method, url=url,
                                              seconds=self.timeout * attempts) from None  # fmt: skip
                except httpx.TransportError as exc:
                    reason, last_status = _reason(exc), None
                else:
                    if fetched.status < 400 or fetched.status not in RETRY_STATUSES:
                        return _final(fetched, method, attempts)
                    reason, last_status = f"HTTP {fetched.status}", fetched.status
                    wait = _retry_after(fetched.headers.get("retry-after"))
                pause = wait if wait is not None else self.backoff * 2 ** (attempts - 1)
                if attempts > self.retries or time.monotonic() + pause >= deadline:
                    raise OutboundFailed(method=method, url=url, attempts=attempts,
                                         reason=reason, response_status=last_status)  # fmt: skip
                time.sleep(pause)

    def _client(self) -> httpx.Client:
        return httpx.Client(
            headers={"User-Agent": self.user_agent},
            timeout=httpx.Timeout(self.timeout),
            follow_redirects=True,
            max_redirects=MAX_REDIRECTS,
            trust_env=False,  # no proxy from the environment: only the hosts named here
            event_hooks={"request": [lambda request: self.check_host(str(request.url))]},
        )

    def _once(self, client: httpx.Client, method: str, url: str, json: Any,
              content: bytes | None, headers: Mapping[str, str] | None,
              deadline: float) -> Fetched:  # fmt: skip
        with client.stream(method, url, json=json, content=content,
                           headers=dict(headers or {})) as response:  # fmt: skip
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > self.max_bytes:
                raise OutboundTooLarge(url=url, limit=self.max_bytes)
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > self.max_bytes:
                    raise OutboundTooLarge(url=url, limit=self.max_bytes)
                if time.monotonic() > deadline:  # a peer trickling bytes forever
                    raise httpx.ReadTimeout("the answer took too long", request=response.request)
            return Fetched(status=response.status_code, content=bytes(body),
                           url=str(response.url), etag=response.headers.get("etag"),
                           last_modified=response.headers.get("last-modified"),
                           not_modified=response.status_code == 304,
                           headers=dict(response.headers))  # fmt: skip


def _final(fetched: Fetched, method: str, attempts: int) -> Fetched:
    if fetched.status < 400:
        return fetched
    excerpt = fetched.content[:BODY_EXCERPT].decode("utf-8", "replace")
    raise OutboundFailed(method=method, url=fetched.url, attempts=attempts,
                         reason=f"HTTP {fetched.status} {excerpt}".strip(),
                         response_status=fetched.status)  # fmt: skip


def _retry_after(value: str | None) -> float | None:
    """Retry-After in seconds (a number or an HTTP date), within MAX_RETRY_AFTER."""
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = parsedate_to_datetime(value).timestamp() - time.time()
        except (TypeError, ValueError):
            return None
    return max(0.0, min(seconds, MAX_RETRY_AFTER))


def _reason(exc: httpx.TransportError) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _public(host: str) -> bool:
    """A host name, or an address that is not private, loopback, link-local or reserved."""
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return host not in ("localhost",) and not host.endswith(".localhost")
    return address.is_global
