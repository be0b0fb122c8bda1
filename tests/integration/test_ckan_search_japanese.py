"""Japanese words find Japanese titles in the CKAN the tests use (and compose.yaml ships).

CKAN's own Solr schema splits text on spaces, so "避難場所" would not find
"指定緊急避難場所一覧". scripts/ckan-up.sh gives Solr the same Japanese-aware
analyser as docker/solr/managed-schema (scripts/solr_japanese.py).
"""

from __future__ import annotations

import uuid

import ckanapi
import pytest

pytestmark = pytest.mark.ckan


def test_words_inside_japanese_titles_are_found(ckan: ckanapi.RemoteCKAN) -> None:
    suffix = uuid.uuid4().hex[:8]
    org, name = f"search-org-{suffix}", f"search-ds-{suffix}"
    ckan.action.organization_create(name=org)
    try:
        ckan.action.package_create(name=name, owner_org=org, title="指定緊急避難場所一覧（大阪府吹田市）",
                                   notes="吹田市の指定緊急避難場所です。")  # fmt: skip
        for word in ("避難場所", "緊急避難", "吹田市"):
            hits = ckan.action.package_search(q=word, fq=f"organization:{org}")["results"]
            assert [h["name"] for h in hits] == [name], word
        assert ckan.action.package_search(q="図書館", fq=f"organization:{org}")["count"] == 0
    finally:
        ckan.action.dataset_purge(id=name)
        ckan.action.organization_purge(id=org)
