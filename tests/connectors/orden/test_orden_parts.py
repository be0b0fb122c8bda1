"""The ORDEN connector's pure parts: its options, reading a notification, verifying its
credentials, the metadata mapping, the multipart body and the upload bundle."""

from __future__ import annotations

import base64
import csv
import hashlib
import hmac
import io
import zipfile
from typing import Any

import pytest
from openpyxl import load_workbook
from pydantic import ValidationError

from portal.connectors.base import AuthConfig, ConnectorConfig
from portal.connectors.orden.bundle import BundleInput, build_bundle
from portal.connectors.orden.client import multipart
from portal.connectors.orden.config import NotifyOptions, OrdenOptions
from portal.connectors.orden.inbound import AuthRefused, verify
from portal.connectors.orden.mapping import lookup, notice_document, notice_fields, to_orden
from portal.connectors.registry import ConnectorConfigInvalid, make_connector, read_config
from tests.conftest import PROJECT_ROOT
from tests.connectors.orden.world import multipart_parts

SECRET = "s3cret-値"
TOKEN = "tok-3f9a"


def test_a_template_naming_an_unknown_placeholder_is_refused_naming_it() -> None:
    config = ConnectorConfig(
        name="orden", kind="orden", options={"push": {"file_name": "{tenant}.csv"}}
    )
    with pytest.raises(ConnectorConfigInvalid) as caught:
        make_connector(config)
    assert "options.push.file_name" in caught.value.message_en
    assert "tenant" in caught.value.message_en


def test_metadata_as_json_cannot_go_in_a_multipart_body() -> None:
    with pytest.raises(ValidationError, match="metadata_as 'json' cannot go with body 'multipart'"):
        OrdenOptions.model_validate({"push": {"body": "multipart", "metadata_as": "json"}})


def test_an_unknown_option_is_refused() -> None:
    with pytest.raises(ValidationError, match="pulll"):
        OrdenOptions.model_validate({"pulll": {}})


@pytest.mark.parametrize("option", ["timeout", "retries"])
def test_call_bounds_are_the_common_limits_not_an_orden_option(option: str) -> None:
    config = ConnectorConfig(name="orden", kind="orden", options={option: 1})
    with pytest.raises(ConnectorConfigInvalid) as refused:
        make_connector(config)
    assert f"options.{option}: Extra inputs are not permitted" in refused.value.message_en


@pytest.mark.parametrize(
    ("document", "path", "expected"),
    [
        ({"catalog": {"id": "C-1"}}, "/catalog/id", "C-1"),
        ({"files": [{"url": "u0"}, {"url": "u1"}]}, "/files/1/url", "u1"),
        ({"a/b": {"m~n": 3}}, "/a~1b/m~0n", 3),
        ({"catalog": {}}, "/catalog/id", None),
        ({"files": []}, "/files/0/url", None),
        ({"id": "form"}, "id", "form"),
    ],
)
def test_lookup_reads_json_pointers_and_form_fields(
    document: Any, path: str, expected: Any
) -> None:
    assert lookup(document, path) == expected


def test_a_json_notification_is_read_with_the_configured_paths() -> None:
    options = NotifyOptions(catalog_id="/data/catalogId", version="/data/ver", timestamp="/sentAt",
                            file_url="/data/file/href")  # fmt: skip
    body = b'{"data": {"catalogId": "cat-7", "file": {"href": "https://o.example/f.csv"}}, "sentAt": "2025-01-02T03:04:05Z"}'
    found = notice_fields(notice_document(body, "application/json", options), options)
    # No version: the timestamp stands in for it.
    assert found == {"catalog_id": "cat-7", "version": "2025-01-02T03:04:05Z",
                     "file_url": "https://o.example/f.csv"}  # fmt: skip


def test_a_form_notification_is_read_by_field_name() -> None:
    options = NotifyOptions(catalog_id="catalog_id", version="updated_at", file_url="url")
    body = b"catalog_id=%E3%82%AB1&updated_at=2025-05-01&url=https%3A%2F%2Fo.example%2Fa.csv"
    document = notice_document(body, "application/x-www-form-urlencoded; charset=utf-8", options)
    assert notice_fields(document, options) == {"catalog_id": "カ1", "version": "2025-05-01",
                                                 "file_url": "https://o.example/a.csv"}  # fmt: skip


def _bearer() -> AuthConfig:
    return AuthConfig(scheme="bearer", token_env="ORDEN_TEST_TOKEN")


@pytest.mark.parametrize(
    ("headers", "accepted"),
    [
        ({"Authorization": f"Bearer {TOKEN}"}, True),
        ({"authorization": f"bearer {TOKEN}"}, True),
        ({"Authorization": "Bearer wrong"}, False),
        ({"Authorization": f"Basic {TOKEN}"}, False),
        ({}, False),
    ],
)
def test_bearer(monkeypatch: pytest.MonkeyPatch, headers: dict[str, str], accepted: bool) -> None:
    monkeypatch.setenv("ORDEN_TEST_TOKEN", TOKEN)
    if accepted:
        verify(_bearer(), b"{}", headers, NotifyOptions())
    else:
        with pytest.raises(AuthRefused):
            verify(_bearer(), b"{}", headers, NotifyOptions())


