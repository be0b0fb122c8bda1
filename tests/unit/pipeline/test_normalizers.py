"""Every normaliser a recipe can name, on spellings seen in real department files."""

from __future__ import annotations

from typing import Any

import pytest

from portal.localgov import load
from portal.pipeline.normalizers import REGISTRY, Context, NormalizeError

CTX = Context(directory=load(), publisher=load().get("222127"))  # 焼津市

CASES: list[tuple[str, Any, str, str]] = [
    ("trim", None, "静岡県焼津市宗高88  ", "静岡県焼津市宗高88"),
    ("trim", None, "\u3000千里南公園\u3000", "千里南公園"),
    ("halfwidth", None, "２階正面入口", "2階正面入口"),
    ("halfwidth", None, "ＣＯＣＯＲＯ保育園", "COCORO保育園"),
    ("katakana", None, "しやくしょほんかん", "シヤクショホンカン"),
    ("katakana", None, "ﾃﾞｨｽｶﾊﾞﾘｰﾊﾟｰｸ", "ディスカバリーパーク"),
    ("katakana", None, "ハ―トリンクヤイヅ", "ハートリンクヤイヅ"),
    ("kana_widen", None, "丸大行徳ﾋﾞﾙ2階", "丸大行徳ビル2階"),
    ("date", None, "令和元年5月1日", "2019-05-01"),
    ("date", None, "R5.4.1", "2023-04-01"),
    ("date", None, "H31.4.30", "2019-04-30"),
    ("date", None, "平成３１年４月３０日", "2019-04-30"),
    ("date", None, "2026/4/2", "2026-04-02"),
    ("date", None, "1954-11", "1954-11"),  # no day: kept as year-month
    ("date", {"excel_serial": True}, "22196", "1960-10-07"),
    ("date", {"order": "mdy"}, "4/2/2026", "2026-04-02"),
    ("date", {"order": "dmy"}, "4/2/2026", "2026-02-04"),
    ("date", {"order": "mdy"}, "12/31/2025", "2025-12-31"),
    ("date", {"order": "mdy"}, "2026/4/2", "2026-04-02"),  # an ISO-like date needs no order
    ("date", {"year_only": "first-day"}, "令和5年", "2023-01-01"),
    ("date", {"year_only": "first-day"}, "平成30年度", "2018-04-01"),
    ("date", {"year_only": "last-day"}, "平成30年度", "2019-03-31"),
    ("date", {"year_only": "first-day"}, "令和元年", "2019-05-01"),  # 令和 began on May 1
    ("date", {"year_only": "first-day"}, "令和6年4月1日", "2024-04-01"),
    ("time", None, "９：００", "09:00"),
    ("time", None, "9時", "09:00"),
    ("time", None, "午後5時30分", "17:30"),
    ("time_start", None, "9時～17時", "09:00"),
    ("time_end", None, "9時～17時", "17:00"),
    ("time_start", None, "8：00～18：00", "08:00"),
    ("time_end", None, "8時30分　～　17時15分", "17:15"),
    ("time_end", None, "8:30～１7:15", "17:15"),
    ("time_start", None, "午後2時から午後4時まで", "14:00"),
    ("time_end", None, "午後2時から午後4時まで", "16:00"),
    ("time_end", None, "午後1時～3時", "15:00"),
    ("time_start", None, "9時半～17時", "09:30"),
    ("time_start", {"all_day": True}, "24時間", "00:00"),
    ("time_end", {"all_day": True}, "２４時間", "24:00"),
    ("time_end", {"all_day": True}, "9:00-17:00", "17:00"),
    ("phone", None, "(0265)22-2077", "0265-22-2077"),
    ("phone", None, "0778－21－2019", "0778-21-2019"),
    ("phone", None, "(054)629-3520 ", "054-629-3520"),
    ("postcode", None, "〒272-0023", "2720023"),
    ("postcode", None, "５６５－０８６２", "5650862"),
    ("lgcode", None, "27205", "272051"),
    ("lgcode", None, "11002", "011002"),
    ("lgcode", None, "２２２１２７", "222127"),
    ("yes_no", None, "あり", "有"),
    ("yes_no", None, "○", "有"),
    ("yes_no", None, "×", "無"),
    ("yes_no", None, "0", "無"),
    ("flag", None, "1", "1"),
    ("flag", None, "○", "1"),
    ("flag", None, "×", ""),
    ("list", None, "岸部中一丁目、岸部中二丁目", "岸部中一丁目;岸部中二丁目"),
    ("list", None, "病後児保育 ; 子育て支援センター", "病後児保育;子育て支援センター"),
    ("coordinate", None, "34.777074780556", "34.777075"),
    ("coordinate", None, "34°51'44.3\"N", "34.862306"),
    ("coordinate", None, "３４．８６６９１８", "34.866918"),
    ("integer", None, "1,234", "1234"),
    ("integer", None, "40人", "40"),
    ("integer", None, "１２", "12"),
    ("integer", None, "25.0", "25"),
    ("corporate_number", None, "3040005004064", "3040005004064"),
    ("corporate_number", None, "３０４０００５００４０６４", "3040005004064"),
    ("platform_chars", None, "㈱いちまる①", "(株)いちまる(1)"),
    ("map", {"階": "階数", "F": "階数"}, "階", "階数"),
    ("replace", {"pattern": "（.*?）$", "with": ""}, "避難地倉庫（焼津西小学校）", "避難地倉庫"),
    ("default", "不明", "", "不明"),
    ("default", "不明", "あり", "あり"),
]

