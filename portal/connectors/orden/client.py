"""ORDEN's HTTP calls, all through `Outbound` (only the configured hosts, bounded, retried):
poll a catalog's export with ETag / If-Modified-Since, fetch a notified file, push a CSV and
its metadata in the shape the options describe. The pull state (each catalog's last ETag,
Last-Modified and version) is a small JSON file kept between polls."""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from portal.connectors.base import ConnectorSecretMissing
from portal.connectors.http import Fetched, Outbound
from portal.connectors.orden.config import OrdenOptions
from portal.connectors.orden.inbound import signature
from portal.connectors.orden.mapping import as_text

CSV_TYPE = "text/csv; charset=utf-8"


@dataclass(frozen=True)
class Target:
    """One catalog: the values a URL or file-name template may name."""

    catalog_id: str
    topic: str | None
    dataset: str

    def fill(self, template: str) -> str:
        return template.format(
            catalog_id=self.catalog_id, topic=self.topic or "", dataset=self.dataset
        )


class PullState:
    """Each catalog's last validators and version, in a JSON file (written whole, atomically)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            found = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            found = {}
        self.entries: dict[str, dict[str, str]] = found if isinstance(found, dict) else {}

    def get(self, catalog_id: str) -> dict[str, str]:
        return dict(self.entries.get(catalog_id, {}))

    def put(self, catalog_id: str, **values: str | None) -> None:
        self.entries[catalog_id] = {k: v for k, v in values.items() if v is not None}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        scratch = self.path.with_suffix(".tmp")
        scratch.write_text(json.dumps(self.entries, ensure_ascii=False, indent=1), "utf-8")
        os.replace(scratch, self.path)


class OrdenClient:
    def __init__(self, name: str, outbound: Outbound, endpoints: Mapping[str, str],
                 options: OrdenOptions) -> None:  # fmt: skip
        self.name, self.outbound, self.endpoints, self.options = name, outbound, endpoints, options

    def _env(self, variable: str | None) -> str:
        value = os.environ.get(variable or "", "")
        if not value:
            raise ConnectorSecretMissing(name=self.name, env=variable or "?")
        return value

    def auth_headers(self, body: bytes = b"") -> dict[str, str]:
        """Our credentials for ORDEN (options.outbound_auth), secrets from the environment."""
        auth = self.options.outbound_auth
        if auth is None or auth.scheme == "none":
            return {}
        if auth.scheme == "bearer":
            return {"Authorization": f"Bearer {self._env(auth.token_env)}"}
        if auth.scheme == "basic":
            pair = f"{auth.username or ''}:{self._env(auth.password_env)}".encode()
            return {"Authorization": "Basic " + base64.b64encode(pair).decode()}
        secret = self._env(auth.secret_env).encode()
        return {
            auth.header or "X-Signature": signature(
                secret, body, self.options.notify, auth.algorithm
            )
        }

    def poll(self, target: Target, validators: Mapping[str, str]) -> Fetched:
        """The catalog's export (or list) at endpoints.pull; `not_modified` on a 304."""
        return self.outbound.get(
            target.fill(self.endpoints["pull"]),
            etag=validators.get("etag"),
            modified_since=validators.get("last_modified"),
            headers=self.auth_headers(),
        )

    def fetch(self, url: str) -> Fetched:
        return self.outbound.get(url, headers=self.auth_headers())

    def push(self, target: Target, csv_bytes: bytes, metadata: Mapping[str, Any]) -> list[Fetched]:
        """The CSV and metadata to endpoints.push (and endpoints.push_metadata when the CSV is
        the raw body and the metadata goes as JSON); the answers, in order."""
        push = self.options.push
        url = target.fill(self.endpoints["push"])
        if push.body == "csv":
            sent = [self._send(push.method, url, csv_bytes, {"Content-Type": CSV_TYPE})]
            if push.metadata_as == "json" and "push_metadata" in self.endpoints:
                body = json.dumps(metadata, ensure_ascii=False).encode("utf-8")
                meta_url = target.fill(self.endpoints["push_metadata"])
                sent.append(self._send(push.metadata_method, meta_url, body,
                                       {"Content-Type": "application/json"}))  # fmt: skip
            return sent
        content, content_type = multipart(
            target.fill(push.file_name), csv_bytes, metadata, self.options
        )
        return [self._send(push.method, url, content, {"Content-Type": content_type})]

    def _send(self, method: str, url: str, body: bytes, headers: dict[str, str]) -> Fetched:
        sent = {**self.options.push.headers, **headers, **self.auth_headers(body)}
        return self.outbound.send(method, url, content=body, headers=sent)


def multipart(file_name: str, csv_bytes: bytes, metadata: Mapping[str, Any], options: OrdenOptions) -> tuple[bytes, str]:  # fmt: skip
    """The multipart/form-data body and its Content-Type (with the boundary), encoded by httpx."""
    push = options.push
    data: dict[str, str] = {}
    files: dict[str, tuple[str, bytes, str]] = {push.file_field: (file_name, csv_bytes, CSV_TYPE)}
    if push.metadata_as == "fields":
        data = {field: as_text(value) for field, value in metadata.items()}
    elif push.metadata_as == "json-part":
        text = json.dumps(metadata, ensure_ascii=False).encode("utf-8")
        files[push.metadata_field] = ("metadata.json", text, "application/json")
    request = httpx.Request("POST", "http://multipart.invalid/", data=data, files=files)
    return request.read(), request.headers["Content-Type"]
