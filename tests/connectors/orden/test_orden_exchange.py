"""The ORDEN connector end to end, against a fake ORDEN (a recording server on loopback):
notifications in through POST /api/v1/connectors/orden/notify (auth refused and accepted,
a repeat, an unknown catalog, a file that fails validation), the pull fallback with ETag,
the push to a configured endpoint and the upload bundle."""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import time
import zipfile
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

from portal.catalogue.from_recipe import publish_recipe
from portal.catalogue.meta import PortalMeta
from portal.catalogue.publish import Options
from portal.composition import Portal
from portal.connectors.intake import drafts
from portal.rows.published import csv_resource
from portal.workspace import Workspace
from tests.connectors.orden.world import (
    AUTHS,
    CATALOG,
    DATASET,
    RECIPE,
    SAMPLE,
    SECRET,
    TOKEN,
    World,
    credentials,
    invalid_sample,
    multipart_parts,
    post,
)
from tests.connectors.servers import Answer, Recorded


@pytest.mark.parametrize("scheme", sorted(AUTHS))
def test_a_notice_without_or_with_wrong_credentials_is_refused(world: World, scheme: str) -> None:
    portal, client = world.open(scheme)
    body = world.notice("v1")
    wrong = {"bearer": {"Authorization": "Bearer nope"},
             "basic": {"Authorization": "Basic " + base64.b64encode(b"orden:nope").decode()},
             "hmac": {"X-Orden-Signature": "sha256=" + "0" * 64}}[scheme]  # fmt: skip
    tries = [{}, wrong]
    if scheme == "hmac":  # a signature of another body
        tries.append(credentials(scheme, body + b" "))
    for headers in tries:
        answer = post(client, body, headers)
        assert answer.status_code == 401, answer.text
        error = answer.json()["error"]
        assert answer.json()["ok"] is False
        assert error["code"] == "connector-auth-failed"
        assert "認証" in error["message_ja"] and "orden" in error["message_en"]
    assert portal.jobs.list() == []  # nothing queued
    assert world.orden.requests == []  # nothing fetched


@pytest.mark.parametrize("scheme", sorted(AUTHS))
def test_a_notice_with_credentials_is_taken_in_and_published(world: World, scheme: str) -> None:
    portal, client = world.open(scheme)
    body = world.notice("2025-06-01T09:00:00+09:00")
    answer = post(client, body, credentials(scheme, body))
    assert answer.status_code == 202, answer.text
    job = answer.json()["job"]
    assert job["state"] == "queued"
    portal.jobs.run_until_idle()
    done = client.get(job["url"]).json()
    assert done["job"]["state"] == "done", done
    assert done["job"]["result"]["outcome"] == "published"
    package = portal.catalogue.public_show(DATASET)
    assert package is not None
    meta = PortalMeta.from_package(package)
    assert meta.validation is not None and meta.validation.valid
    assert meta.rows == 60
    assert len(world.orden.received("GET", "/files/aed.csv")) == 1


def test_the_same_notice_twice_is_one_job_and_one_publish(world: World) -> None:
    portal, client = world.open("hmac")
    body = world.notice("v7")
    first = post(client, body, credentials("hmac", body))
    second = post(client, body, credentials("hmac", body))
    assert first.status_code == 202 and second.status_code in (200, 202)
    assert first.json()["job"]["id"] == second.json()["job"]["id"]
    portal.jobs.run_until_idle()
    third = post(client, body, credentials("hmac", body))  # after it ran, too
    assert third.json()["job"]["id"] == first.json()["job"]["id"]
    portal.jobs.run_until_idle()
    assert len(portal.jobs.list()) == 1
    assert len(world.orden.received("GET", "/files/aed.csv")) == 1
    assert len(portal.catalogue.history(DATASET)) == 1


def test_a_notice_of_an_unknown_catalog_is_404(world: World) -> None:
    portal, client = world.open("bearer")
    body = world.notice("v1", catalog="cat-nobody-mapped")
    answer = post(client, body, credentials("bearer", body))
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "connector-unknown-catalog"
    assert "cat-nobody-mapped" in answer.json()["error"]["message_ja"]
    assert portal.jobs.list() == []


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"not json", "not JSON"),
        (b'{"version": "1"}', "no catalog ID at /catalog_id"),
        (b'{"catalog_id": "' + CATALOG.encode() + b'"}', "no version"),
        (b'{"catalog_id": "' + CATALOG.encode() + b'", "version": "1", "file_url": "http://elsewhere.example/x.csv"}',
         "not a configured endpoint"),
    ],
)  # fmt: skip
def test_an_unreadable_notice_is_400_naming_what_is_missing(
    world: World, body: bytes, reason: str
) -> None:
    portal, client = world.open("bearer")
    answer = post(client, body, credentials("bearer", body))
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "connector-notice-invalid"
    assert reason in answer.json()["error"]["message_en"]
    assert portal.jobs.list() == []


