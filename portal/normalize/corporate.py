"""法人番号 (corporate number): 13 digits, a check digit followed by a 12-digit base.

Check digit (法人番号の指定等に関する省令, 平成26年財務省令第70号, 第2条):
9 − (Σ_{n=1..12} P_n × Q_n mod 9), where P_n is the n-th digit of the base
counted from the right and Q_n is 1 for odd n and 2 for even n.

Decisions:
- `is_valid_corporate_number` is strict: 13 half-width digits, nothing
  else, because that is what may be published.
- `normalize_corporate_number` is the repair: full-width digits, spaces and
  hyphens are removed, and the result must still check.
- `corporate_number_problem` adds "format" for a value that is valid once
  cleaned (e.g. "３０４０００５００４０６４"); reporting "check-digit" for it would
  send a clerk looking for a typo that is not there.
"""

from __future__ import annotations

import re
import unicodedata

# Excel shows a 13-digit number as "1.00E+12" once the column is numeric;
# the digits are gone and cannot be repaired, only reported.
_SCIENTIFIC = re.compile(r"[0-9](?:\.[0-9]+)?E\+?[0-9]+", re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―−ー]")


def corporate_check_digit(base12: str) -> str:
    """The check digit for a 12-digit base: `corporate_check_digit("040005004064") == "3"`."""
    if len(base12) != 12 or not (base12.isascii() and base12.isdigit()):
        raise ValueError(f"a 法人番号 base is 12 half-width digits, not {base12!r}")
    total = sum(
        int(digit) * (1 if position % 2 else 2)
        for position, digit in enumerate(reversed(base12), start=1)
    )
    return str(9 - total % 9)


def is_valid_corporate_number(text: str) -> bool:
    """True for exactly 13 half-width digits whose first digit checks."""
    if len(text) != 13 or not (text.isascii() and text.isdigit()):
        return False
    return corporate_check_digit(text[1:]) == text[0]


def _digits(text: str) -> str:
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", text))


def normalize_corporate_number(text: str) -> str | None:
    """The 13-digit number with width, spaces and hyphens repaired, or None."""
    digits = _digits(text)
    return digits if is_valid_corporate_number(digits) else None


def corporate_number_problem(text: str) -> str | None:
    """None if valid, else "scientific", "length", "check-digit" or "format"."""
    if is_valid_corporate_number(text):
        return None
    if _SCIENTIFIC.fullmatch(unicodedata.normalize("NFKC", text).strip()):
        return "scientific"
    digits = _digits(text)
    if len(digits) != 13 or not (digits.isascii() and digits.isdigit()):
        return "length"
    if not is_valid_corporate_number(digits):
        return "check-digit"
    return "format"
