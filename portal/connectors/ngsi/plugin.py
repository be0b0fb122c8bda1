"""The NGSI-v2 connector (kind "ngsi"): the rows of published standard datasets upserted into
a broker (FIWARE Orion) as entities, pulled back, the broker checked; a publish may enqueue
a push (options.push_on_publish).

    kind: ngsi
    endpoints: {broker: http://orion:1026}
    options: {service: hirakata, service_path: /opendata, push_on_publish: true}

See docs/connectors/ngsi.example.yaml for every option."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from portal.catalogue.meta import PortalMeta
from portal.connectors.base import (
    CheckReport,
    ConnectorConfig,
    ConnectorNoticeInvalid,
    ConnectorSecretMissing,
    ExchangeReport,
    Notice,
    map_fields,
)
from portal.connectors.http import Outbound
from portal.connectors.ngsi.client import MAX_NAMED, NgsiClient, Refused
from portal.connectors.ngsi.config import NgsiOptions
from portal.connectors.ngsi.mapping import EntityMapping, batches
from portal.errors import PortalError
from portal.rows.base import csv_cells
from portal.standards.definition import typed_value

if TYPE_CHECKING:
    from portal.catalogue.base import Package
    from portal.catalogue.publish import Published
    from portal.composition import Portal
    from portal.jobs import Jobs

log = logging.getLogger(__name__)
PUSH_KIND = "ngsi-push"
PUSH_RETRIES = 3  # a broker down: tried again after 30, 60, 120 s, then the job fails
PUSH_BACKOFF_SECONDS = 30.0


class NgsiBrokerMissing(PortalError):
    code = "ngsi-broker-missing"
    status = 500
    exit_code = 2
    template_en = "connector {name}: endpoints.broker (the NGSI-v2 broker's URL) is not set"
    template_ja = (
        "コネクタ {name}: endpoints.broker（NGSI-v2 ブローカーの URL）が設定されていません"
    )


class NgsiPushFailed(PortalError):
    """Entities the broker refused, or datasets that could not be made into entities: bad
    input, so the job fails at once (trying again would be refused the same way)."""

    code = "ngsi-push-failed"
    status = 422
    retryable: ClassVar[bool] = False
    template_en = "the NGSI push of connector {name} failed: {detail}"
    template_ja = "コネクタ {name} の NGSI 送信に失敗しました: {detail}"
    hint_en = "the broker's message names what it refused; fix the data or the connector's options"
    hint_ja = "ブローカーのメッセージが拒否の理由を示しています。データかコネクタの options を直してください"


class NgsiConnector:
    def __init__(self, config: ConnectorConfig) -> None:
        self.config = config
        self.options = NgsiOptions.model_validate(config.options)
        if not config.endpoints.get("broker"):
            raise NgsiBrokerMissing(name=config.name)

    def client(self) -> NgsiClient:
        return NgsiClient(Outbound.for_connector(self.config), self.config.endpoints["broker"],
                          self.options, self._auth_headers())  # fmt: skip

    def _auth_headers(self) -> dict[str, str]:
        auth = self.config.auth
        if auth is None or auth.scheme != "bearer" or not auth.token_env:
            return {}
        token = os.environ.get(auth.token_env)
        if not token:
            raise ConnectorSecretMissing(name=self.config.name, env=auth.token_env)
        return {"Authorization": f"Bearer {token}"}

    def entity_type_of(self, name: str, slug: str) -> str | None:
        entry = self.config.entry_for_dataset(name) or self.config.entry_for_dataset(slug)
        return entry.entity_type if entry else None

    def mapping(self, portal: Portal, package: Package) -> EntityMapping:
        definition = portal.definition(package)
        if definition is None:
            from portal.composition import NoData

            raise NoData(name=package["name"])
        return EntityMapping.of(definition, self.options, dataset=package["name"],
                                entity_type=self.entity_type_of(package["name"], definition.slug))  # fmt: skip

    # push

    def push(self, portal: Portal, names: list[str] | None) -> ExchangeReport:
        report = ExchangeReport(connector=self.config.name)
        client = self.client()
        for package in self._chosen(portal, names, report):
            try:
                sent, refused = self._push_one(portal, package, client)
            except PortalError as exc:
                if exc.status >= 500 and exc.code.startswith("outbound"):
                    raise  # the broker is down or failing: the job tries again
                report.add(package["name"], "failed", exc.message_en, code=exc.code)
                continue
            if refused:
                report.add(package["name"], "failed", _refusals(refused, sent), entities=sent,
                           refused=[r.entity_id for r in refused[:MAX_NAMED]])  # fmt: skip
            else:
                report.add(package["name"], "pushed", f"{sent} entities", entities=sent)
        return report

    def _chosen(self, portal: Portal, names: list[str] | None,
                report: ExchangeReport | None) -> Iterator[Package]:  # fmt: skip
        """The published standard datasets asked for (all, or those the id map names)."""
        mapped = {e.dataset for e in self.config.ids}
        found = {p["name"]: p for p in portal.published()}
        for name in names if names is not None else sorted(found):
            package = found.get(name)
            meta = PortalMeta.from_package(package) if package else None
            if package is None or meta is None or not meta.standard:
                _skip(report, name, "not a published standard dataset")
            elif meta.validation is not None and not meta.validation.valid:
                _skip(report, name, "its published version is not valid")
            elif names is None and mapped and not {name, meta.standard} & mapped:
                continue  # not in the id map: this connector does not send it
            else:
                yield package

    def _push_one(self, portal: Portal, package: Package,
                  client: NgsiClient) -> tuple[int, list[Refused]]:  # fmt: skip
        mapping = self.mapping(portal, package)
        lgcode = PortalMeta.from_package(package).lgcode or ""
        entities, refused = [], []
        for line, row in self.rows(portal, package):
            try:
                entities.append(mapping.entity(row, lgcode))
            except ValueError as exc:
                refused.append(Refused(f"{package['name']} line {line}", None, str(exc)))
        for batch in batches(entities, self.options.batch_size):
            refused += client.update(batch)
        return len(entities), refused

    def rows(self, portal: Portal, package: Package) -> Iterator[tuple[int, dict[str, Any]]]:
        """The dataset's published rows (line number, field → value) from the rows store."""
        definition, loaded = portal.rows_of(package)
        kinds = {f["name"]: str(f.get("type", "string")) for f in definition.fields}
        for line, cells in csv_cells(definition, portal.published_csv(package, loaded)):
            yield line, {name: typed_value(cell or "", kinds[name])
                         for name, cell in zip(definition.field_names, cells, strict=True)}  # fmt: skip

    # pull and check

    def pull_rows(self, portal: Portal, name: str) -> list[dict[str, Any]]:
        """The broker's entities of dataset `name`'s type, as the dataset's rows."""
        mapping = self.mapping(portal, portal.package(name))
        return [mapping.row_of(e) for e in self.client().entities(mapping.entity_type)]

    def pull(self, portal: Portal) -> ExchangeReport:
        """What the broker holds of each mapped dataset (entities counted; not imported:
        nothing enters the catalogue without an upload's validation)."""
        report = ExchangeReport(connector=self.config.name)
        for package in self._chosen(portal, None, report):
            rows = self.pull_rows(portal, package["name"])
            report.add(package["name"], "ok", f"{len(rows)} entities in the broker",
                       entities=len(rows))  # fmt: skip
        return report

    def check(self, portal: Portal) -> CheckReport:
        report = CheckReport(connector=self.config.name)
        try:
            version = self.client().version()
        except PortalError as exc:
            report.add("broker", False, exc.message_en)
        else:
            orion = version.get("orion", {}) if isinstance(version.get("orion"), dict) else {}
            report.add("broker", True, f"answers: {orion.get('version', 'NGSI-v2 broker')}")
        for package in self._chosen(portal, None, None):
            try:
                mapping = self.mapping(portal, package)
            except PortalError as exc:
                report.add(package["name"], False, exc.message_en)
                continue
            note = (
                f" (fields named by transliteration: {', '.join(mapping.guessed)})"
                if mapping.guessed
                else ""
            )
            report.add(package["name"], True, f"entities of type {mapping.entity_type}{note}")
        return report

    def on_notify(self, portal: Portal, body: bytes, headers: Mapping[str, str]) -> Notice:
        raise ConnectorNoticeInvalid(name=self.config.name,
                                     reason="an NGSI connector takes no notices")  # fmt: skip

    def map_metadata(self, package: Package) -> dict[str, Any]:
        return map_fields(self.config.metadata, {"name": package.get("name"),
                                                 "title": package.get("title")})  # fmt: skip


