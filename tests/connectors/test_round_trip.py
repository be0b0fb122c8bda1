"""The whole exchange in one test, every peer a real HTTP server on loopback that records what
it receives: an ORDEN-style platform notifies the portal of a new file → the portal fetches,
converts, validates and publishes it → the publish pushes its rows to an NGSI-v2 broker and
sends the civic-tech subscriber a signed notice of the new version."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from portal.catalogue.meta import PortalMeta
from portal.composition import Portal
from portal.server import create_app
from portal.settings import Settings
from portal.subscriptions.service import Subscriptions
from portal.subscriptions.signing import verify
from tests.conftest import DATASETS_DIR, PROJECT_ROOT, REFERENCE_DIR, SAMPLES_DIR
from tests.connectors.ngsi.test_ngsi_broker import Broker
from tests.connectors.servers import Answer, RecordingServer, serving

SAMPLE = SAMPLES_DIR / "aed" / "yaizu_aed_legacy.csv"
RECIPE = PROJECT_ROOT / "pipelines" / "yaizu_aed.yaml"
DATASET, CATALOG, TOKEN = "222127-aed", "cat-aed-0001", "orden-token-31"


@pytest.fixture
def peers() -> Iterator[tuple[RecordingServer, RecordingServer, RecordingServer]]:
    with serving() as orden, serving() as broker, serving() as subscriber:
        yield orden, broker, subscriber


def configure(folder: Path, orden: RecordingServer, broker: RecordingServer) -> Path:
    """The two connectors' YAML files, as a city would write them."""
    folder.mkdir()
    (folder / "orden.yaml").write_text(yaml.safe_dump({
        "kind": "orden", "endpoints": {"files": orden.url + "/files/"},
        "auth": {"scheme": "bearer", "token_env": "ROUND_TRIP_ORDEN_TOKEN"},
        "ids": [{"dataset": DATASET, "catalog_id": CATALOG, "recipe": str(RECIPE)}],
        "limits": {"timeout": 2, "retries": 0},
    }, allow_unicode=True), encoding="utf-8")  # fmt: skip
    (folder / "orion.yaml").write_text(yaml.safe_dump({
        "kind": "ngsi", "endpoints": {"broker": broker.url},
        "limits": {"timeout": 2, "retries": 0, "backoff": 0.05},
        "options": {"service": "yaizu", "service_path": "/opendata", "push_on_publish": True},
    }), encoding="utf-8")  # fmt: skip
    return folder


def test_an_orden_notice_ends_at_the_broker_and_the_subscriber(
    peers: tuple[RecordingServer, RecordingServer, RecordingServer],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    orden, broker_server, subscriber = peers
    monkeypatch.setenv("ROUND_TRIP_ORDEN_TOKEN", TOKEN)
    orden.route("GET", "/files/aed.csv", Answer(200, SAMPLE.read_bytes()))
    broker = Broker(broker_server)
    subscriber.route("POST", "/hook", Answer(204))
    settings = Settings(datasets_dir=DATASETS_DIR, reference_dir=REFERENCE_DIR,
                        data_dir=tmp_path / "var", catalogue="embedded", rate_limit=0,
                        connectors_dir=configure(tmp_path / "connectors", orden, broker_server),
                        subscriptions_allow_private=True)  # fmt: skip
    portal = Portal.open(settings)
    client = TestClient(create_app(settings, portal))
    key = Subscriptions(portal.store, settings).issue_key("civic tech 焼津")
    made = client.post("/api/v1/subscriptions", headers={"Authorization": f"Bearer {key}"},
                       json={"standard": "aed", "url": subscriber.url + "/hook"})  # fmt: skip
    assert made.status_code == 201, made.text
    secret = made.json()["secret"]

    notice = json.dumps({"catalog_id": CATALOG, "version": "2026-12-01T09:00:00+09:00",
                         "file_url": orden.url + "/files/aed.csv"}).encode()  # fmt: skip
    answer = client.post("/api/v1/connectors/orden/notify", content=notice,
                         headers={"Authorization": f"Bearer {TOKEN}",
                                  "Content-Type": "application/json"})  # fmt: skip
    assert answer.status_code == 202, answer.text
    portal.jobs.run_until_idle(timeout=60)  # intake, then what the publish enqueued

    # Our catalogue: the file, converted by 焼津市's recipe, validated and published.
    package = portal.package(DATASET)
    meta = PortalMeta.from_package(package)
    assert meta.validation is not None and meta.validation.valid and meta.rows == 60
    assert client.get(answer.json()["job"]["url"]).json()["job"]["state"] == "done"

    # The broker: every row as an AED entity of 焼津市, under the configured tenant.
    updates = broker_server.received("POST", "/v2/op/update")
    assert updates and all(u.headers["fiware-service"] == "yaizu" for u in updates)
    assert all(u.headers["fiware-servicepath"] == "/opendata" for u in updates)
    assert len(broker.entities) == 60
    assert all(i.startswith("urn:ngsi-ld:AED:222127:") for i in broker.entities)

    # The subscriber: one notice of version 1, signed with the secret it was given.
    [delivered] = subscriber.received("POST", "/hook")
    assert verify(secret, delivered.body, delivered.headers)
    body = delivered.json()
    assert body["dataset"]["name"] == DATASET and body["version"]["number"] == 1
    assert body["changes"]["added"] == 60 and body["changes"]["removed"] == 0
