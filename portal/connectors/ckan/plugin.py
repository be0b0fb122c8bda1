"""The CKAN harvest connector: `pull` harvests (harvest.py); `check` asks the source
whether it answers as a CKAN and how many packages the filter finds. It sends nothing out
and takes no notices: a CKAN has no such contract, so `push` and `on_notify` refuse."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, NoReturn

from portal.catalogue.base import Package
from portal.connectors.base import (
    CheckReport,
    ConnectorConfig,
    ConnectorNoticeInvalid,
    ExchangeReport,
    Notice,
)
from portal.connectors.ckan.client import CkanClient
from portal.connectors.ckan.config import ENDPOINT, HarvestOptions
from portal.connectors.ckan.harvest import run_pull
from portal.connectors.ckan.mapping import Provenance
from portal.errors import PortalError

if TYPE_CHECKING:
    from portal.composition import Portal


class CkanHarvestOnly(PortalError):
    code = "ckan-harvest-pull-only"
    status = 400
    exit_code = 2
    template_en = "connector {name} harvests from a CKAN; it does not {what}"
    template_ja = "コネクタ {name} は CKAN からの収集専用のため、{what_ja}ことはできません"
    hint_en = "use `portal connectors pull {name}`"
    hint_ja = "`portal connectors pull {name}` を使ってください"


class CkanHarvestConnector:
    def __init__(self, config: ConnectorConfig) -> None:
        self.config = config
        self.options = HarvestOptions.model_validate(config.options)
        if ENDPOINT not in config.endpoints:
            raise ValueError(f"endpoints.{ENDPOINT}: the source CKAN's address is required")

    def check(self, portal: Portal) -> CheckReport:
        report = CheckReport(connector=self.config.name)
        client = CkanClient(self.config.endpoints[ENDPOINT], self.options, self.config.limits)
        try:
            page = client.search(0, 0)
        except PortalError as exc:
            report.add(client.site, False, exc.message_en)
        else:
            report.add(client.site, True, f"{page.count} datasets match the filter")
        return report

    def pull(self, portal: Portal) -> ExchangeReport:
        return run_pull(portal, self.config, self.options)

    def push(self, portal: Portal, names: list[str] | None) -> ExchangeReport:
        self._refuse("send datasets out", "データセットを送信する")

    def on_notify(self, portal: Portal, body: bytes, headers: Mapping[str, str]) -> Notice:
        raise ConnectorNoticeInvalid(name=self.config.name,
                                     reason="a CKAN harvest takes no notices; it pulls")  # fmt: skip

    def map_metadata(self, package: Package) -> dict[str, Any]:
        """Our package's provenance as the source named it (source dataset, URL, when)."""
        held = Provenance.from_package(package)
        if held is None:
            return {}
        return {"name": held.source_name, "url": held.source_url,
                "metadata_modified": held.source_modified, "harvested_at": held.harvested_at.isoformat()}  # fmt: skip

    def _refuse(self, what: str, what_ja: str) -> NoReturn:
        raise CkanHarvestOnly(name=self.config.name, what=what, what_ja=what_ja)


class CkanHarvestPlugin:
    kind: ClassVar[str] = "ckan"

    def make(self, config: ConnectorConfig) -> CkanHarvestConnector:
        return CkanHarvestConnector(config)
