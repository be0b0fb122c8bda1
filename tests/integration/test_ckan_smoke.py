"""The real CKAN that the integration tests use is there and works end to end."""

from __future__ import annotations

import io
import uuid

import ckanapi
import httpx
import pytest

pytestmark = pytest.mark.ckan

CSV = "ID,名称,緯度,経度\n1,市役所本館,34.866918,138.323171\n2,アトレ庁舎,34.863094,138.320351\n".encode()


def test_create_upload_read_back_purge(ckan: ckanapi.RemoteCKAN) -> None:
    suffix = uuid.uuid4().hex[:8]
    org, name = f"smoke-org-{suffix}", f"smoke-ds-{suffix}"
    ckan.action.organization_create(name=org, title="スモークテスト市")
    try:
        ckan.action.package_create(name=name, title="AED設置箇所一覧", owner_org=org)
        resource = ckan.action.resource_create(
            package_id=name, name="aed.csv", format="CSV", upload=("aed.csv", io.BytesIO(CSV))
        )
        assert resource["url_type"] == "upload"
        token = ckan.apikey
        body = httpx.get(resource["url"], headers={"Authorization": token}, timeout=30).content
        assert body == CSV
        shown = ckan.action.package_show(id=name)
        assert shown["organization"]["name"] == org
        assert [r["name"] for r in shown["resources"]] == ["aed.csv"]
    finally:
        _purge(ckan, name, org)
    with pytest.raises(ckanapi.NotFound):
        ckan.action.package_show(id=name)


def _purge(ckan: ckanapi.RemoteCKAN, name: str, org: str) -> None:
    # Teardown must not hide the assertion that failed before it.
    try:
        ckan.action.dataset_purge(id=name)
    except ckanapi.NotFound:
        pass
    ckan.action.organization_purge(id=org)