def _skip(report: ExchangeReport | None, name: str, why: str) -> None:
    if report is not None:
        report.add(name, "skipped", why)


def _refusals(refused: list[Refused], sent: int) -> str:
    named = "; ".join(f"{r.entity_id}: {r.reason}" for r in refused[:MAX_NAMED])
    more = f" (and {len(refused) - MAX_NAMED} more)" if len(refused) > MAX_NAMED else ""
    return f"{len(refused)} of {sent} entities refused — {named}{more}"


# jobs and the after-publish hook


def run_push(portal: Portal, payload: dict[str, Any]) -> dict[str, Any]:
    connector = portal.connectors.get(str(payload["connector"]))
    if not isinstance(connector, NgsiConnector):
        raise NgsiPushFailed(name=payload["connector"], detail="no such NGSI connector")
    report = connector.push(portal, payload.get("names"))
    if report.failed:
        raise NgsiPushFailed(name=connector.config.name, detail="; ".join(
            f"{i.dataset}: {i.message}" for i in report.failed))  # fmt: skip
    return report.model_dump()


def register_jobs(jobs: Jobs) -> None:
    jobs.register(PUSH_KIND, run_push, retries=PUSH_RETRIES, backoff_seconds=PUSH_BACKOFF_SECONDS)


def watch(portal: Portal) -> None:
    """After each publish, a push job for every enabled NGSI connector with push_on_publish."""

    def enqueue(published: Published) -> None:
        enqueue_pushes(portal, published)

    portal.on_published(enqueue)


def enqueue_pushes(portal: Portal, published: Published) -> int:
    if published.announced is None:
        return 0
    name, count = published.plan.name, 0
    for connector in portal.connectors.values():
        if isinstance(connector, NgsiConnector) and connector.config.enabled and \
                connector.options.push_on_publish:  # fmt: skip
            portal.jobs.enqueue(PUSH_KIND, {"connector": connector.config.name, "names": [name]},
                                key=f"{connector.config.name}:{name}@{published.version}",
                                owner=connector.config.name)  # fmt: skip
            count += 1
    return count


class NgsiPlugin:
    kind: ClassVar[str] = "ngsi"

    def make(self, config: ConnectorConfig) -> NgsiConnector:
        return NgsiConnector(config)


PLUGIN = NgsiPlugin()