def test_a_file_that_fails_validation_is_kept_as_a_draft_and_not_published(world: World) -> None:
    portal, client = world.open("bearer")
    body = world.notice("v2", file="aed-bad.csv")
    job = post(client, body, credentials("bearer", body)).json()["job"]
    portal.jobs.run_until_idle()
    done = client.get(job["url"]).json()["job"]
    assert done["state"] == "done"
    assert done["result"]["outcome"] == "draft" and done["result"]["valid"] is False
    assert done["result"]["errors"] == 2
    assert portal.catalogue.package_show(DATASET) is None  # nothing published
    kept = drafts(portal, "orden")
    assert [d["key"] for d in kept] == [f"{CATALOG}@v2"]
    folder = Path(kept[0]["draft"])
    assert (folder / "converted" / "222127_aed.validation.json").is_file()


def test_a_peer_that_hangs_fails_the_pull_within_its_bound(world: World) -> None:
    world.orden.route("GET", f"/export/{CATALOG}.csv", Answer(hang=True))
    portal, _ = world.open(endpoints={"pull": world.orden.url + "/export/{catalog_id}.csv"})
    started = time.monotonic()
    report = portal.connectors["orden"].pull(portal)
    assert time.monotonic() - started < 10  # timeout 1 s, no retry: bounded
    [item] = report.items
    assert item.outcome == "failed"
    assert item.detail["error"]["code"] == "outbound-timeout"
    assert portal.catalogue.package_show(DATASET) is None


def test_pull_takes_in_a_new_export_and_a_304_leaves_it_unchanged(world: World) -> None:
    def export(request: Recorded) -> Answer:
        if request.headers.get("if-none-match") == '"v1"':
            return Answer(304, headers={"ETag": '"v1"'})
        return Answer(200, SAMPLE.read_bytes(), {"ETag": '"v1"', "Content-Type": "text/csv"})

    world.orden.route_fn("GET", f"/export/{CATALOG}.csv", export)
    portal, _ = world.open(endpoints={"pull": world.orden.url + "/export/{catalog_id}.csv"})
    first = portal.connectors["orden"].pull(portal)
    assert [(i.dataset, i.outcome) for i in first.items] == [(DATASET, "published")]
    second = portal.connectors["orden"].pull(portal)
    assert [(i.dataset, i.outcome, i.message) for i in second.items] == [
        (DATASET, "unchanged", "304 Not Modified")
    ]
    polls = world.orden.received("GET", f"/export/{CATALOG}.csv")
    assert "if-none-match" not in polls[0].headers
    assert polls[1].headers["if-none-match"] == '"v1"'
    assert len(portal.catalogue.history(DATASET)) == 1


def publish_sample(
    portal: Portal, tmp: Path, recipe: Path = RECIPE, *, allow_invalid: bool = False
) -> bytes:
    """Publish 焼津市's AED dataset; the published CSV's bytes."""
    publish_recipe(recipe, portal.publisher(), Workspace.of(portal.settings),
                   Options(allow_invalid=allow_invalid), staging=tmp / "staging")  # fmt: skip
    package = portal.catalogue.public_show(DATASET)
    assert package is not None
    resource = csv_resource(package)
    assert resource is not None
    return portal.catalogue.resource_bytes(resource)


def title_of(portal: Portal) -> str:
    """The title the catalogue shows for the dataset."""
    package = portal.catalogue.public_show(DATASET)
    assert package is not None and "焼津市" in package["title"]
    return str(package["title"])


def test_push_sends_the_published_csv_metadata_and_credentials(world: World) -> None:
    world.orden.route("POST", f"/api/catalogs/{CATALOG}/files", Answer(201, {"ok": True}))
    portal, _ = world.open(
        endpoints={"push": world.orden.url + "/api/catalogs/{catalog_id}/files"},
        options={"outbound_auth": {"scheme": "bearer", "token_env": "ORDEN_TEST_TOKEN"},
                 "constants": {"テナント": "焼津市"}},
    )  # fmt: skip
    published = publish_sample(portal, world.tmp)
    report = portal.connectors["orden"].push(portal, None)
    assert [(i.dataset, i.outcome) for i in report.items] == [(DATASET, "pushed")]
    [sent] = world.orden.received("POST", f"/api/catalogs/{CATALOG}/files")
    assert sent.headers["authorization"] == f"Bearer {TOKEN}"
    assert sent.headers["user-agent"].startswith("municipal-open-data-portal/")
    parts = multipart_parts(sent.body, sent.headers["content-type"])
    assert parts["file"] == (f"{DATASET}.csv", published)
    assert parts["カタログID"] == (None, CATALOG.encode())
    assert parts["トピック名"] == (None, b"aed")
    assert parts["タイトル"][1].decode() == title_of(portal)
    assert parts["テナント"] == (None, "焼津市".encode())
    assert parts["lgcode"] == (None, b"222127")  # not in the mapping: passed through
    again = portal.connectors["orden"].push(portal, None)  # nothing changed: not sent again
    assert [i.outcome for i in again.items] == ["unchanged"]
    assert len(world.orden.received("POST")) == 1


