"""A tiny connector plugin for the tests of the common parts (notify route, intake, CLI): a
bearer token from the environment variable its config names, a JSON notice
`{"catalog_id", "version", "file_url"}`. Registered by a test with `installed()`."""

from __future__ import annotations

import hmac
import json
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import yaml

from portal.catalogue.base import Package
from portal.composition import Portal
from portal.connectors.base import (
    CheckReport,
    ConnectorAuthFailed,
    ConnectorConfig,
    ConnectorNoticeInvalid,
    ConnectorUnknownCatalog,
    ExchangeReport,
    Notice,
    map_fields,
)
from portal.connectors.registry import register_plugin, unregister_plugin

KIND = "tiny"
TOKEN_ENV = "TINY_CONNECTOR_TOKEN"
TOKEN = "tiny-secret-token"


@dataclass
class TinyConnector:
    config: ConnectorConfig
    pulled: list[str] = field(default_factory=list)
    pushed: list[list[str] | None] = field(default_factory=list)

    def check(self, portal: Portal) -> CheckReport:
        report = CheckReport(connector=self.config.name)
        report.add(
            f"${TOKEN_ENV}",
            bool(os.environ.get(TOKEN_ENV)),
            "set" if os.environ.get(TOKEN_ENV) else "not set",
        )
        return report

    def pull(self, portal: Portal) -> ExchangeReport:
        report = ExchangeReport(connector=self.config.name)
        for entry in self.config.ids:
            report.add(entry.dataset, "unchanged", "nothing new")
        return report

    def push(self, portal: Portal, names: list[str] | None) -> ExchangeReport:
        report = ExchangeReport(connector=self.config.name)
        for name in names or [e.dataset for e in self.config.ids]:
            report.add(name, "failed" if name.startswith("bad") else "pushed", "sent")
        return report

    def on_notify(self, portal: Portal, body: bytes, headers: Mapping[str, str]) -> Notice:
        expected = f"Bearer {os.environ.get(TOKEN_ENV, '')}"
        given = headers.get("authorization", "")
        if not os.environ.get(TOKEN_ENV) or not hmac.compare_digest(
            given.encode(), expected.encode()
        ):
            reason = "no bearer token" if not given else "wrong bearer token"
            raise ConnectorAuthFailed(name=self.config.name, reason=reason)
        try:
            data = json.loads(body)
            catalog_id, version = str(data["catalog_id"]), str(data["version"])
        except (ValueError, KeyError, TypeError) as exc:
            raise ConnectorNoticeInvalid(
                name=self.config.name, reason=f"{type(exc).__name__}"
            ) from None
        entry = self.config.entry_for_catalog(catalog_id)
        if entry is None:
            raise ConnectorUnknownCatalog(name=self.config.name, catalog_id=catalog_id)
        return Notice(catalog_id=catalog_id, version=version, file_url=data.get("file_url"),
                      dataset=entry.dataset, raw=data)  # fmt: skip

    def map_metadata(self, package: Package) -> dict[str, Any]:
        return map_fields(self.config.metadata, {"title": package.get("title")})


class TinyPlugin:
    kind: ClassVar[str] = KIND

    def make(self, config: ConnectorConfig) -> TinyConnector:
        return TinyConnector(config)


def write_config(folder: Path, name: str, endpoint: str, ids: list[dict[str, Any]],
                 **more: Any) -> Path:  # fmt: skip
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.yaml"
    data = {"kind": KIND, "endpoints": {"files": endpoint}, "auth": {"scheme": "bearer", "token_env": TOKEN_ENV},
            "ids": ids, **more}  # fmt: skip
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@contextmanager
def installed() -> Iterator[None]:
    register_plugin(TinyPlugin())
    try:
        yield
    finally:
        unregister_plugin(KIND)
