"""What the dataset page tells a citizen about a download: the licence by its name with a
link to it, and why a 要修正 dataset needs fixing (from its validation report)."""

from __future__ import annotations

import re
from html import unescape

from fastapi import FastAPI
from fastapi.testclient import TestClient

HTML = {"Accept": "text/html"}


def page(app: FastAPI, path: str) -> str:
    return TestClient(app).get(path, headers=HTML).text  # a client of its own: no cookie


def tagged(html: str, testid: str) -> str:
    found = re.search(rf'data-testid="{testid}"[^>]*>(.*?)</(?:dd|p)>', html, re.S)
    assert found is not None, testid
    return found.group(1)


def test_the_licence_is_named_and_linked_to_its_deed(app: FastAPI) -> None:
    ja = tagged(page(app, "/datasets/272248-aed?lang=ja"), "licence")
    assert 'href="https://creativecommons.org/licenses/by/4.0/deed.ja"' in ja
    assert "CC BY 4.0" in ja and ">cc-by<" not in ja
    en = tagged(page(app, "/datasets/272248-aed?lang=en"), "licence")
    assert 'href="https://creativecommons.org/licenses/by/4.0/deed.en"' in en
    assert "Creative Commons Attribution 4.0" in en


def test_a_dataset_that_needs_fixing_says_why_in_one_sentence(app: FastAPI) -> None:
    """吹田市's AED list has 24時間 in 開始時間 and 終了時間 (one row each): 要修正."""
    ja = unescape(re.sub(r"<[^>]+>", "", tagged(page(app, "/datasets/272051-aed"), "finding")))
    assert "「開始時間」" in ja and "1件" in ja and "標準の書き方" in ja
    assert "ほかに1種類" in ja  # 終了時間, the other finding
    en = unescape(
        re.sub(r"<[^>]+>", "", tagged(page(app, "/datasets/272051-aed?lang=en"), "finding"))
    )
    assert "1 row has" in en and "開始時間" in en and "1 other kind of error" in en


def test_a_valid_dataset_has_no_finding(app: FastAPI) -> None:
    assert 'data-testid="finding"' not in page(app, "/datasets/272248-aed")