FAILS: list[tuple[str, Any, str]] = [
    ("date", None, "平成32年1月1日"),  # 平成 ended in its 31st year
    ("date", None, "未定"),
    ("time", None, "午前中"),
    ("time_start", None, "24時間"),
    ("time_end", None, "午前9時～3時"),  # 15:00, or a typo for 13時: not guessed
    ("date", None, "4/2/2026"),  # April 2 or 4 February
    ("date", {"order": "mdy"}, "13/2/2026"),
    ("date", {"order": "mdy"}, "4/2/26"),  # the century is a guess
    ("date", None, "令和5年"),  # a year is not a date unless the recipe says which day
    ("date", {"year_only": "first-day"}, "平成32年度"),  # 平成 ended in its 31st year
    ("phone", None, "内線のみ"),
    ("postcode", None, "272-002"),
    ("lgcode", None, "吹田市"),
    ("yes_no", None, "-"),
    ("coordinate", None, "不明"),
    ("integer", None, "40/12"),  # two services share one row (市川市 介護)
    ("integer", None, "不明"),
    ("corporate_number", None, "1.00E+12"),
    ("katakana", None, "漢字だけの名前"),
    ("map", {"○": "有"}, "△"),
]


@pytest.mark.parametrize(("name", "option", "given", "wanted"), CASES)
def test_normalizer(name: str, option: Any, given: str, wanted: str) -> None:
    assert REGISTRY[name].fn(given, option, CTX) == wanted


@pytest.mark.parametrize(("name", "option", "given"), FAILS)
def test_normalizer_says_why_it_cannot(name: str, option: Any, given: str) -> None:
    with pytest.raises(NormalizeError) as err:
        REGISTRY[name].fn(given, option, CTX)
    assert err.value.reason_en and err.value.reason_ja


@pytest.mark.parametrize(
    ("name", "given", "words"),
    [
        ("date", "4/2/2026", "add {date: {order: mdy}} or {date: {order: dmy}}"),
        ("date", "令和5年", "with {date: {year_only: first-day}} it would be 2023-01-01"),
        ("date", "平成30年度", "it would be 2018-04-01"),
        ("time_start", "24時間", "add {time_start: {all_day: true}}"),
        ("time_end", "終日", "to write 00:00–24:00"),
    ],
)
def test_a_value_the_recipe_could_read_says_how(name: str, given: str, words: str) -> None:
    with pytest.raises(NormalizeError) as err:
        REGISTRY[name].fn(given, None, CTX)
    assert words in err.value.reason_en and "{" in err.value.reason_ja


def test_every_normalizer_is_tested() -> None:
    tested = {c[0] for c in CASES} | {"address"}  # address: tests/unit/normalize/test_address.py
    assert tested == set(REGISTRY)
