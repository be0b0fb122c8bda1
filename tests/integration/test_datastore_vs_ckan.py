"""The portal's DataStore actions against the real CKAN's DataStore, with the same rows.

A demo dataset (吹田市 AED, 8 rows: a repeated 設置位置, a 24時間 row whose times are
empty, a name with 𠮷 outside the BMP) is published on the portal, SQLite and PostgreSQL;
the same rows go into CKAN's DataStore by `datastore_create`, with the types the portal
serves. Then every query is asked of both, and the answers compared field by field:
records, fields, total and the parameters echoed. What differs is listed in DIFFERENCES
(and in the README's compatibility section); each such query asserts the difference itself,
so a change on either side shows here.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import ckanapi
import httpx
import pytest
from fastapi.testclient import TestClient

from portal.composition import Portal
from portal.rows.datastore import ckan_type
from portal.server import create_app
from portal.settings import Settings
from portal.standards.definition import typed_value
from tests.api.conftest import build_catalogue, serve
from tests.conftest import TEST_DATA, new_postgres_schema
from tests.integration.conftest import purge

pytestmark = pytest.mark.ckan

DATASET = "272051-aed"
# What the portal answers differently from CKAN 2.12's DataStore, and why.
DIFFERENCES = {
    "resource_id": "each side's own resource id (the same rows, two catalogues)",
    "_links": "the portal links start/next/prev pages as CKAN up to 2.11 did; 2.12 dropped them",
    "include_next_page, filterops": "CKAN 2.12 echoes its keyset paging flag and parsed filters; "
    "the portal pages by offset and echoes `filters` as given",
    "rank": "with q, CKAN adds a `rank` field (ts_rank) and sorts by it; the portal has no rank "
    "and keeps the CSV's order (add sort= for an order both give)",
    "q in Japanese": "CKAN's full text splits on spaces and punctuation (english parser), so "
    "a word inside a Japanese phrase (市役所 in 吹田市役所本庁舎) finds nothing; the portal "
    "finds every word as a substring of any field",
    "q stemming": "CKAN stems English words (librari finds library); the portal does not",
    "ties in sort": "rows that sort alike come in the CSV's order on the portal (the same page "
    "every time); in no set order on CKAN (add `_id` to the sort for one order on both)",
    "distinct order": "CKAN's distinct rows come in no set order; the portal's in first-seen order",
    "datastore_info meta": "no size, db_size or idx_size (the rows store is not one table per "
    "resource); count, id, table_type and aliases are given",
    "errors": "409 and 404 as CKAN; the message is one sentence (`parameter fields: invalid "
    'value "x"`) where CKAN gives a dict of lists per parameter',
}
ECHOED = ("include_total", "limit", "offset", "q", "filters", "sort", "distinct",
          "records_format")  # fmt: skip
SAME = [
    {},
    {"limit": 3, "offset": 2},
    {"limit": 2, "include_total": "false"},
    {"fields": "名称,設置位置"},
    {"fields": "_id,開始時間", "sort": "開始時間, _id"},
    {"fields": "_id,開始時間", "sort": "開始時間 desc, _id desc"},
    {"sort": "緯度 desc", "fields": "_id,緯度"},
    {"sort": "_id desc", "limit": 3},
    {"filters": {"設置位置": "1階ロビー"}},
    {"filters": {"ID": ["2", "4", "99"]}},
    {"filters": {"緯度": 34.78}},
    {"filters": {"_id": 8}},
    {"q": "吹田市役所本庁舎", "fields": "_id,名称"},
    {"q": "𠮷田記念体育館", "fields": "_id,名称"},
    {"fields": "_id,名称", "records_format": "lists"},
    {"fields": "ID,名称", "records_format": "csv", "limit": 3},
]


def _rows(csv_text: str, types: dict[str, str]) -> list[dict[str, Any]]:
    """The published CSV's records as CKAN is given them (cells typed as the portal types them)."""
    return [{k: typed_value(v, types[k]) for k, v in row.items()}
            for row in csv.DictReader(io.StringIO(csv_text))]  # fmt: skip


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def portal(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[tuple[TestClient, str, dict[str, str], str]]:  # fmt: skip
    """The portal serving the demo dataset: its client, the CSV resource id, the field types,
    the published CSV."""
    root = tmp_path_factory.mktemp(f"datastore-{request.param}")
    recipes = [TEST_DATA / "api" / "aed-suita.yaml"]
    if request.param == "sqlite":
        yield _served(build_catalogue(root, recipes))
        return
    with new_postgres_schema(request.getfixturevalue("postgres_url")) as url:
        yield _served(build_catalogue(root, recipes, database_url=url))


def _served(settings: Settings) -> tuple[TestClient, str, dict[str, str], str]:
    client = TestClient(create_app(settings))
    package = client.get("/api/3/action/package_show", params={"id": DATASET}).json()["result"]
    resource = next(r for r in package["resources"] if r["format"] == "CSV")
    definition = Portal.open(settings).definition(package)
    assert definition is not None
    types = {f["name"]: f["type"] for f in definition.fields}
    return client, resource["id"], types, client.get(resource["url"]).text


@pytest.fixture(scope="module")
def on_ckan(ckan: ckanapi.RemoteCKAN, portal: tuple[TestClient, str, dict[str, str], str]
            ) -> Iterator[str]:  # fmt: skip
    """The same rows in the real CKAN's DataStore; its resource id."""
    _, _, types, published = portal
    suffix = uuid.uuid4().hex[:8]
    ckan.action.organization_create(name=f"ds-{suffix}")
    package = ckan.action.package_create(
        name=f"ds-aed-{suffix}", owner_org=f"ds-{suffix}",
        resources=[{"url": "http://127.0.0.1/272051_aed.csv", "name": "272051_aed.csv", "format": "CSV"}],
    )  # fmt: skip
    resource_id = package["resources"][0]["id"]
    try:
        ckan.action.datastore_create(
            resource_id=resource_id, force=True,
            fields=[{"id": name, "type": ckan_type(kind)} for name, kind in types.items()],
            records=_rows(published, types),
        )  # fmt: skip
        yield resource_id
    finally:
        purge(ckan, suffix)


def _ask(client: TestClient | None, base: str, action: str, params: dict[str, Any]
         ) -> tuple[int, dict[str, Any]]:  # fmt: skip
    """An action over GET, as a browser or curl asks it (JSON values as JSON text)."""
    query = {k: json.dumps(v, ensure_ascii=False) if isinstance(v, dict) else v
             for k, v in params.items()}  # fmt: skip
    url = f"{base}/api/3/action/{action}"
    answer = client.get(url, params=query) if client else httpx.get(url, params=query)
    return answer.status_code, answer.json()


def _compared(result: dict[str, Any]) -> dict[str, Any]:
    """What both must answer alike: records, fields, total, the parameters echoed."""
    records = result["records"]
    if isinstance(records, list):
        records = [{k: v for k, v in r.items() if k != "rank"} if isinstance(r, dict) else r
                   for r in records]  # fmt: skip
    fields = [f for f in result["fields"] if f["id"] != "rank"]
    echoed = {k: result[k] for k in ECHOED if k in result}
    return {"records": records, "fields": fields, "total": result.get("total"), **echoed}


@pytest.fixture(scope="module")
def both(
    portal: tuple[TestClient, str, dict[str, str], str], on_ckan: str, ckan: ckanapi.RemoteCKAN
) -> Callable[[str, dict[str, Any]], tuple[tuple[int, Any], tuple[int, Any]]]:
    client, portal_id, _, _ = portal

    def ask(action: str, params: dict[str, Any]) -> tuple[tuple[int, Any], tuple[int, Any]]:
        mine = _ask(client, "", action, {"resource_id": portal_id, **params})
        theirs = _ask(None, ckan.address, action, {"resource_id": on_ckan, **params})
        return mine, theirs

    return ask


@pytest.mark.parametrize("params", SAME, ids=[json.dumps(p, ensure_ascii=False) for p in SAME])
def test_same_answer_as_ckan(both: Any, params: dict[str, Any]) -> None:
    (status, mine), (ckan_status, theirs) = both("datastore_search", params)
    assert (status, ckan_status) == (200, 200), (mine, theirs)
    assert _compared(mine["result"]) == _compared(theirs["result"])
    assert set(mine["result"]) - set(theirs["result"]) <= {"_links"}  # documented: DIFFERENCES


def test_distinct_same_rows_as_ckan(both: Any) -> None:
    (_, mine), (_, theirs) = both("datastore_search", {"fields": "設置位置", "distinct": "true"})
    ours, ckans = _compared(mine["result"]), _compared(theirs["result"])
    assert sorted(map(str, ours.pop("records"))) == sorted(map(str, ckans.pop("records")))
    assert ours == ckans and mine["result"]["total"] == 7  # 1階ロビー twice


def test_japanese_word_inside_a_phrase(both: Any) -> None:
    """Documented: the portal finds 市役所 inside 吹田市役所本庁舎; CKAN's english parser does not."""
    (_, mine), (_, theirs) = both("datastore_search", {"q": "市役所", "fields": "名称"})
    assert [r["名称"] for r in mine["result"]["records"]] == ["吹田市役所本庁舎"]
    assert theirs["result"]["records"] == []


def test_unknown_resource_is_not_found_on_both(both: Any) -> None:
    for action in ("datastore_search", "datastore_info"):
        (status, mine), (ckan_status, theirs) = both(action, {"resource_id": "no-such-resource"})
        assert status == ckan_status == 404
        assert mine["error"]["__type"] == theirs["error"]["__type"] == "Not Found Error"
        assert mine["success"] is theirs["success"] is False
        assert "no-such-resource" in mine["error"]["message"]


@pytest.mark.parametrize("params", [
    {"fields": "nope"}, {"sort": "nope desc"}, {"filters": {"nope": "1"}},
    {"limit": "many"}, {"records_format": "xml"},
], ids=["field", "sort", "filter", "limit", "format"])  # fmt: skip
def test_bad_parameter_is_a_validation_error_on_both(both: Any, params: dict[str, Any]) -> None:
    (status, mine), (ckan_status, theirs) = both("datastore_search", params)
    assert status == ckan_status == 409, (mine, theirs)
    assert mine["error"]["__type"] == theirs["error"]["__type"] == "Validation Error"
    assert next(iter(params)) in mine["error"]["message"]  # names the parameter


def test_info_fields_as_ckan(both: Any) -> None:
    (status, mine), (ckan_status, theirs) = both("datastore_info", {})
    assert status == ckan_status == 200
    assert mine["result"]["fields"] == theirs["result"]["fields"]
    assert mine["result"]["meta"]["count"] == theirs["result"]["meta"]["count"] == 8


def test_links_page_through(portal: tuple[TestClient, str, dict[str, str], str]) -> None:
    """A client that follows `_links.next` (CKAN ≤ 2.11) reads every row once."""
    client, resource_id, _, _ = portal
    url, seen = f"/api/3/action/datastore_search?resource_id={resource_id}&limit=3", []
    while True:
        result = client.get(url).json()["result"]
        if not result["records"]:
            break
        seen += [r["_id"] for r in result["records"]]
        url = result["_links"]["next"]
    assert seen == list(range(1, 9))


def test_ckanapi_reads_rows_unchanged(portal: tuple[TestClient, str, dict[str, str], str]) -> None:
    """ckanapi over a real socket (it POSTs JSON), as a DataStore client written for CKAN."""
    client, resource_id, _, _ = portal
    for base in serve(client.app):  # type: ignore[arg-type]
        remote = ckanapi.RemoteCKAN(base, user_agent="portal-tests")
        found = remote.action.datastore_search(
            resource_id=resource_id,
            filters={"ID": ["1", "7"]},
            fields=["ID", "名称"],
            sort="ID desc",
        )
        assert found["records"] == [
            {"ID": "7", "名称": "吹田市立市民病院"},
            {"ID": "1", "名称": "吹田市役所本庁舎"},
        ]
        with pytest.raises(ckanapi.NotFound):
            remote.action.datastore_search(resource_id="no-such-resource")
