"""Free-text cells: platform-dependent characters, ditto marks and stray spaces.

The machine-readability rules (RULES §8) forbid 機種依存文字, "same as above"
values and spaces used for layout.

What counts as platform-dependent (機種依存文字), precisely:
1. The non-kanji characters that cp932 (Windows-31J) encodes in its vendor
   areas and nowhere else: NEC special characters (row 13, 0x8740–0x879C),
   NEC-selected IBM extensions (0xED40–0xEEFC) and IBM extensions
   (0xFA40–0xFC4B). These are ① ㈱ ㍻ Ⅱ № ℡ ∮ and company, which Mac
   (MacJapanese) and ISO-2022-JP mail either lack or map elsewhere. The NEC
   duplicates of JIS X 0208 symbols (≒ ≡ ∫ √ ⊥ ∠ ∵ ∩ ∪ ￢) are ordinary
   JIS characters and are not included.
2. Characters of the same families that cp932 cannot encode at all: the
   Unicode blocks Number Forms, Enclosed Alphanumerics, dingbat circled
   digits, Enclosed CJK Letters and Months, CJK Compatibility and the two
   enclosed supplements (㉑, ⑴, ❶, ㋐, ㋿ 令和 …).

The IBM extension kanji (髙 﨑 塚 …) are deliberately not included. In Unicode
they are ordinary unified ideographs (even 﨑 U+FA11 has no compatibility
decomposition), every current font has them, and they occur in proper
names, where "repairing" 髙島屋 to 高島屋 would be a falsification. Whether a
file can be saved in strict Shift_JIS is the encoding check's business.
"""

from __future__ import annotations

import re
import unicodedata

# Derived from the cp932 codec; tests/unit/normalize/test_text.py re-derives
# it, so the literal cannot drift from the definition above.
CP932_VENDOR_SYMBOLS = frozenset(
    "№℡ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅰⅱⅲⅳⅴⅵⅶⅷⅸⅹ∑∟∮⊿①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳〝〟"
    "㈱㈲㈹㊤㊥㊦㊧㊨㌃㌍㌔㌘㌢㌣㌦㌧㌫㌶㌻㍉㍊㍍㍑㍗㍻㍼㍽㍾㎎㎏㎜㎝㎞㎡㏄㏍＂＇￤"
)
_ENCLOSED_BLOCKS = (
    (0x2150, 0x218F),  # Number Forms: Ⅱ ⅱ ⅓
    (0x2460, 0x24FF),  # Enclosed Alphanumerics: ① ⑴ ⒈ ⓐ
    (0x2776, 0x2793),  # Dingbats, circled digits: ❶ ➀
    (0x3200, 0x32FF),  # Enclosed CJK Letters and Months: ㈱ ㉑ ㊤ ㋐ ㋿
    (0x3300, 0x33FF),  # CJK Compatibility: ㌔ ㍻ ㎡
    (0x1F100, 0x1F2FF),  # Enclosed Alphanumeric and Ideographic Supplements
)
# Readable forms where NFKC gives none or loses meaning (№ → "No" reads as
# the word "no"). Characters with neither (∟ ∮ ⊿) are kept as they are.
_REPLACEMENTS = {"№": "No.", "〝": "“", "〟": "”", "∑": "Σ", "￤": "|"}
_DITTO = re.compile(r"[〃″\"＂]+|々|同[上左右]?|[上左右]に同じ")
# str.isspace() covers ASCII and ideographic spaces, tabs and line breaks;
# the zero-width space and a stray BOM are invisible in a spreadsheet too.
# The trailing run is matched only from its start: tried from every space of a
# run inside the text, it took time quadratic in the run (minutes for a page).
_EDGE_SPACE = re.compile(r"^[\s\u200b\ufeff]+|(?<![\s\u200b\ufeff])[\s\u200b\ufeff]+$")


def _is_platform_dependent(char: str) -> bool:
    if char in CP932_VENDOR_SYMBOLS:
        return True
    code = ord(char)
    return any(low <= code <= high for low, high in _ENCLOSED_BLOCKS)


# One character class for the whole set: the validator asks this of every distinct value
# of every column, and a regex search runs in C where a per-character loop does not.
PLATFORM_DEPENDENT = _PLATFORM_DEPENDENT = re.compile(
    "["
    + "".join(re.escape(c) for c in sorted(CP932_VENDOR_SYMBOLS))
    + "".join(f"{chr(low)}-{chr(high)}" for low, high in _ENCLOSED_BLOCKS)
    + "]"
)


def platform_dependent(text: str) -> list[str]:
    """The distinct platform-dependent characters in `text`, in order of first use."""
    if text.isascii() or not _PLATFORM_DEPENDENT.search(text):
        return []
    return list(dict.fromkeys(_PLATFORM_DEPENDENT.findall(text)))


def _readable(char: str) -> str:
    if char in _REPLACEMENTS:
        return _REPLACEMENTS[char]
    folded = unicodedata.normalize("NFKC", char).replace("\u2044", "/")
    if "CIRCLED" in unicodedata.name(char, ""):
        # NFKC reduces ① to "1", which reads as a plain number; brackets keep
        # it a label. ❶ has no NFKC form but does have a numeric value.
        if folded == char and unicodedata.numeric(char, None) is not None:
            folded = str(int(unicodedata.numeric(char)))
        return f"({folded})" if folded != char else char
    return folded


def replace_platform_dependent(text: str) -> str:
    """Readable replacements: ①→(1), ㈱→(株), ㍻→平成, ㌔→キロ, Ⅱ→II, №→No., ℡→TEL."""
    return "".join(_readable(char) if _is_platform_dependent(char) else char for char in text)


def is_ditto(text: str) -> bool:
    """True for values meaning "same as above/left" (〃, 同上, 同左 …), which the rules forbid."""
    return _DITTO.fullmatch(strip_spaces(text)) is not None


def surrounding_space(text: str) -> bool:
    """True when `text` starts or ends with a space, tab, line break or invisible space."""
    return _EDGE_SPACE.search(text) is not None


def strip_spaces(text: str) -> str:
    """`text` without the surrounding spaces that `surrounding_space` reports."""
    if text and not _is_edge_space(text[0]) and not _is_edge_space(text[-1]):
        return text  # most cells: the regular expression costs more than the check
    return _EDGE_SPACE.sub("", text)


def _is_edge_space(char: str) -> bool:
    # The class of _EDGE_SPACE: re's \s on str is str.isspace()
    return char.isspace() or char in "\u200b\ufeff"


# Format characters that a spreadsheet shows as nothing at all, so a clerk cannot see them,
# yet they make "千里\ufeff南公園" a different name from "千里南公園": a stray BOM, zero-width
# spaces, bidi controls, the soft hyphen, Hangul fillers. Variation selectors (葛󠄀, IVS) are
# meaningful and not included; a zero-width joiner between two emoji (👨‍👩‍👧) is part of the
# emoji and kept.
_EMOJI = "\u2600-\u27bf\U0001f000-\U0001faff"
INVISIBLE = re.compile(
    "[\u00ad\u180e\u200b\u200c\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f"
    "\u3164\ufeff\uffa0\ufff9-\ufffb]"
    f"|(?<![{_EMOJI}\ufe0f])\u200d|\u200d(?![{_EMOJI}])"
)


def invisible_chars(text: str) -> list[str]:
    """The distinct invisible characters in `text`, in order of first use."""
    if text.isascii():
        return []
    return list(dict.fromkeys(INVISIBLE.findall(text)))


def remove_invisible(text: str) -> str:
    """`text` without the characters `invisible_chars` reports."""
    return INVISIBLE.sub("", text)
