"""The ORDEN connector's pull, push and check (the connector object holds the config).

Push sends only what the portal has published and validated: the catalogue's CSV of a dataset
whose validation is `valid` — never a draft, never an uploaded file. An unchanged CSV and
metadata (the same digest as the last push of that catalog) is not sent again."""

from __future__ import annotations

import hashlib
import json
import os
from typing import TYPE_CHECKING, Any

from portal.catalogue.base import Package
from portal.catalogue.meta import PortalMeta
from portal.connectors.base import CheckReport, ExchangeReport, IdMapEntry
from portal.connectors.http import Fetched
from portal.connectors.intake import LocalFile, safe_key, take_in
from portal.connectors.orden.bundle import BundleInput, build_bundle
from portal.connectors.orden.client import OrdenClient, PullState, Target
from portal.connectors.orden.mapping import OUR_FIELDS, lookup, notice_fields
from portal.errors import PortalError
from portal.rows.published import csv_resource

if TYPE_CHECKING:
    from portal.composition import Portal
    from portal.connectors.orden.plugin import OrdenConnector

BUNDLES_DIR = "bundles"
PULLED_DIR = "pulled"  # the last file each poll fetched, handed to the intake from here


class NotPushable(PortalError):
    """A mapped dataset the portal will not send out (not published, not valid, no CSV)."""

    code = "connector-not-pushable"
    status = 409
    template_en = "{name} is not sent to {connector}: {reason}"
    template_ja = "{name} は {connector} に送りません: {reason_ja}"
    hint_en = "publish a version that passes validation first; only that version is ever sent"
    hint_ja = "検証を通過した版を先に公開してください（送るのはその版だけです）"


class PullUnreadable(PortalError):
    code = "connector-pull-unreadable"
    status = 502
    template_en = "the list at {url} cannot be read: {reason}"
    template_ja = "{url} の一覧を読み取れません: {reason}"
    hint_en = "check the connector's pull options (format, items and the notify paths)"
    hint_ja = "コネクタの pull の設定（format、items、notify のパス）を確認してください"


def resolve(portal: Portal, entry: IdMapEntry) -> list[Package]:
    """The published datasets an id-map entry names: the dataset of that name, or every dataset
    published in that standard (a slug)."""
    package = portal.catalogue.public_show(entry.dataset)
    if package is not None:
        return [package]
    return portal.published(entry.dataset)


def pull(connector: OrdenConnector, portal: Portal) -> ExchangeReport:
    """Poll each mapped catalog (endpoints.pull) with its last ETag / Last-Modified: a 304,
    or the version taken in last time, is `unchanged`; anything new goes through the intake
    (published when valid, else a draft with its report)."""
    report = ExchangeReport(connector=connector.name)
    if "pull" not in connector.config.endpoints:
        report.add(connector.name, "failed", "no pull endpoint is configured (endpoints.pull)")
        return report
    client, state = connector.client(portal), connector.state(portal, "pull")
    for entry in connector.config.ids:
        if not entry.catalog_id:
            continue
        try:
            _pull_one(connector, portal, client, state, entry, report)
        except PortalError as exc:
            report.add(entry.dataset, "failed", exc.message_en, error=exc.to_dict())
    return report


def _pull_one(connector: OrdenConnector, portal: Portal, client: OrdenClient, state: PullState,
              entry: IdMapEntry, report: ExchangeReport) -> None:  # fmt: skip
    catalog_id = entry.catalog_id or ""
    last = state.get(catalog_id)
    polled = client.poll(Target(catalog_id, entry.topic, entry.dataset), last)
    if polled.not_modified:
        report.add(entry.dataset, "unchanged", "304 Not Modified", catalog_id=catalog_id)
        return
    if connector.options.pull.format == "json":
        version, file = _listed_file(connector, client, catalog_id, polled)
    else:
        file = polled
        version = (
            polled.etag or polled.last_modified or hashlib.sha256(polled.content).hexdigest()[:16]
        )
    if version == last.get("version"):
        report.add(
            entry.dataset,
            "unchanged",
            f"version {version} was taken in already",
            catalog_id=catalog_id,
        )
    else:
        key = f"{catalog_id}@{version}"
        folder = connector.folder(portal) / PULLED_DIR / safe_key(catalog_id)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{safe_key(catalog_id)}.csv"
        path.write_bytes(file.content)
        result = take_in(portal, LocalFile(path, entry.dataset, key), connector=connector)
        detail = {k: v for k, v in result.to_dict().items() if k not in ("dataset", "outcome")}
        report.add(entry.dataset, result.outcome, f"{key}: {result.outcome}", **detail)
    # Kept for a draft too: the same invalid file is not taken in again at every poll.
    state.put(catalog_id, etag=polled.etag, last_modified=polled.last_modified, version=version)


def _listed_file(connector: OrdenConnector, client: OrdenClient, catalog_id: str,
                 listing: Fetched) -> tuple[str, Fetched]:  # fmt: skip
    """A list API's entry for the catalog (read with the notify paths) and its file."""
    try:
        document = listing.json()
    except ValueError:
        raise PullUnreadable(url=listing.url, reason="the answer is not JSON") from None
    items = (
        lookup(document, connector.options.pull.items) if connector.options.pull.items else document
    )
    for item in items if isinstance(items, list) else [items]:
        found = notice_fields(item, connector.options.notify)
        if found["catalog_id"] in (catalog_id, None) and found["version"] and found["file_url"]:
            return found["version"], client.fetch(found["file_url"])
    raise PullUnreadable(
        url=listing.url, reason=f"no entry with catalog {catalog_id}, a version and a file URL"
    )


