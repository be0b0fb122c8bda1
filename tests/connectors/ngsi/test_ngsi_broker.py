"""The NGSI connector against a stand-in broker on 127.0.0.1 that records what it receives
and implements just what the connector uses: POST /v2/op/update (append), GET /v2/entities
(type, limit, offset, options=count → Fiware-Total-Count) and GET /version."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from portal.composition import Portal
from portal.connectors.base import ConnectorConfig
from portal.connectors.http import OutboundFailed, OutboundTimeout
from portal.connectors.ngsi import NgsiConnector
from portal.connectors.ngsi.plugin import PUSH_KIND, NgsiPushFailed, register_jobs, run_push
from tests.api.conftest import build_catalogue
from tests.conftest import TEST_DATA
from tests.connectors.servers import Answer, Recorded, RecordingServer

DATASET = "272248-aed"  # 摂津市's AED list, as tests/data/api/aed-settsu.yaml publishes it


class Broker:
    """Entities kept by id; an entity whose name holds REFUSE is refused with a 422."""

    def __init__(self, server: RecordingServer) -> None:
        self.entities: dict[str, dict[str, Any]] = {}
        server.route_fn("POST", "/v2/op/update", self.update)
        server.route_fn("GET", "/v2/entities", self.list)
        server.route("GET", "/version", Answer(200, {"orion": {"version": "3.10.1"}}))

    def update(self, request: Recorded) -> Answer:
        batch = request.json()
        bad = [
            e["id"] for e in batch["entities"] if "REFUSE" in str(e.get("name", {}).get("value"))
        ]
        if bad:
            return Answer(422, {"error": "Unprocessable", "description": f"invalid: {bad[0]}"})
        for entity in batch["entities"]:
            self.entities.setdefault(entity["id"], {}).update(entity)
        return Answer(204)

    def list(self, request: Recorded) -> Answer:
        kind = request.query["type"][0]
        limit, offset = int(request.query["limit"][0]), int(request.query["offset"][0])
        found = [e for e in self.entities.values() if e["type"] == kind]
        return Answer(200, found[offset:offset + limit],
                      headers={"Fiware-Total-Count": str(len(found))})  # fmt: skip


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Any:
    root = tmp_path_factory.mktemp("ngsi")
    return build_catalogue(root, recipes=[TEST_DATA / "api" / "aed-settsu.yaml"])


@pytest.fixture
def portal(settings: Any) -> Iterator[Portal]:
    opened = Portal.open(settings)
    yield opened
    opened.close()


def connector(url: str, **options: Any) -> NgsiConnector:
    return NgsiConnector(ConnectorConfig(
        name="orion", kind="ngsi", endpoints={"broker": url},
        limits={"timeout": 1.0, "retries": 1, "backoff": 0.05},
        options={"service": "hirakata", "service_path": "/opendata", **options}))  # fmt: skip


def test_push_sends_batches_of_typed_entities_with_the_service_headers(
    recording_server: RecordingServer, portal: Portal, filip_check: Any
) -> None:
    broker = Broker(recording_server)
    rows = list(connector(recording_server.url).rows(portal, portal.package(DATASET)))
    report = connector(recording_server.url, batch_size=2).push(portal, [DATASET])
    assert [(i.dataset, i.outcome) for i in report.items] == [(DATASET, "pushed")]
    posts = recording_server.received("POST", "/v2/op/update")
    assert [len(p.json()["entities"]) for p in posts] == [2] * (len(rows) // 2) + [
        len(rows) % 2
    ] * (len(rows) % 2)
    for post in posts:
        assert post.headers["fiware-service"] == "hirakata"
        assert post.headers["fiware-servicepath"] == "/opendata"
        assert post.headers["user-agent"].startswith("municipal-open-data-portal/")
        assert post.json()["actionType"] == "append"
    sent = [e for p in posts for e in p.json()["entities"]]
    first = sent[0]
    assert first["id"] == f"urn:ngsi-ld:AED:272248:{rows[0][1]['ID']}"
    assert first["type"] == "AED"
    assert first["localGovernmentCode"] == {"type": "Text", "value": "272248"}
    assert first["location"]["type"] == "geo:json"
    assert first["location"]["value"] == {
        "type": "Point", "coordinates": [rows[0][1]["経度"], rows[0][1]["緯度"]]}  # fmt: skip
    assert {e["type"] for e in sent} == {"AED"} and len({e["id"] for e in sent}) == len(rows)
    found = filip_check(sent, [p.json() for p in posts])
    assert set(found["entities"]) | set(found["batches"]) == {None}
    assert len(broker.entities) == len(rows)


def test_pull_gives_the_rows_back_paging_by_the_total_count(
    recording_server: RecordingServer, portal: Portal
) -> None:
    Broker(recording_server)
    ngsi = connector(recording_server.url, page_size=2)
    ngsi.push(portal, [DATASET])
    rows = [row for _, row in ngsi.rows(portal, portal.package(DATASET))]
    assert ngsi.pull_rows(portal, DATASET) == rows
    pages = recording_server.received("GET", "/v2/entities")
    assert len(pages) == -(-len(rows) // 2)
    assert [p.query["offset"][0] for p in pages] == [str(2 * i) for i in range(len(pages))]
    assert all(p.query["options"] == ["count"] and p.query["type"] == ["AED"] for p in pages)
    assert all(p.headers["fiware-service"] == "hirakata" for p in pages)


def test_check_asks_the_broker_its_version(recording_server: RecordingServer,
                                           portal: Portal) -> None:  # fmt: skip
    Broker(recording_server)
    report = connector(recording_server.url).check(portal)
    assert report.ok and "3.10.1" in report.items[0].message
    assert (
        recording_server.received("GET", "/version")[0].headers["fiware-servicepath"] == "/opendata"
    )


def test_a_refused_entity_is_named_and_the_others_go_in(
    recording_server: RecordingServer, portal: Portal
) -> None:
    broker = Broker(recording_server)
    ngsi = connector(recording_server.url, batch_size=50)
    rows = [row for _, row in ngsi.rows(portal, portal.package(DATASET))]
    bad_id = rows[1]["ID"]
    ngsi.mapping = _refusing(ngsi.mapping, bad_id)  # type: ignore[method-assign]
    report = ngsi.push(portal, [DATASET])
    (item,) = report.items
    assert item.outcome == "failed"
    assert f"1 of {len(rows)} entities refused" in item.message
    assert f"urn:ngsi-ld:AED:272248:{bad_id}" in item.message and "422" in item.message
    assert len(broker.entities) == len(rows) - 1  # the batch was sent again entity by entity


def _refusing(make: Any, bad_id: str) -> Any:
    def mapping(portal: Portal, package: Any) -> Any:
        real = make(portal, package)

        class Refusing:
            entity_type = real.entity_type

            def entity(self, row: dict[str, Any], lgcode: str) -> dict[str, Any]:
                made = real.entity(row, lgcode)
                if row["ID"] == bad_id:
                    made["name"] = {"type": "Text", "value": "REFUSE"}
                return made

        return Refusing()

    return mapping


def test_a_broker_down_or_hanging_is_bounded_and_retried_by_the_job(
    recording_server: RecordingServer, portal: Portal
) -> None:
    recording_server.route("POST", "/v2/op/update", Answer(hang=True))
    started = time.monotonic()
    with pytest.raises(OutboundTimeout):
        connector(recording_server.url).push(portal, [DATASET])
    assert time.monotonic() - started < 10
    recording_server.route("POST", "/v2/op/update", Answer(503))
    with pytest.raises(OutboundFailed) as failed:
        connector(recording_server.url).push(portal, [DATASET])
    assert failed.value.response_status == 503  # a 5xx propagates: the queue retries it


def test_the_push_job_fails_at_once_on_a_refusal_naming_the_entity(
    recording_server: RecordingServer, portal: Portal, tmp_path: Path
) -> None:
    recording_server.route("POST", "/v2/op/update",
                           Answer(400, {"error": "BadRequest", "description": "Invalid characters in attribute type"}))  # fmt: skip
    portal._connectors = {"orion": connector(recording_server.url)}
    with pytest.raises(NgsiPushFailed) as refused:
        run_push(portal, {"connector": "orion", "names": [DATASET]})
    assert "urn:ngsi-ld:AED:272248:" in refused.value.message_en
    assert "Invalid characters in attribute type" in refused.value.message_en
    assert refused.value.retryable is False
    register_jobs(portal.jobs)
    assert PUSH_KIND in portal.jobs.kinds


def test_a_publish_enqueues_a_push_when_push_on_publish(
    recording_server: RecordingServer, tmp_path: Path
) -> None:
    broker = Broker(recording_server)
    folder = tmp_path / "connectors"
    folder.mkdir()
    (folder / "orion.yaml").write_text(
        f"kind: ngsi\nendpoints: {{broker: '{recording_server.url}'}}\n"
        "options: {service: hirakata, push_on_publish: true}\n", encoding="utf-8")  # fmt: skip
    settings = build_catalogue(tmp_path, recipes=[TEST_DATA / "api" / "aed-settsu.yaml"],
                               connectors_dir=folder)  # fmt: skip
    opened = Portal.open(settings)
    try:
        (job,) = opened.jobs.list(kind=PUSH_KIND)
        assert job.payload == {"connector": "orion", "names": [DATASET]}
        opened.jobs.run_until_idle()
        assert opened.jobs.get(job.id).state == "done"  # type: ignore[union-attr]
    finally:
        opened.close()
    assert len(broker.entities) == 5
    assert {r.headers["fiware-service"] for r in recording_server.received("POST")} == {"hirakata"}
