"""portal.normalize.yesno: the 有/無 vocabulary."""

from __future__ import annotations

import pytest

from portal.normalize.yesno import to_yes_no

YES = [
    "有",
    "有り",
    "あり",
    "アリ",
    "○",  # U+25CB
    "◯",  # U+25EF
    "〇",  # U+3007
    "●",
    "はい",
    "1",
    "１",
    "TRUE",
    "True",
    "true",
    "可",
    "Yes",
    "yes",
    "YES",
    "Y",
    "y",
    "Ｙｅｓ",
    " 有 ",
    "有\u3000",
]
NO = [
    "無",
    "無し",
    "なし",
    "ナシ",
    "×",
    "✕",
    "✗",
    "いいえ",
    "0",
    "０",
    "FALSE",
    "False",
    "false",
    "不可",
    "No",
    "no",
    "NO",
    "N",
    "n",
    " 無 ",
]


@pytest.mark.parametrize("text", YES)
def test_yes(text: str) -> None:
    assert to_yes_no(text) == "有"


@pytest.mark.parametrize("text", NO)
def test_no(text: str) -> None:
    assert to_yes_no(text) == "無"


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "-",  # "no", "not applicable" or "unknown"
        "－",
        "―",
        "／",
        "不明",
        "要確認",
        "有（予約制）",
        "一部有",
        "2",
        "○×",
        "yes no",
        "有無",
    ],
)
def test_anything_else_is_none(text: str) -> None:
    assert to_yes_no(text) is None
