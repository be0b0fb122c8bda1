"""portal.normalize.text: platform-dependent characters, ditto marks, stray spaces."""

from __future__ import annotations

import unicodedata

import pytest

from portal.normalize.text import (
    CP932_VENDOR_SYMBOLS,
    is_ditto,
    platform_dependent,
    replace_platform_dependent,
    strip_spaces,
    surrounding_space,
)

_VENDOR_AREAS = ((0x8740, 0x879C), (0xED40, 0xEEFC), (0xFA40, 0xFC4B))


def _cp932_vendor_symbols() -> frozenset[str]:
    """Non-kanji characters whose cp932 encoding lies in the NEC/IBM vendor areas."""
    found = set()
    for code in range(0x10000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
        try:
            encoded = char.encode("cp932")
        except UnicodeEncodeError:
            continue
        if len(encoded) != 2 or unicodedata.category(char) == "Lo":
            continue
        value = int.from_bytes(encoded, "big")
        if any(low <= value <= high for low, high in _VENDOR_AREAS):
            found.add(char)
    return frozenset(found)


def test_vendor_symbols_match_the_cp932_codec() -> None:
    assert CP932_VENDOR_SYMBOLS == _cp932_vendor_symbols()


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("①会議室", ["①"]),
        ("⑳", ["⑳"]),
        ("㈱ヤイヅ", ["㈱"]),
        ("㈲", ["㈲"]),
        ("㈹", ["㈹"]),
        ("㍻31年", ["㍻"]),
        ("㍼㍽㍾", ["㍼", "㍽", "㍾"]),
        ("㋿元年", ["㋿"]),  # Unicode 12.1, not in cp932 at all
        ("10㌔", ["㌔"]),
        ("㌢㍍㌘㌧㌃㌶㍑㍗㌍㌦㌣㌫㍊㌻", list("㌢㍍㌘㌧㌃㌶㍑㍗㌍㌦㌣㌫㍊㌻")),
        ("第Ⅱ期", ["Ⅱ"]),
        ("ⅰⅹⅩ", ["ⅰ", "ⅹ", "Ⅹ"]),
        ("№5", ["№"]),
        ("℡054-626-1139", ["℡"]),
        ("㏍", ["㏍"]),
        ("∮∟⊿∑", ["∮", "∟", "⊿", "∑"]),
        ("〝引用〟", ["〝", "〟"]),
        ("㎡", ["㎡"]),
        ("＂", ["＂"]),
        ("㉑", ["㉑"]),
        ("⑴", ["⑴"]),
        ("❶", ["❶"]),
        ("㋐", ["㋐"]),
        ("ⓐ", ["ⓐ"]),
        ("①①②", ["①", "②"]),  # each character once, in order of first use
        # not platform-dependent
        ("髙島屋", []),  # IBM extension kanji: an ordinary ideograph in Unicode
        ("山﨑", []),
        ("≒≡∫√⊥∠∵∩∪￢", []),  # NEC duplicates of JIS X 0208 symbols
        ("焼津市本町5-6-1", []),
        ("ＣＯＣＯＲＯ保育園", []),
        ("℃", []),
        ("", []),
    ],
)
def test_platform_dependent(text: str, found: list[str]) -> None:
    assert platform_dependent(text) == found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("①会議室", "(1)会議室"),
        ("⑳", "(20)"),
        ("㉑", "(21)"),
        ("❶", "(1)"),
        ("ⓐ", "(a)"),
        ("㊤", "(上)"),
        ("㋐", "(ア)"),
        ("⑴", "(1)"),
        ("㈱ヤイヅ", "(株)ヤイヅ"),
        ("㈲", "(有)"),
        ("㈹", "(代)"),
        ("㍻31年", "平成31年"),
        ("㍼", "昭和"),
        ("㍽", "大正"),
        ("㍾", "明治"),
        ("㋿元年", "令和元年"),
        ("10㌔", "10キロ"),
        ("㍍", "メートル"),
        ("㎡", "m2"),
        ("第Ⅱ期", "第II期"),
        ("ⅳ", "iv"),
        ("№5", "No.5"),
        ("℡054-626-1139", "TEL054-626-1139"),
        ("⅓", "1/3"),
        ("〝引用〟", "“引用”"),
        ("∑", "Σ"),
        ("∮∟⊿", "∮∟⊿"),  # no readable equivalent: kept, and still reported
        ("髙島屋", "髙島屋"),
        ("ＣＯＣＯＲＯ保育園", "ＣＯＣＯＲＯ保育園"),  # ordinary full-width is not touched
    ],
)
def test_replace_platform_dependent(text: str, expected: str) -> None:
    assert replace_platform_dependent(text) == expected


@pytest.mark.parametrize("char", sorted(CP932_VENDOR_SYMBOLS - set("∮∟⊿")))
def test_every_vendor_symbol_is_replaced(char: str) -> None:
    assert platform_dependent(replace_platform_dependent(char)) == []


@pytest.mark.parametrize(
    ("text", "ditto"),
    [
        ("〃", True),
        ("〃〃", True),
        ("同上", True),
        ("同左", True),
        ("同右", True),
        ("″", True),  # U+2033
        ('"', True),
        ("＂", True),
        ("々", True),
        ("同", True),
        ("上に同じ", True),
        (" 〃 ", True),
        ("同上\u3000", True),
        ("", False),
        ("佐々木", False),
        ("同上町", False),
        ("同和地区", False),
        ("同じ", False),
        ("有", False),
    ],
)
def test_is_ditto(text: str, ditto: bool) -> None:
    assert is_ditto(text) is ditto


@pytest.mark.parametrize(
    ("text", "stripped"),
    [
        # 焼津市 消防水利 / AED: trailing double spaces in addresses
        ("7番11号  ", "7番11号"),
        ("静岡県焼津市宗高88  ", "静岡県焼津市宗高88"),
        ("焼津5-13-14 ", "焼津5-13-14"),
        # 堺市 避難所: a trailing full-width space
        ("特別養護老人ホーム愛らいふ\u3000", "特別養護老人ホーム愛らいふ"),
        (" 前", "前"),
        ("\tタブ", "タブ"),
        ("改行\r\n", "改行"),
        ("\u200bゼロ幅", "ゼロ幅"),
        ("\ufeffBOM", "BOM"),
        ("\u3000 \u3000", ""),
    ],
)
def test_surrounding_space_is_found_and_stripped(text: str, stripped: str) -> None:
    assert surrounding_space(text)
    assert strip_spaces(text) == stripped
    assert not surrounding_space(strip_spaces(text))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "焼津市",
        "社会福祉法人\u3000慶美会",  # inner spaces are content
        "ザ\u3000タワーズ イースト",
        "建造物\n歴史資料",  # a line break inside is another rule's business
    ],
)
def test_no_surrounding_space(text: str) -> None:
    assert not surrounding_space(text)
    assert strip_spaces(text) == text
