"""Downloads gzip-compressed by content negotiation (issue 17): `Accept-Encoding: gzip` gets
`Content-Encoding: gzip` whose bytes decompress to the file itself; each encoding has its own
ETag, so a 304 is only ever for the representation the client holds."""

from __future__ import annotations

import gzip

import pytest
from fastapi.testclient import TestClient

URL = "/api/v1/datasets/272248-aed/download.{}"
IDENTITY = {"Accept-Encoding": "identity"}
GZIP = {"Accept-Encoding": "gzip"}


def raw(client: TestClient, url: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and the body exactly as sent (not decompressed by the client)."""
    with client.stream("GET", url, headers=headers) as response:
        return response.status_code, dict(response.headers), b"".join(response.iter_raw())


@pytest.mark.parametrize("fmt", ["csv", "json", "geojson"])
def test_a_gzip_download_decompresses_to_the_same_bytes(client: TestClient, fmt: str) -> None:
    status, plain_headers, plain = raw(client, URL.format(fmt), IDENTITY)
    assert status == 200 and "content-encoding" not in plain_headers
    status, headers, packed = raw(client, URL.format(fmt), GZIP)
    assert status == 200 and headers["content-encoding"] == "gzip"
    assert gzip.decompress(packed) == plain
    assert "accept-encoding" in headers["vary"].lower()
    assert "accept-encoding" in plain_headers["vary"].lower()
    assert headers["etag"] != plain_headers["etag"]  # two representations, two validators
    assert headers["content-type"] == plain_headers["content-type"]
    again = raw(client, URL.format(fmt), GZIP)
    assert again[2] == packed and again[1]["etag"] == headers["etag"]


def test_not_modified_only_for_the_encoding_the_client_holds(client: TestClient) -> None:
    url = URL.format("geojson")
    gzipped = client.get(url, headers=GZIP).headers["etag"]
    plain = client.get(url, headers=IDENTITY).headers["etag"]
    same = client.get(url, headers={**GZIP, "If-None-Match": gzipped})
    assert same.status_code == 304 and "accept-encoding" in same.headers["vary"].lower()
    assert client.get(url, headers={**IDENTITY, "If-None-Match": plain}).status_code == 304
    other = client.get(url, headers={**IDENTITY, "If-None-Match": gzipped})
    assert other.status_code == 200 and other.json()["type"] == "FeatureCollection"
    assert client.get(url, headers={**GZIP, "If-None-Match": plain}).status_code == 200


def test_a_client_that_refuses_gzip_gets_the_file_as_it_is(client: TestClient) -> None:
    status, headers, body = raw(client, URL.format("json"), {"Accept-Encoding": "br;q=1, *;q=0"})
    assert status == 200 and "content-encoding" not in headers
    assert body.startswith(b"[{")


def test_a_range_of_a_gzip_download_is_a_range_of_the_gzip_bytes(client: TestClient) -> None:
    url = URL.format("json")
    whole = raw(client, url, GZIP)[2]
    status, headers, part = raw(client, url, {**GZIP, "Range": "bytes=0-99"})
    assert status == 206 and headers["content-encoding"] == "gzip" and part == whole[:100]