def test_a_secret_that_is_not_set_refuses_every_notification(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("ORDEN_TEST_TOKEN", raising=False)
    with pytest.raises(AuthRefused, match="not configured"):
        verify(_bearer(), b"{}", {"Authorization": "Bearer "}, NotifyOptions())


@pytest.mark.parametrize(
    ("credentials", "accepted"),
    [
        ("orden:pw", True),
        ("orden:wrong", False),
        ("other:pw", False),
        ("orden", False),
        ("", False),
    ],
)
def test_basic(monkeypatch: pytest.MonkeyPatch, credentials: str, accepted: bool) -> None:
    monkeypatch.setenv("ORDEN_TEST_PASSWORD", "pw")
    auth = AuthConfig(scheme="basic", username="orden", password_env="ORDEN_TEST_PASSWORD")
    headers = {"Authorization": "Basic " + base64.b64encode(credentials.encode()).decode()}
    if accepted:
        verify(auth, b"", headers, NotifyOptions())
    else:
        with pytest.raises(AuthRefused):
            verify(auth, b"", headers, NotifyOptions())


@pytest.mark.parametrize("encoding", ["hex", "base64"])
def test_hmac_of_the_raw_body_with_a_prefix(monkeypatch: pytest.MonkeyPatch, encoding: str) -> None:
    monkeypatch.setenv("ORDEN_TEST_SECRET", SECRET)
    auth = AuthConfig(scheme="hmac", secret_env="ORDEN_TEST_SECRET", header="X-Orden-Signature")
    options = NotifyOptions(signature_prefix="sha256=", signature_encoding=encoding)  # type: ignore[arg-type]
    body = b'{"catalog_id": "c1", "version": "2"}'
    digest = hmac.new(SECRET.encode(), body, hashlib.sha256).digest()
    value = digest.hex() if encoding == "hex" else base64.b64encode(digest).decode()
    verify(auth, body, {"x-orden-signature": "sha256=" + value}, options)
    for wrong in (value, "sha256=" + value[:-2] + "00", ""):  # no prefix; altered; none
        with pytest.raises(AuthRefused, match="X-Orden-Signature"):
            verify(auth, body, {"X-Orden-Signature": wrong}, options)
    with pytest.raises(AuthRefused):  # the same signature over another body
        verify(auth, body + b" ", {"X-Orden-Signature": "sha256=" + value}, options)


def test_mapping_renames_passes_through_or_drops_and_adds_constants() -> None:
    record = {"title": "AED", "catalog_id": "c1", "keywords": ["救命"], "rows": 3}
    fields = {"title": "タイトル", "catalog_id": "カタログID"}
    assert to_orden(record, fields, constants={"テナント": "枚方市"}) == {
        "タイトル": "AED", "カタログID": "c1", "keywords": ["救命"], "rows": 3, "テナント": "枚方市",
    }  # fmt: skip
    assert to_orden(record, fields, passthrough=False) == {"タイトル": "AED", "カタログID": "c1"}


def test_multipart_carries_the_csv_and_each_field() -> None:
    options = OrdenOptions.model_validate(
        {"push": {"file_field": "upload", "metadata_as": "fields"}}
    )
    csv_bytes = "名称,緯度\n市役所,34.8\n".encode()
    content, content_type = multipart(
        "c1.csv", csv_bytes, {"タイトル": "AED", "keywords": ["a", "b"]}, options
    )
    assert content_type.startswith("multipart/form-data; boundary=")
    parts = multipart_parts(content, content_type)
    assert parts["upload"] == ("c1.csv", csv_bytes)
    assert parts["タイトル"] == (None, b"AED")
    assert parts["keywords"] == (None, b"a,b")


def test_the_bundle_holds_the_csv_the_sheets_and_the_checklist() -> None:
    csv_bytes = "名称,緯度\n市役所,34.8\n".encode()
    bundle = BundleInput(dataset="222127-aed", catalog_id="cat-9", topic="aed-topic", csv_name="222127-aed.csv",
                         csv_bytes=csv_bytes, metadata={"タイトル": "AED一覧", "keywords": ["救命", "AED"], "x": 1},
                         sources={"タイトル": "title", "keywords": "keywords"}, rows=1, validation="valid")  # fmt: skip
    archive = zipfile.ZipFile(io.BytesIO(build_bundle(bundle)))
    assert sorted(archive.namelist()) == [
        "222127-aed.csv",
        "checklist.md",
        "metadata.csv",
        "metadata.xlsx",
    ]
    assert archive.read("222127-aed.csv") == csv_bytes
    sheet = load_workbook(io.BytesIO(archive.read("metadata.xlsx"))).active
    assert sheet is not None
    rows = [tuple(c.value for c in row) for row in sheet.iter_rows()]
    assert rows[1:] == [
        ("タイトル", "AED一覧", "title"),
        ("keywords", "救命,AED", "keywords"),
        ("x", "1", None),
    ]
    text = archive.read("metadata.csv").decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text)))[1:] == [["タイトル", "AED一覧", "title"],
                                                      ["keywords", "救命,AED", "keywords"], ["x", "1", ""]]  # fmt: skip
    checklist = archive.read("checklist.md").decode("utf-8")
    assert checklist.startswith("# ORDEN 登録チェックリスト")  # Japanese first
    assert checklist.index("カタログID: `cat-9`") < checklist.index(
        "# ORDEN registration checklist"
    )
    assert "トピック名: `aed-topic`" in checklist and "1件" in checklist


def test_the_documented_example_is_a_valid_connector_file() -> None:
    config = read_config(PROJECT_ROOT / "docs" / "connectors" / "orden.example.yaml")
    connector = make_connector(config)
    assert connector.config.kind == "orden"
    assert connector.config.entry_for_catalog("c0a8f3e2-aed") is not None
