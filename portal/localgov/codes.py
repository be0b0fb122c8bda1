"""全国地方公共団体コード: check digit, validation and repair of damaged codes.

The 6-digit code is the 5-digit JIS X 0402 code plus a check digit:
s = 6·d1 + 5·d2 + 4·d3 + 3·d4 + 2·d5, r = s mod 11, check = (11 − r) mod 10.
"""

from __future__ import annotations

import re
import unicodedata

from portal.errors import LocalGovCodeInvalid

_WEIGHTS = (6, 5, 4, 3, 2)
_DIGITS = re.compile(r"[0-9]+")


def check_digit(first_five: str) -> str:
    """The check digit of a 5-digit code: `check_digit("27224") == "8"`."""
    if len(first_five) != 5 or not (first_five.isascii() and first_five.isdigit()):
        raise LocalGovCodeInvalid(
            value=first_five, reason_en="need exactly 5 digits", reason_ja="5桁の数字が必要です"
        )
    remainder = sum(w * int(d) for w, d in zip(_WEIGHTS, first_five, strict=True)) % 11
    return str((11 - remainder) % 10)


def is_valid(code: str) -> bool:
    """True when `code` is 6 half-width digits whose last digit checks."""
    return len(code) == 6 and code.isascii() and code.isdigit() and check_digit(code[:5]) == code[5]


def validate(code: str) -> str:
    """Return `code` if it is a well-formed 6-digit code, else raise with the reason."""
    if not (len(code) == 6 and code.isascii() and code.isdigit()):
        raise LocalGovCodeInvalid(
            value=code,
            reason_en="it must be exactly 6 half-width digits",
            reason_ja="半角数字6桁でなければなりません",
        )
    expected = check_digit(code[:5])
    if code[5] != expected:
        raise LocalGovCodeInvalid(
            value=code,
            reason_en=f"the check digit should be {expected} ({code[:5]}{expected})",
            reason_ja=f"検査数字は {expected} のはずです（{code[:5]}{expected}）",
        )
    return code


def clean(value: object) -> str:
    """Digits of a code as a clerk's spreadsheet may hold it.

    Full-width digits, surrounding spaces and an Excel float (`27224.0`)
    are undone; anything else that is not digits is kept so that it fails
    validation visibly rather than being guessed at.
    """
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if re.fullmatch(r"[0-9]+\.0+", text):
        text = text.split(".")[0]
    return text


def candidates(value: object) -> list[str]:
    """Well-formed 6-digit codes that a damaged value could have been.

    `27224` (5-digit JIS code) → 272248; `11002` (011002 with its leading
    zero lost) → 011002; `1100` (01100 without the zero) → 011002. A 5-digit
    value can be either kind, so both readings are returned when both check;
    the caller decides with the list of existing codes.
    """
    text = clean(value)
    if not _DIGITS.fullmatch(text):
        return []
    found: list[str] = []
    if len(text) == 6 and is_valid(text):
        found.append(text)
    if len(text) == 5:
        found.append(text + check_digit(text))
        if is_valid("0" + text):
            found.append("0" + text)
    if len(text) == 4:
        found.append("0" + text + check_digit("0" + text))
    return found
