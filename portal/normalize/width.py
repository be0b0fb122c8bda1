"""Character width and katakana: the 全角カナ fields (名称_カナ and friends).

The 形式 of a カナ field is 文字列（全角カナ）. `katakana_problem` names what is
wrong with a value so the validator can say it in words; `fix_katakana`
applies only repairs that cannot change the reading.

Decisions:
- Allowed in a カナ value: full-width katakana (ァ–ヺ), ー, ・, ヽ, ヾ, spaces
  (U+0020 and U+3000), full-width digits and Latin letters, and （）. Real
  values need them (市川市: ダイ１チョウシャ).
- A dash-like character counts as a long-vowel mark only right after a
  katakana or ー, so センタ― at the end of a word is repaired too; "between
  katakana" would miss it.
- Look-alike kanji (二口工力夕卜八) are repaired only next to a katakana, and
  一 (kanji one) only after a katakana, like a long-vowel mark; a value made of
  look-alikes alone is left for a person to read.
- `fix_katakana` also widens half-width ASCII letters, digits and brackets,
  since the format is full-width throughout.
"""

from __future__ import annotations

import re

import jaconv

_KATAKANA = "ァ-ヺ"
_ALLOWED = re.compile(r"[ァ-ヺー・ヽヾ \u3000０-９Ａ-Ｚａ-ｚ（）]*")
_HALFWIDTH_KANA = re.compile(r"[\uff65-\uff9f]")
_HIRAGANA = re.compile(r"[\u3041-\u309f]")
# Hyphens and dashes (U+2010–U+2015), the minus signs and ｰ (half-width
# long-vowel mark), all typed where ー was meant (ハ―トリンク in 焼津市's data).
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uff0d\uff70"
_DASH_CHARS = re.escape(_DASHES)
_DASH = re.compile(f"[{_DASH_CHARS}]")
_DASH_AFTER_KANA = re.compile(f"(?<=[{_KATAKANA}ー])[{_DASH_CHARS}一]")
_DASH_SET = frozenset(_DASHES + "一")
_KANJI = re.compile(r"[\u3005\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LOOKALIKES = {"二": "ニ", "口": "ロ", "工": "エ", "力": "カ", "夕": "タ", "卜": "ト", "八": "ハ"}
_LOOKALIKE = "".join(_LOOKALIKES)
_LOOKALIKE_NEAR_KANA = re.compile(
    f"(?<=[{_KATAKANA}ー])[{_LOOKALIKE}]|[{_LOOKALIKE}](?=[{_KATAKANA}ー])"
)


def to_halfwidth(text: str) -> str:
    """Full-width ASCII letters, digits, symbols and U+3000 → half-width; kana untouched."""
    return jaconv.z2h(text, kana=False, ascii=True, digit=True)


def widen_kana(text: str) -> str:
    """Half-width katakana → full-width (ｶﾞ → ガ); everything else, hiragana included, unchanged."""
    return str(jaconv.h2z(text, kana=True, ascii=False, digit=False))


def to_katakana(text: str) -> str:
    """Half-width katakana → full-width (ｶﾞ → ガ) and hiragana → katakana."""
    return jaconv.hira2kata(jaconv.h2z(text, kana=True, ascii=False, digit=False))


def katakana_problem(text: str) -> str | None:
    """What keeps `text` from being 全角カナ, or None when it is.

    One of "halfwidth", "hiragana", "dash", "kanji", "other", checked in
    that order so the most mechanical cause is named first.
    """
    if _ALLOWED.fullmatch(text):
        return None
    for problem, pattern in (
        ("halfwidth", _HALFWIDTH_KANA),
        ("hiragana", _HIRAGANA),
        ("dash", _DASH),
        ("kanji", _KANJI),
    ):
        if pattern.search(text):
            return problem
    return "other"


def _is_kana(char: str) -> bool:
    return "ァ" <= char <= "ヺ" or char == "ー"


def _replace_lookalikes(text: str) -> str:
    """Look-alikes next to a katakana and dashes after one, repaired from the katakana outwards.

    A repaired character is a katakana itself, so a run such as 口二ア or
    ハ――ト is repaired whole. One pass forwards (look-alikes and dashes after
    a katakana) and one backwards (look-alikes before one) reach everything
    that repeating the two substitutions until nothing changes would: a
    backward repair sits just before a katakana, so it cannot make a new
    forward one, nor a forward repair a new backward one. Repeating them
    took time quadratic in the length of a run: minutes for a pasted page.
    """
    if not _LOOKALIKE_NEAR_KANA.search(text) and not _DASH_AFTER_KANA.search(text):
        return text
    chars = list(text)
    for i in range(1, len(chars)):
        if _is_kana(chars[i - 1]):
            if chars[i] in _LOOKALIKES:
                chars[i] = _LOOKALIKES[chars[i]]
            elif chars[i] in _DASH_SET:
                chars[i] = "ー"
    for i in range(len(chars) - 2, -1, -1):
        if chars[i] in _LOOKALIKES and _is_kana(chars[i + 1]):
            chars[i] = _LOOKALIKES[chars[i]]
    return "".join(chars)


def fix_katakana(text: str) -> str | None:
    """The mechanically repaired 全角カナ value, or None when no repair makes it clean."""
    fixed = to_katakana(text)
    fixed = _replace_lookalikes(fixed)
    # Spaces are allowed in both widths; widening them would be a pointless change.
    fixed = jaconv.h2z(fixed, ignore=" ", kana=False, ascii=True, digit=True)
    return fixed if _ALLOWED.fullmatch(fixed) else None