def test_push_as_a_raw_csv_body_with_json_metadata_signed_by_hmac(world: World) -> None:
    world.orden.route("PUT", f"/catalogs/{CATALOG}/data", Answer(204))
    world.orden.route("PATCH", f"/catalogs/{CATALOG}", Answer(200, {}))
    portal, _ = world.open(
        endpoints={"push": world.orden.url + "/catalogs/{catalog_id}/data",
                   "push_metadata": world.orden.url + "/catalogs/{catalog_id}"},
        options={"push": {"method": "PUT", "body": "csv", "metadata_as": "json", "metadata_method": "PATCH"},
                 "outbound_auth": {"scheme": "hmac", "secret_env": "ORDEN_TEST_SECRET", "header": "X-Sig"}},
    )  # fmt: skip
    published = publish_sample(portal, world.tmp)
    report = portal.connectors["orden"].push(portal, [DATASET])
    assert [i.outcome for i in report.items] == ["pushed"]
    data, metadata = world.orden.requests
    assert (data.method, data.body, data.headers["content-type"]) == (
        "PUT",
        published,
        "text/csv; charset=utf-8",
    )
    for recorded in (data, metadata):
        expected = hmac.new(SECRET.encode(), recorded.body, hashlib.sha256).hexdigest()
        assert recorded.headers["x-sig"] == "sha256=" + expected
    assert metadata.method == "PATCH"
    assert metadata.json()["カタログID"] == CATALOG and metadata.json()["rows"] == 60


def test_a_dataset_that_is_not_valid_is_never_pushed(world: World) -> None:
    world.orden.route("POST", f"/api/catalogs/{CATALOG}/files", Answer(201))
    portal, _ = world.open(endpoints={"push": world.orden.url + "/api/catalogs/{catalog_id}/files"})
    bad = world.tmp / "bad.csv"
    bad.write_bytes(invalid_sample())
    recipe = yaml.safe_load(RECIPE.read_text("utf-8"))
    recipe["source"]["path"] = str(bad)
    recipe_path = world.tmp / "bad.yaml"
    recipe_path.write_text(yaml.safe_dump(recipe, allow_unicode=True), "utf-8")
    publish_sample(portal, world.tmp, recipe_path, allow_invalid=True)  # published as 要修正
    [item] = portal.connectors["orden"].push(portal, None).items
    assert item.outcome == "failed"
    assert item.detail["error"]["code"] == "connector-not-pushable"
    assert "did not pass validation" in item.message
    assert world.orden.requests == []


def test_without_a_push_endpoint_push_writes_an_upload_bundle(world: World) -> None:
    portal, _ = world.open()
    published = publish_sample(portal, world.tmp)
    [item] = portal.connectors["orden"].push(portal, None).items
    assert item.outcome == "pushed" and "upload bundle" in item.message
    archive = zipfile.ZipFile(item.detail["bundle"])
    assert archive.read(f"{DATASET}.csv") == published
    sheet = load_workbook(io.BytesIO(archive.read("metadata.xlsx"))).active
    assert sheet is not None
    rows = {row[0]: row for row in sheet.iter_rows(values_only=True)}
    assert rows["カタログID"] == ("カタログID", CATALOG, "catalog_id")
    assert rows["タイトル"][1] == title_of(portal)
    assert rows["validation"][1] == "valid"
    checklist = archive.read("checklist.md").decode()
    assert checklist.startswith("# ORDEN 登録チェックリスト: 222127-aed") and "60件" in checklist
    assert world.orden.requests == []


def test_check_names_a_secret_not_set_and_a_catalog_with_nothing_published(world: World) -> None:
    world.monkeypatch.delenv("ORDEN_TEST_TOKEN")
    portal, _ = world.open("bearer")
    report = portal.connectors["orden"].check(portal)
    assert not report.ok
    failing = {i.what: i.message for i in report.items if not i.ok}
    assert failing == {
        "auth: $ORDEN_TEST_TOKEN": "not set",
        f"ids: {DATASET}": f"catalog {CATALOG}: 0 published datasets",
    }
    publish_sample(portal, world.tmp)
    world.monkeypatch.setenv("ORDEN_TEST_TOKEN", TOKEN)
    assert portal.connectors["orden"].check(portal).ok
