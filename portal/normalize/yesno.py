"""Yes/no cells: the standard's controlled vocabulary is 有 / 無 (RULES §7).

Decision: "-", "―" and "／" are not read as 無. Clerks use them for "not
applicable" and "not known" as well as "no", so guessing would publish a
fact nobody stated.
"""

from __future__ import annotations

import unicodedata

YES = "有"
NO = "無"

# Keys are compared after NFKC (full-width "１" and "Ｙｅｓ" fold to ASCII) and
# casefold (TRUE/True/true). The circle marks are listed one by one because
# NFKC keeps them apart: ○ U+25CB, ◯ U+25EF, 〇 U+3007, ● U+25CF.
_ANSWERS = {
    **dict.fromkeys(
        ("有", "有り", "あり", "アリ", "○", "◯", "〇", "●", "はい", "1", "true", "可", "yes", "y"),
        YES,
    ),
    **dict.fromkeys(
        ("無", "無し", "なし", "ナシ", "×", "✕", "✗", "いいえ", "0", "false", "不可", "no", "n"),
        NO,
    ),
}


def to_yes_no(text: str) -> str | None:
    """Return "有" or "無" for the usual ways of writing yes and no; None otherwise."""
    key = unicodedata.normalize("NFKC", text).strip().casefold()
    return _ANSWERS.get(key)
