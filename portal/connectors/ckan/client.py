"""The source CKAN's Action API and its files, through the portal's one `Outbound` setup:
only the CKAN's host and the configured resource hosts, timeouts, retries, and a cap on
every answer (a CSV over `max_csv_bytes` is `OutboundTooLarge`, never read whole)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from portal.connectors.base import OutboundLimits
from portal.connectors.ckan.config import API_PATH, HarvestOptions, allowed_hosts, site_url
from portal.connectors.http import Outbound, user_agent
from portal.errors import PortalError

API_MAX_BYTES = 20 << 20  # one package_search page of 1000 packages fits well within this


class SourceNotCkan(PortalError):
    code = "ckan-harvest-not-ckan"
    status = 502
    template_en = "{url} did not answer as a CKAN Action API: {reason}"
    template_ja = "{url} の応答が CKAN Action API の形式ではありません: {reason}"
    hint_en = "check the connector's endpoints.ckan: the site's address, e.g. https://odcs.bodik.jp"
    hint_ja = (
        "コネクタの endpoints.ckan（サイトのアドレス、例: https://odcs.bodik.jp）を確認してください"
    )


@dataclass(frozen=True)
class Page:
    count: int
    results: list[dict[str, Any]]


class CkanClient:
    def __init__(self, endpoint: str, options: HarvestOptions,
                 limits: OutboundLimits | None = None) -> None:  # fmt: skip
        """Every call within the connector's common `limits:` (timeout, retries, backoff); an
        answer within limits.max_bytes and, for the API, API_MAX_BYTES, for a CSV max_csv_bytes."""
        self.site = site_url(endpoint)
        self.options = options
        bounds = limits or OutboundLimits()
        hosts = allowed_hosts(endpoint, options)
        self.api = self._outbound(hosts, bounds, min(API_MAX_BYTES, bounds.max_bytes))
        self.files = self._outbound(hosts, bounds, min(options.max_csv_bytes, bounds.max_bytes))

    @staticmethod
    def _outbound(hosts: list[str], bounds: OutboundLimits, max_bytes: int) -> Outbound:
        return Outbound(hosts, user_agent=user_agent(), timeout=bounds.timeout,
                        retries=bounds.retries, backoff=bounds.backoff, max_bytes=max_bytes)  # fmt: skip

    def action(self, name: str, **params: Any) -> Any:
        """One GET to the Action API; its `result`, or SourceNotCkan saying what came."""
        url = f"{self.site}{API_PATH}/{name}"
        if params:
            url += "?" + urlencode(params)
        fetched = self.api.get(url)
        try:
            answer = fetched.json()
        except ValueError:
            kind = fetched.headers.get("content-type", "no content type").split(";")[0]
            raise SourceNotCkan(url=url, reason=f"HTTP {fetched.status}, {kind}") from None
        if not isinstance(answer, Mapping) or answer.get("success") is not True:
            raise SourceNotCkan(url=url, reason="no successful 'result'")
        return answer.get("result")

    def search(self, start: int, rows: int) -> Page:
        params: dict[str, Any] = {"start": start, "rows": rows, "sort": "name asc"}
        fq = self.options.filter_query()
        if fq:
            params["fq"] = fq
        result = self.action("package_search", **params)
        if not isinstance(result, Mapping) or not isinstance(result.get("results"), list):
            raise SourceNotCkan(url=self.site, reason="package_search without results")
        found = [p for p in result["results"] if isinstance(p, dict)]
        return Page(int(result.get("count") or 0), found)

    def packages(self) -> Iterator[Page]:
        """package_search page by page, up to max_datasets packages."""
        start, wanted = 0, self.options.max_datasets
        while start < wanted:
            page = self.search(start, min(self.options.page_rows, wanted - start))
            yield page
            if not page.results:
                return
            start += len(page.results)
            if start >= page.count:
                return

    def download(self, url: str) -> bytes:
        """The file at `url`, at most max_csv_bytes (OutboundTooLarge beyond)."""
        return self.files.get(url).content
