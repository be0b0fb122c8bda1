"""The NGSI-v2 broker's HTTP calls, through Outbound: GET /version, POST /v2/op/update,
GET /v2/entities paged with Fiware-Total-Count. Every call carries Fiware-Service and
Fiware-ServicePath as configured."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from portal.connectors.http import Outbound, OutboundFailed
from portal.connectors.ngsi.config import NgsiOptions
from portal.errors import PortalError

MAX_NAMED = 10  # refused entities named in one report; the rest are counted
MAX_PAGES = 10_000  # a broker that never stops paging is cut off here


class NgsiAnswerInvalid(PortalError):
    code = "ngsi-answer-invalid"
    status = 502
    template_en = "the NGSI broker's answer to {what} is not what NGSI-v2 gives: {reason}"
    template_ja = "NGSI ブローカーの {what} への応答が NGSI-v2 の形式ではありません: {reason}"
    hint_en = "check that endpoints.broker is an NGSI-v2 broker (e.g. FIWARE Orion)"
    hint_ja = "endpoints.broker が NGSI-v2 のブローカー（FIWARE Orion など）か確認してください"


@dataclass(frozen=True)
class Refused:
    """Entities the broker refused (a 4xx): which, and what it said."""

    entity_id: str
    status: int | None
    reason: str


class NgsiClient:
    def __init__(self, outbound: Outbound, base_url: str, options: NgsiOptions,
                 auth: Mapping[str, str] | None = None) -> None:  # fmt: skip
        self.outbound, self.base = outbound, base_url.rstrip("/")
        self.headers = {"Fiware-ServicePath": options.service_path, **(auth or {})}
        if options.service:
            self.headers["Fiware-Service"] = options.service
        self.page_size = options.page_size

    def version(self) -> dict[str, Any]:
        answer = self.outbound.get(f"{self.base}/version", headers=self.headers)
        return _json_object(answer.content, "GET /version")

    def update(self, batch: dict[str, Any]) -> list[Refused]:
        """Upsert one batch; a batch the broker refuses (4xx) is sent again entity by entity,
        so that the good ones go in and the refused ones are named. A broker down or failing
        (5xx, timeouts, after Outbound's retries) raises: the job tries again later."""
        try:
            self._post(batch)
            return []
        except OutboundFailed as exc:
            if not _refusal(exc):
                raise
            if len(batch["entities"]) == 1:
                return [_refused(batch["entities"][0], exc)]
        refused = []
        for entity in batch["entities"]:
            try:
                self._post({"actionType": batch["actionType"], "entities": [entity]})
            except OutboundFailed as exc:
                if not _refusal(exc):
                    raise
                refused.append(_refused(entity, exc))
        return refused

    def _post(self, batch: dict[str, Any]) -> None:
        self.outbound.send("POST", f"{self.base}/v2/op/update", json=batch,
                           headers=self.headers)  # fmt: skip

    def entities(self, entity_type: str) -> Iterator[dict[str, Any]]:
        """Every entity of `entity_type`, page by page (limit/offset) until Fiware-Total-Count
        (or a short page, from a broker that does not count)."""
        offset, total = 0, None
        for _ in range(MAX_PAGES):
            answer = self.outbound.get(
                f"{self.base}/v2/entities?type={entity_type}&limit={self.page_size}"
                f"&offset={offset}&options=count", headers=self.headers)  # fmt: skip
            page = _json_list(answer.content, "GET /v2/entities")
            counted = {k.lower(): v for k, v in answer.headers.items()}.get("fiware-total-count")
            total = int(counted) if counted and counted.isdigit() else total
            yield from page
            offset += len(page)
            if not page or (total is not None and offset >= total) or (
                    total is None and len(page) < self.page_size):  # fmt: skip
                return


def _refusal(exc: OutboundFailed) -> bool:
    status = exc.response_status
    return status is not None and 400 <= status < 500


def _refused(entity: dict[str, Any], exc: OutboundFailed) -> Refused:
    return Refused(str(entity.get("id")), exc.response_status, str(exc.params.get("reason", "")))


def _json_object(content: bytes, what: str) -> dict[str, Any]:
    import json

    try:
        found = json.loads(content)
    except ValueError as exc:
        raise NgsiAnswerInvalid(what=what, reason=f"not JSON ({exc})") from None
    if not isinstance(found, dict):
        raise NgsiAnswerInvalid(what=what, reason="not a JSON object")
    return found


def _json_list(content: bytes, what: str) -> list[dict[str, Any]]:
    import json

    try:
        found = json.loads(content)
    except ValueError as exc:
        raise NgsiAnswerInvalid(what=what, reason=f"not JSON ({exc})") from None
    if not isinstance(found, list) or not all(isinstance(e, dict) for e in found):
        raise NgsiAnswerInvalid(what=what, reason="not a JSON array of entities")
    return found
