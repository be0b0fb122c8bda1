"""The ORDEN tests' world: a portal with the connector `orden` configured against a fake ORDEN
(a recording server on loopback), the credentials a notification carries, and the notify call.
The `world` fixture is offered by tests/connectors/orden/conftest.py."""

from __future__ import annotations

import asyncio
import base64
import csv
import hashlib
import hmac
import io
import json
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient
from starlette.datastructures import Headers
from starlette.formparsers import MultiPartParser

from portal.composition import Portal
from portal.server import create_app
from portal.settings import Settings
from tests.conftest import DATASETS_DIR, PROJECT_ROOT, REFERENCE_DIR, SAMPLES_DIR
from tests.connectors.servers import Answer, RecordingServer

SAMPLE = SAMPLES_DIR / "aed" / "yaizu_aed_legacy.csv"  # the file the fake ORDEN serves
RECIPE = PROJECT_ROOT / "pipelines" / "yaizu_aed.yaml"  # 焼津市's AED recipe takes it in
DATASET = "222127-aed"
CATALOG = "cat-aed-0001"
NOTIFY = "/api/v1/connectors/orden/notify"
TOKEN, PASSWORD, SECRET = "tok-9c1e", "pw-4b2d", "hmac-secret-7f"
AUTHS = {
    "bearer": {"scheme": "bearer", "token_env": "ORDEN_TEST_TOKEN"},
    "basic": {"scheme": "basic", "username": "orden", "password_env": "ORDEN_TEST_PASSWORD"},
    "hmac": {"scheme": "hmac", "secret_env": "ORDEN_TEST_SECRET", "header": "X-Orden-Signature"},
}
FIELDS = {
    "catalog_id": "カタログID",
    "topic": "トピック名",
    "title": "タイトル",
    "description": "説明",
}


def invalid_sample() -> bytes:
    """The sample with a local government code that does not exist and a repeated ID."""
    rows = list(csv.reader(io.StringIO(SAMPLE.read_text("utf-8"))))
    rows[1][0] = "123456"
    rows[2][1] = rows[3][1]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def credentials(scheme: str, body: bytes) -> dict[str, str]:
    if scheme == "bearer":
        return {"Authorization": f"Bearer {TOKEN}"}
    if scheme == "basic":
        return {"Authorization": "Basic " + base64.b64encode(f"orden:{PASSWORD}".encode()).decode()}
    signed = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    return {"X-Orden-Signature": "sha256=" + signed}


@dataclass
class World:
    orden: RecordingServer
    tmp: Path
    monkeypatch: pytest.MonkeyPatch

    def open(self, auth: str = "bearer", **config: Any) -> tuple[Portal, TestClient]:
        """A portal with the connector `orden` configured against the fake ORDEN."""
        base = {
            "kind": "orden",
            "endpoints": {"files": self.orden.url + "/files/", **config.pop("endpoints", {})},
            "auth": AUTHS[auth],
            "ids": [
                {"dataset": DATASET, "catalog_id": CATALOG, "topic": "aed", "recipe": str(RECIPE)}
            ],
            "metadata": {"fields": FIELDS},
            "options": {"notify": {"signature_prefix": "sha256="}, **config.pop("options", {})},
            "limits": {"timeout": 1, "retries": 0, **config.pop("limits", {})},
            **config,
        }
        folder = self.tmp / "connectors"
        folder.mkdir(exist_ok=True)
        (folder / "orden.yaml").write_text(yaml.safe_dump(base, allow_unicode=True), "utf-8")
        settings = Settings(datasets_dir=DATASETS_DIR, reference_dir=REFERENCE_DIR,
                            data_dir=self.tmp / "var", catalogue="embedded", rate_limit=0,
                            connectors_dir=folder)  # fmt: skip
        portal = Portal.open(settings)
        return portal, TestClient(create_app(settings, portal))

    def notice(self, version: str, file: str = "aed.csv", catalog: str = CATALOG) -> bytes:
        return json.dumps({"catalog_id": catalog, "version": version,
                           "file_url": f"{self.orden.url}/files/{file}"}).encode()  # fmt: skip


@pytest.fixture
def world(
    recording_server: RecordingServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> World:
    monkeypatch.setenv("ORDEN_TEST_TOKEN", TOKEN)
    monkeypatch.setenv("ORDEN_TEST_PASSWORD", PASSWORD)
    monkeypatch.setenv("ORDEN_TEST_SECRET", SECRET)
    recording_server.route("GET", "/files/aed.csv", Answer(200, SAMPLE.read_bytes()))
    recording_server.route("GET", "/files/aed-bad.csv", Answer(200, invalid_sample()))
    return World(recording_server, tmp_path, monkeypatch)


def post(client: TestClient, body: bytes, headers: dict[str, str]) -> Any:
    return client.post(
        NOTIFY, content=body, headers={"Content-Type": "application/json", **headers}
    )


def multipart_parts(content: bytes, content_type: str) -> dict[str, tuple[str | None, bytes]]:
    """A multipart body as a server reads it (Starlette's parser): name → (file name, bytes).
    Run in a thread of its own: the test session may already run an event loop here."""

    async def parse() -> dict[str, tuple[str | None, bytes]]:
        async def stream() -> AsyncIterator[bytes]:
            yield content

        form = await MultiPartParser(Headers({"content-type": content_type}), stream()).parse()
        found: dict[str, tuple[str | None, bytes]] = {}
        for key, value in form.multi_items():
            is_text = isinstance(value, str)
            found[key] = (None, value.encode()) if is_text else (value.filename, await value.read())
        return found

    with ThreadPoolExecutor(max_workers=1) as thread:
        return thread.submit(asyncio.run, parse()).result()
