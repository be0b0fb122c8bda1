"""portal.normalize.lists: multi-valued cells separated by a half-width ";"."""

from __future__ import annotations

import pytest

from portal.normalize.lists import list_problem, normalize_list


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("○○町;△△町", "○○町;△△町"),  # the standard's own example
        ("A町、B町", "A町;B町"),
        ("A町，B町", "A町;B町"),
        ("A町；B町", "A町;B町"),
        ("A町／B町", "A町;B町"),
        ("A町 ; B町", "A町;B町"),
        ("A町\u3000；\u3000B町", "A町;B町"),
        ("A町、 B町；;C町", "A町;B町;C町"),
        ("内科、外科、小児科", "内科;外科;小児科"),
        # 堺市 避難所 受入対象者 lists groups with 、
        ("高齢者、障害者、妊産婦", "高齢者;障害者;妊産婦"),
        # 焼津市 子育て施設: a space before ";" as published
        (
            "土曜保育：午前8時30分から午後4時30分まで ;土曜延長保育",
            "土曜保育：午前8時30分から午後4時30分まで;土曜延長保育",
        ),
        ("A;;B", "A;B"),
        (";A;", "A"),
        ("A; ;B", "A;B"),
        ("", ""),
        (";", ""),
        # not separators
        ("通所介護/認知症対応型通所介護", "通所介護/認知症対応型通所介護"),
        ("1,000円", "1,000円"),
        ("１，０００円", "１，０００円"),
        ("大人１，０００円、子供５００円", "大人１，０００円;子供５００円"),
        ("４／２", "４／２"),
        ("https://www.city.yaizu.lg.jp/a/b.html", "https://www.city.yaizu.lg.jp/a/b.html"),
        ("Twitter: xxx; Instagram: xxx", "Twitter: xxx;Instagram: xxx"),
        ("A町", "A町"),
        ("1，2", "1;2"),  # not a thousands group
    ],
)
def test_normalize_list(text: str, expected: str) -> None:
    assert normalize_list(text) == expected


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("A町、B町", "separator"),
        ("A町，B町", "separator"),
        ("A町；B町", "separator"),
        ("A町／B町", "separator"),
        ("A町 ;B町", "separator"),
        ("A町; B町", "separator"),
        ("Twitter: xxx; Instagram: xxx", "separator"),
        ("A町、B町;;C町", "separator"),  # the separator is named first
        ("A町;;B町", "empty-item"),
        (";A町", "empty-item"),
        ("A町;", "empty-item"),
        (";", "empty-item"),
        ("A町;B町", None),
        ("A町", None),
        ("", None),
        ("通所介護/認知症対応型通所介護", None),
        ("1,000円", None),
        ("１，０００円", None),
        (" A町;B町 ", None),  # surrounding space is text.surrounding_space's business
    ],
)
def test_list_problem(text: str, problem: str | None) -> None:
    assert list_problem(text) == problem


@pytest.mark.parametrize("text", ["A町、B町", "A町 ; B町;;", "大人１，０００円、子供５００円"])
def test_normalized_list_has_no_problem(text: str) -> None:
    normalized = normalize_list(text)
    assert list_problem(normalized) is None
    assert normalize_list(normalized) == normalized
