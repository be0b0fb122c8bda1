"""Properties every normaliser must have, on any text: it never raises, and it is idempotent.

Cells come from anywhere (emoji, 異体字 𠮷 髙, IVS sequences such as 葛󠄀,
full-width forms, control characters, a stray BOM), so each normaliser is
fed arbitrary text as well as text assembled from the pieces real cells are
made of. A normaliser answers None (portal.normalize) or raises
NormalizeError (the recipe normalisers) when it cannot normalise; anything
else escaping is a bug. Normalising a normalised value again must change
nothing, or a re-run of a conversion would change published data.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from portal.localgov import load
from portal.normalize import (
    address_rest,
    corporate_number_problem,
    fix_katakana,
    format_coordinate,
    is_ditto,
    is_standard_phone,
    katakana_problem,
    list_problem,
    lists,
    normalize_corporate_number,
    normalize_list,
    normalize_phone,
    normalize_postcode,
    parse_coordinate,
    parse_date,
    parse_time,
    parse_time_range,
    platform_dependent,
    replace_platform_dependent,
    split_address,
    strip_spaces,
    surrounding_space,
    times,
    to_halfwidth,
    to_katakana,
    to_yes_no,
    widen_kana,
    width,
)
from portal.normalize import text as text_module
from portal.normalize.text import invisible_chars, remove_invisible
from portal.pipeline.normalizers import PASSES_EMPTY, REGISTRY, Context, NormalizeError

DIRECTORY = load()
CTX = Context(directory=DIRECTORY, publisher=DIRECTORY.get("222127"))  # 焼津市
BOUNDED = settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# What cells are made of: dates, times, numbers, addresses, readings, yes/no marks,
# list separators, the characters the rules forbid, and the ones that trip code up.
PIECES = [
    *"0123456789０１２３４５６７８９年月日時分秒半元度丁目番地号のケヶヵ",
    *[
        "令和",
        "平成",
        "昭和",
        "明治",
        "R",
        "H",
        "午前",
        "午後",
        "正午",
        "から",
        "〒",
        "北緯",
        "東経",
    ],
    *"°′″'\":：-－ー―‐−～〜~/／.．,，、;；()（）+NSEWe",
    *[" ", "\u3000", "\t", "\n", "\r", "\x00", "\x1f", "\x7f", "\u2028", "\ufeff", "\u200b"],
    *["\u200d", "\u00ad", "\u202e", "\ufe0f", "\U000e0100", "葛\U000e0100", "𠮷", "髙", "﨑"],
    *["😀", "👨\u200d👩\u200d👧", "❤\ufe0f", "①", "⑴", "❶", "㈱", "㍻", "№", "Ⅱ", "ⅱ", "㌔"],
    *["ｶﾞ", "ﾊﾟ", "ｰ", "ﾞ", "ﾟ", "が", "ぱ", "カ", "ア", "ン", "ヴ", "口", "二", "工", "一", "〃"],
    *["有", "無", "○", "×", "あり", "なし", "true", "No", "同上", "内線", "ext", "E+"],
    *["静岡県", "焼津市", "札幌市", "厚別区", "本町", "小川", "ビル", "2-16-32", "地先", "ほか"],
    *["054", "626", "1139", "090", "0120", "272", "0023", "34.866918", "138.3", "2026"],
]
# Digits that are not ASCII (str.isdigit() and int() disagree on some), and the blocks the
# platform-dependent check covers: a uniform draw from all of Unicode seldom lands there.
DIGITS = ["❶", "²", "₃", "٣", "۴", "५", "𝟙", "⑳", "〇", "十", "Ⅻ"]
ODD_CHARACTERS = st.one_of(
    st.sampled_from(DIGITS),
    st.characters(min_codepoint=0x2150, max_codepoint=0x24FF),
    st.characters(min_codepoint=0x2776, max_codepoint=0x2793),
    st.characters(min_codepoint=0x3200, max_codepoint=0x33FF),
    st.characters(min_codepoint=0x1F100, max_codepoint=0x1F2FF),
    st.characters(min_codepoint=0xFF00, max_codepoint=0xFFEF),  # full- and half-width forms
)
TEXTS = st.one_of(
    st.text(max_size=60),
    st.lists(st.one_of(st.sampled_from(PIECES), ODD_CHARACTERS, st.characters()), max_size=24).map(
        "".join
    ),
)
# Long cells, within reason: a whole 備考 pasted in, repeated.
LONG_TEXTS = st.tuples(TEXTS, st.integers(20, 200)).map(lambda pair: pair[0] * pair[1])


def _iso(text: str, excel_serial: bool = False) -> str | None:
    parsed = parse_date(text, excel_serial=excel_serial)
    return parsed.iso if parsed else None


def _coordinate(text: str) -> str | None:
    value = parse_coordinate(text)
    return format_coordinate(value) if value is not None else None


def _time_range(text: str) -> str | None:
    span = parse_time_range(text)
    return "～".join(span) if span else None


def _address(text: str) -> str | None:
    parts = split_address(text, DIRECTORY, default_prefecture="静岡県", default_city="焼津市")
    return parts.full if parts else None


def _address_alone(text: str) -> str | None:
    parts = split_address(text, DIRECTORY)
    return parts.full if parts else None


# portal.normalize: text in, the normal form out, or None when there is none.
NORMALISERS: dict[str, Callable[[str], str | None]] = {
    "strip_spaces": strip_spaces,
    "replace_platform_dependent": replace_platform_dependent,
    "remove_invisible": remove_invisible,
    "to_halfwidth": to_halfwidth,
    "widen_kana": widen_kana,
    "to_katakana": to_katakana,
    "fix_katakana": fix_katakana,
    "normalize_postcode": normalize_postcode,
    "normalize_phone": normalize_phone,
    "to_yes_no": to_yes_no,
    "normalize_list": normalize_list,
    "parse_time": parse_time,
    "parse_time_range": _time_range,
    "normalize_corporate_number": normalize_corporate_number,
    "parse_date": _iso,
    "parse_date(excel_serial)": lambda text: _iso(text, excel_serial=True),
    "parse_coordinate": _coordinate,
    "split_address": _address,
    "split_address(no default)": _address_alone,
}
# Questions about a value: they must answer, whatever the value.
CHECKS: dict[str, Callable[[str], object]] = {
    "platform_dependent": platform_dependent,
    "invisible_chars": invisible_chars,
    "surrounding_space": surrounding_space,
    "is_ditto": is_ditto,
    "katakana_problem": katakana_problem,
    "list_problem": list_problem,
    "corporate_number_problem": corporate_number_problem,
    "is_standard_phone": is_standard_phone,
}
# The recipe normalisers with each option a recipe may give. Those that take one part out
# of a value (the end of a time range, the 町字 of an address) or apply the recipe's own
# table or pattern are not idempotent by design; the rest give a normal form.
RECIPE_CASES: list[tuple[str, Any, bool]] = [
    ("trim", None, True),
    ("halfwidth", None, True),
    ("katakana", None, True),
    ("kana_widen", None, True),
    ("date", None, True),
    ("date", {"excel_serial": True}, True),
    ("time", None, True),
    ("time_start", None, True),
    ("time_end", None, False),
    ("phone", None, True),
    ("postcode", None, True),
    ("lgcode", None, True),
    ("lgcode", "jis5", False),  # a 5-digit code in, a 6-digit one out
    ("lgcode", "lg6", True),
    ("yes_no", None, True),
    ("flag", None, True),
    ("list", None, True),
    ("coordinate", None, True),
    ("integer", None, True),
    ("corporate_number", None, True),
    ("platform_chars", None, True),
    *[("address", part, part == "full") for part in ("full", "prefecture", "city", "town")],
    ("address", "block", False),
    ("address", "building", False),
    ("map", {"○": "有", "×": "無"}, False),
    ("replace", {"pattern": "様$", "with": ""}, False),
    ("default", "不明", True),
]


def test_every_recipe_normaliser_is_covered() -> None:
    assert {name for name, _, _ in RECIPE_CASES} == set(REGISTRY)


@pytest.mark.parametrize("name", NORMALISERS)
@BOUNDED
@given(text=TEXTS)
def test_normaliser_never_raises_and_is_idempotent(name: str, text: str) -> None:
    normalise = NORMALISERS[name]
    once = normalise(text)
    if once is not None:
        assert normalise(once) == once, (
            f"{name}({text!r}) = {once!r}, and again {normalise(once)!r}"
        )


@pytest.mark.parametrize("name", NORMALISERS)
@settings(BOUNDED, max_examples=20)
@given(text=LONG_TEXTS)
def test_normaliser_never_raises_on_long_text(name: str, text: str) -> None:
    NORMALISERS[name](text)


@pytest.mark.parametrize("name", CHECKS)
@BOUNDED
@given(text=TEXTS)
def test_check_never_raises(name: str, text: str) -> None:
    CHECKS[name](text)


@BOUNDED
@given(text=TEXTS)
def test_a_repaired_value_passes_its_check(text: str) -> None:
    assert not surrounding_space(strip_spaces(text))
    assert invisible_chars(remove_invisible(text)) == []
    fixed = fix_katakana(text)
    assert fixed is None or katakana_problem(fixed) is None
    corporate = normalize_corporate_number(text)
    assert corporate is None or corporate_number_problem(corporate) is None
    phone = normalize_phone(text)
    assert phone is None or is_standard_phone(phone)


@pytest.mark.parametrize(
    ("name", "option", "idempotent"),
    [pytest.param(*case, id=name) for case in RECIPE_CASES for name in [f"{case[0]}-{case[1]}"]],
)
@BOUNDED
@given(text=TEXTS)
@example(text="❶")  # isdigit() but not int()
def test_recipe_normaliser_never_raises_and_is_idempotent(
    name: str, option: Any, idempotent: bool, text: str
) -> None:
    normalise = REGISTRY[name].fn
    if not text and name not in PASSES_EMPTY:
        return  # the pipeline hands empty cells to no other normaliser
    try:
        once = normalise(text, option, CTX)
    except NormalizeError as refusal:
        assert refusal.reason_en and refusal.reason_ja
        return
    assert isinstance(once, str)
    if idempotent and (once or name in PASSES_EMPTY):
        assert normalise(once, option, CTX) == once, f"{name}({text!r}) = {once!r}"


KANA_PIECES = "アカハンーヽ二口工力夕卜八一-―‐−－ｰ ・ァヺ漢あ"


def _lookalikes_by_repetition(text: str) -> str:
    """The substitutions repeated until nothing changes: how the repair used to be done."""
    while True:
        fixed = width._LOOKALIKE_NEAR_KANA.sub(lambda m: width._LOOKALIKES[m.group()], text)
        fixed = width._DASH_AFTER_KANA.sub("ー", fixed)
        if fixed == text:
            return fixed
        text = fixed


@BOUNDED
@given(text=st.text(alphabet=KANA_PIECES, max_size=40))
def test_katakana_repair_in_one_pass_each_way_is_the_repeated_one(text: str) -> None:
    assert width._replace_lookalikes(text) == _lookalikes_by_repetition(text)


_OLD_SEPARATORS = re.compile(
    r"[ \t\u3000]*(?:、|；|;|(?<![0-9０-９])，|，(?![0-9０-９]{3}(?![0-9０-９]))"
    r"|(?<![0-9０-９])／|／(?![0-9０-９]))[ \t\u3000]*"
)


@BOUNDED
@given(text=st.text(alphabet="AB1０ \t\u3000、；;，／,/", max_size=40))
def test_list_separators_as_before(text: str) -> None:
    # The pattern with spaces on both sides, as it was, on values short enough for it.
    assert lists._unify_separators(text) == _OLD_SEPARATORS.sub(";", text)


# The patterns as they were, before they were anchored to the start of a run.
OLD_PATTERNS = [
    (text_module._EDGE_SPACE, re.compile(r"^[\s\u200b\ufeff]+|[\s\u200b\ufeff]+$")),
    (times._RANGE_SEPARATOR, re.compile(r"\s*(?:[~〜\-‐‑‒–—―−ー]|から)\s*")),
    (address_rest._KANJI_CHOME, re.compile(r"[〇一二三四五六七八九十百千]+丁目")),
]


@BOUNDED
@given(text=st.text(alphabet=" \t\u3000\ufeff\u200ba~〜-ーから一二十丁目9:時", max_size=30))
def test_anchored_patterns_match_as_before(text: str) -> None:
    for new, old in OLD_PATTERNS:
        assert new.sub("|", text) == old.sub("|", text)
        assert new.split(text) == old.split(text)


# Cells up to the reader's limit (a megabyte) reach the normalisers: each must be linear.
# Before, these took from 5 s (一 run) to minutes (look-alikes); a megabyte, hours.
N = 60_000
LONG_CELLS = {
    "look-alikes after a katakana": "ア" + "口" * N,
    "dashes after a katakana": "ア" + "―" * N,
    "spaces": " " * N + "x",
    "BOMs inside": "a" + "\ufeff" * N + "b",
    "spaces inside a time range": "9時" + " " * N + "17時",
    "kanji numerals in a 町字": "静岡県焼津市本町" + "一" * N + "x",
    "digits": "1" * N,
}
HANG_GUARD_SECONDS = 2


@pytest.mark.parametrize("cell", LONG_CELLS)
@pytest.mark.parametrize("name", [*NORMALISERS, *CHECKS])
def test_a_long_cell_is_normalised_in_linear_time(name: str, cell: str) -> None:
    started = time.monotonic()
    {**NORMALISERS, **CHECKS}[name](LONG_CELLS[cell])
    assert time.monotonic() - started < HANG_GUARD_SECONDS
