"""Another catalogue, read within bounds: its CKAN Action API through ckanapi, its files
through requests — every call with a timeout cut to the harvest's deadline, and at most a
budget of requests per source. A failure is a `PeerFailed` carrying the report's note."""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from typing import Any

import ckanapi
import requests
from ckanapi.errors import CKANAPIError, ServerIncompatibleError

from portal.coverage.harvest_rules import Note

USER_AGENT = "portal-coverage-harvest/0.1 (standard open datasets coverage)"  # ASCII: a header
CHUNK_BYTES = 64 << 10
MIN_TIMEOUT_SECONDS = 0.5  # a request with less time than this left is not started
MAX_CAUSES = 8


class Deadline:
    """The harvest's overall deadline, on the monotonic clock."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.ends = time.monotonic() + seconds

    def remaining(self) -> float:
        return max(0.0, self.ends - time.monotonic())


class PeerFailed(Exception):
    """A request to the peer failed; `note` says how, for the report."""

    def __init__(self, note: Note, *, fatal: bool) -> None:
        super().__init__(note.en)
        self.note = note
        self.fatal = fatal  # the source cannot be read further (down, over budget, deadline)


@dataclass
class Download:
    body: bytes
    complete: bool  # False: cut at the byte limit (the file is bigger)
    size: int | None  # the announced size, when the server gave one


class Peer:
    def __init__(self, url: str, *, timeout: float, budget: int, deadline: Deadline) -> None:
        self.url = url
        self.timeout = timeout
        self.budget = budget
        self.deadline = deadline
        self.requests = 0
        self.session = requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        self._last: requests.Response | None = None
        self.session.hooks["response"].append(self._remember)
        self.ckan = ckanapi.RemoteCKAN(url, user_agent=USER_AGENT, get_only=True, session=self.session)  # fmt: skip

    def _remember(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        self._last = response

    def close(self) -> None:
        self.session.close()

    def _start(self) -> float:
        """The timeout for the next request, or PeerFailed when none may start."""
        if self.requests >= self.budget:
            raise PeerFailed(Note.of("request-budget", requests=self.budget), fatal=True)
        left = self.deadline.remaining()
        if left < MIN_TIMEOUT_SECONDS:
            raise PeerFailed(Note.of("deadline", seconds=self.deadline.seconds), fatal=True)
        self.requests += 1
        return min(self.timeout, left)

    def action(self, name: str, **params: Any) -> Any:
        timeout = self._start()
        self._last = None
        try:
            return self.ckan.call_action(name, params, requests_kwargs={"timeout": timeout})
        except requests.Timeout:
            raise self._failed("peer-timeout", seconds=round(timeout, 1)) from None
        except requests.RequestException as exc:
            raise self._failed("peer-unreachable", reason=_reason(exc)) from None
        except (CKANAPIError, ServerIncompatibleError, ValueError) as exc:
            raise self._answer_failed(exc) from None

    def _failed(self, code: str, **params: object) -> PeerFailed:
        return PeerFailed(Note.of(code, url=self.url, **params), fatal=True)

    def _answer_failed(self, exc: Exception) -> PeerFailed:
        """An answer came, but not a CKAN result: say what it was (status, not JSON)."""
        last = self._last
        if last is not None and last.status_code >= 400:
            return self._failed("peer-http-error", status=last.status_code)
        if last is not None and not _is_json(last):
            kind = last.headers.get("content-type", "no content type").split(";")[0]
            return self._failed("peer-not-ckan", reason=f"{last.status_code}, {kind}")
        return self._failed("peer-not-ckan", reason=type(exc).__name__)

    def download(self, url: str, limit: int, head: int) -> Download:
        """At most `limit` bytes of a file, within the timeout and the deadline; only its
        first `head` bytes when the server announces more than `limit`."""
        timeout = self._start()
        started = time.monotonic()
        try:
            with self.session.get(url, stream=True, timeout=timeout) as response:
                if response.status_code >= 400:
                    raise self._download_failed(url, f"HTTP {response.status_code}")
                size = _announced(response)
                wanted = head if size is not None and size > limit else limit
                body = bytearray()
                for chunk in response.iter_content(CHUNK_BYTES):
                    body += chunk
                    # The timeout bounds each read; a server trickling bytes is bounded here.
                    if time.monotonic() - started > timeout:
                        raise self._download_failed(url, f"slower than {round(timeout, 1)} s")
                    if len(body) > wanted:
                        break
                whole = (
                    wanted == limit and len(body) <= limit
                )  # not announced as, nor found, bigger
                return Download(bytes(body[:wanted]), whole, size)
        except requests.Timeout:
            raise self._download_failed(url, f"no answer within {round(timeout, 1)} s") from None
        except requests.RequestException as exc:
            raise self._download_failed(url, _reason(exc)) from None

    @staticmethod
    def _download_failed(url: str, reason: str) -> PeerFailed:
        return PeerFailed(Note.of("download-failed", url=url, reason=reason), fatal=False)


def _announced(response: requests.Response) -> int | None:
    text = response.headers.get("content-length", "")
    return int(text) if text.isdigit() else None


def _is_json(response: requests.Response) -> bool:
    try:
        json.loads(response.text)
    except ValueError:
        return False
    return True


def _reason(exc: BaseException) -> str:
    """The root cause in a few words (connection refused, name not known…), not a repr."""
    cause = exc
    for _ in range(MAX_CAUSES):  # requests wraps urllib3's error, which wraps the socket's
        inner = cause.__cause__ or cause.__context__
        if inner is None and cause.args and isinstance(cause.args[0], BaseException):
            inner = cause.args[0]
        if inner is None:
            break
        cause = inner
    text = str(cause)
    if "Connection refused" in text or isinstance(cause, ConnectionRefusedError):
        return "connection refused"
    text = re.sub(r"^\[Errno -?[0-9]+\] ", "", text.rsplit(": ", 1)[-1])
    return (text or type(cause).__name__)[:200]