def push(connector: OrdenConnector, portal: Portal, names: list[str] | None) -> ExchangeReport:
    report = ExchangeReport(connector=connector.name)
    for entry in connector.config.ids:
        packages = resolve(portal, entry)
        if names is not None:
            packages = [p for p in packages if p["name"] in names or entry.dataset in names]
        elif not packages:
            report.add(entry.dataset, "failed", f"{entry.dataset} is not published")
        if len(packages) > 1:
            listed = ", ".join(p["name"] for p in packages)
            report.add(entry.dataset, "failed", f"{entry.dataset} names several datasets ({listed}); "
                       "map each by its name to its own catalog")  # fmt: skip
            continue
        for package in packages:
            try:
                _push_one(connector, portal, entry, package, report)
            except PortalError as exc:
                report.add(package["name"], "failed", exc.message_en, error=exc.to_dict())
    return report


def published_csv(connector: OrdenConnector, portal: Portal, package: Package) -> bytes:
    """The published CSV's bytes, when the dataset is valid; UTF-8 checked."""
    name, meta = str(package["name"]), PortalMeta.from_package(package)

    def refuse(reason: str, reason_ja: str) -> NotPushable:
        return NotPushable(name=name, connector=connector.name, reason=reason, reason_ja=reason_ja)

    if meta.validation is None or not meta.validation.valid:
        raise refuse(f"its published version did not pass validation ({meta.validation_text or 'unknown'})",
                     f"公開中の版が検証を通過していません（{meta.validation_text or '不明'}）")  # fmt: skip
    resource = csv_resource(package)
    if resource is None:
        raise refuse("it has no CSV resource", "CSV のリソースがありません")
    content = portal.catalogue.resource_bytes(resource)
    if len(content) > connector.options.max_push_bytes:
        raise refuse(f"its CSV is larger than {connector.options.max_push_bytes} bytes",
                     f"CSV が {connector.options.max_push_bytes} バイトを超えています")  # fmt: skip
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        raise refuse("its CSV is not UTF-8", "CSV が UTF-8 ではありません") from None
    return content


def _push_one(connector: OrdenConnector, portal: Portal, entry: IdMapEntry, package: Package,
              report: ExchangeReport) -> None:  # fmt: skip
    name = str(package["name"])
    content = published_csv(connector, portal, package)
    metadata = connector.map_metadata(package, portal.definition(package))
    target = Target(catalog_id=entry.catalog_id or "", topic=entry.topic, dataset=name)
    digest = hashlib.sha256(
        content + json.dumps(metadata, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()
    state = connector.state(portal, "push")
    where = "endpoint" if "push" in connector.config.endpoints else "bundle"
    if state.get(target.catalog_id or name).get(where) == digest:
        report.add(name, "unchanged", "the same CSV and metadata were sent last time")
        return
    if where == "endpoint":
        answers = connector.client(portal).push(target, content, metadata)
        detail: dict[str, Any] = {"statuses": [a.status for a in answers]}
        message = f"sent to {connector.config.endpoints['push']} ({', '.join(str(a.status) for a in answers)})"
        report.add(name, "pushed", message, catalog_id=target.catalog_id, **detail)
    else:
        path = write_bundle(connector, portal, entry, package, content, metadata)
        report.add(name, "pushed", f"upload bundle for staff: {path}", bundle=str(path),
                   catalog_id=target.catalog_id)  # fmt: skip
    state.put(target.catalog_id or name, **{**state.get(target.catalog_id or name), where: digest})


def write_bundle(connector: OrdenConnector, portal: Portal, entry: IdMapEntry, package: Package,
                 content: bytes, metadata: dict[str, Any]) -> Any:  # fmt: skip
    name, meta = str(package["name"]), PortalMeta.from_package(package)
    fields = connector.config.metadata.fields
    theirs_to_ours = {fields.get(ours, ours): ours for ours in OUR_FIELDS}
    bundle = BundleInput(
        dataset=name, catalog_id=entry.catalog_id or "", topic=entry.topic, csv_name=f"{name}.csv",
        csv_bytes=content, metadata=metadata,
        sources={field: theirs_to_ours.get(field, "") for field in metadata},
        rows=meta.rows, validation=meta.validation_text,
    )  # fmt: skip
    folder = connector.folder(portal) / BUNDLES_DIR
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.zip"
    scratch = path.with_suffix(".tmp")
    scratch.write_bytes(build_bundle(bundle))
    os.replace(scratch, path)
    return path


def check(connector: OrdenConnector, portal: Portal) -> CheckReport:
    """What can be known without calling ORDEN: endpoints, secrets, the id map."""
    report = CheckReport(connector=connector.name)
    endpoints = connector.config.endpoints
    report.add("push", True, "endpoint " + endpoints["push"] if "push" in endpoints
               else "no push endpoint: push writes upload bundles for staff")  # fmt: skip
    for which, auth in (
        ("auth", connector.config.auth),
        ("outbound_auth", connector.options.outbound_auth),
    ):
        for variable in (auth.token_env, auth.password_env, auth.secret_env) if auth else ():
            if variable:
                report.add(f"{which}: ${variable}", bool(os.environ.get(variable)),
                           "set" if os.environ.get(variable) else "not set")  # fmt: skip
    for entry in connector.config.ids:
        published = resolve(portal, entry)
        ok = bool(entry.catalog_id) and len(published) == 1
        message = (f"catalog {entry.catalog_id or '(no catalog_id)'}: "
                   + (published[0]["name"] if len(published) == 1 else f"{len(published)} published datasets"))  # fmt: skip
        report.add(f"ids: {entry.dataset}", ok, message)
    return report
