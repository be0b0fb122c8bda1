"""The ORDEN-style connector (大阪広域データ連携基盤): subscriber notifications in (verified, read
with the configured paths, mapped to our dataset by the id map), a pull fallback (each mapped
catalog's export polled with ETag / If-Modified-Since), and a push out — the published,
validated CSV and its mapped metadata to a configured endpoint, or an upload bundle for staff.
Whatever comes in goes through the common intake (recipe, validation, publish or draft)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, NoReturn

from portal.catalogue.base import Package
from portal.connectors.base import (
    CheckReport,
    ConnectorAuthFailed,
    ConnectorConfig,
    ConnectorNoticeInvalid,
    ConnectorUnknownCatalog,
    ExchangeReport,
    Fetcher,
    IdMapEntry,
    Notice,
)
from portal.connectors.http import Outbound, host_of
from portal.connectors.orden.client import OrdenClient, PullState, Target
from portal.connectors.orden.config import OrdenOptions
from portal.connectors.orden.inbound import AuthRefused, verify
from portal.connectors.orden.mapping import (
    NoticeUnreadable,
    notice_document,
    notice_fields,
    our_record,
    to_orden,
)
from portal.standards import Definition

if TYPE_CHECKING:
    from portal.composition import Portal

log = logging.getLogger(__name__)
CONNECTORS_DIR = (
    "connectors"  # under the data dir: <name>/pull-state.json, push-state.json, bundles/
)


class OrdenConnector:
    def __init__(self, config: ConnectorConfig) -> None:
        self.config = config
        self.options = OrdenOptions.model_validate(config.options)

    @property
    def name(self) -> str:
        return self.config.name

    def folder(self, portal: Portal) -> Path:
        return portal.settings.data_dir / CONNECTORS_DIR / self.name

    def client(self, portal: Portal) -> OrdenClient:
        # Every call to ORDEN within the connector's common `limits:` block.
        outbound = Outbound.for_connector(self.config, portal.settings)
        return OrdenClient(self.name, outbound, self.config.endpoints, self.options)

    def fetcher(self, portal: Portal) -> Fetcher:
        """A notified file is fetched as a poll is: within `limits`, with our credentials for
        ORDEN (options.outbound_auth; an HMAC signs the GET's empty body)."""
        client = self.client(portal)
        return Fetcher(client.outbound, client.auth_headers())

    # Inbound: a subscriber notification.

    def on_notify(self, portal: Portal, body: bytes, headers: Mapping[str, str]) -> Notice:
        notify = self.options.notify
        if len(body) > notify.max_bytes:
            self._invalid(f"the body is larger than {notify.max_bytes} bytes")
        try:
            verify(self.config.auth, body, headers, notify)
        except AuthRefused as exc:
            raise ConnectorAuthFailed(name=self.name, reason=str(exc)) from None
        content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
        try:
            document = notice_document(body, content_type, notify)
        except NoticeUnreadable as exc:
            self._invalid(str(exc))
        found = notice_fields(document, notify)
        catalog_id, version = found["catalog_id"], found["version"]
        if catalog_id is None:
            self._invalid(f"no catalog ID at {notify.catalog_id}")
        if version is None:
            self._invalid(f"no version at {notify.version} nor a timestamp at {notify.timestamp}")
        entry = self.config.entry_for_catalog(catalog_id)
        if entry is None:
            raise ConnectorUnknownCatalog(name=self.name, catalog_id=catalog_id)
        file_url = found["file_url"] or self._pull_url(entry)
        if file_url is None:
            self._invalid(f"no file URL at {notify.file_url} and no pull endpoint to fetch from")
        if host_of(file_url) not in self._hosts():
            self._invalid(
                f"the file URL's host {host_of(file_url) or '?'} is not a configured endpoint"
            )
        raw = document if isinstance(document, dict) else {"body": document}
        return Notice(catalog_id=catalog_id, version=version, file_url=file_url,
                      dataset=entry.dataset, raw=raw)  # fmt: skip

    def _invalid(self, reason: str) -> NoReturn:
        raise ConnectorNoticeInvalid(name=self.name, reason=reason)

    def _hosts(self) -> set[str]:
        return {host_of(url) for url in self.config.endpoints.values()} - {""}

    def _pull_url(self, entry: IdMapEntry) -> str | None:
        template = self.config.endpoints.get("pull")
        if template is None or self.options.pull.format != "csv":
            return None
        return _target(entry, entry.dataset).fill(template)

    # Metadata.

    def map_metadata(
        self, package: Package, definition: Definition | None = None
    ) -> dict[str, Any]:
        """The package as an ORDEN catalog record: our fields renamed by the connector's
        metadata mapping (unknown ones passed through), the options' constants added."""
        entry = self._entry_of(package)
        record = our_record(package, definition, catalog_id=entry.catalog_id or "" if entry else "",
                            topic=entry.topic if entry else None)  # fmt: skip
        mapping = self.config.metadata
        return to_orden(record, mapping.fields, passthrough=mapping.passthrough,
                        constants=self.options.constants)  # fmt: skip

    def _entry_of(self, package: Package) -> IdMapEntry | None:
        from portal.catalogue.meta import PortalMeta

        return self.config.entry_for_dataset(
            str(package.get("name"))
        ) or self.config.entry_for_dataset(PortalMeta.from_package(package).standard or "")

    # Pull, push, check: portal/connectors/orden/exchange.py.

    def pull(self, portal: Portal) -> ExchangeReport:
        from portal.connectors.orden.exchange import pull

        return pull(self, portal)

    def push(self, portal: Portal, names: list[str] | None = None) -> ExchangeReport:
        from portal.connectors.orden.exchange import push

        return push(self, portal, names)

    def check(self, portal: Portal) -> CheckReport:
        from portal.connectors.orden.exchange import check

        return check(self, portal)

    def state(self, portal: Portal, which: str) -> PullState:
        return PullState(self.folder(portal) / f"{which}-state.json")


def _target(entry: IdMapEntry, dataset: str) -> Target:
    return Target(catalog_id=entry.catalog_id or "", topic=entry.topic, dataset=dataset)


class OrdenPlugin:
    kind: ClassVar[str] = "orden"

    def make(self, config: ConnectorConfig) -> OrdenConnector:
        return OrdenConnector(config)


PLUGIN = OrdenPlugin()
