"""Japanese phone and FAX numbers, via Google's libphonenumber metadata.

The standard's only example is "(00)0000-0000" and its hyphenation rule was
not found (RULES §7), so the portal picks one canonical style: the national
format with hyphens as libphonenumber writes it for region JP
("054-626-1139", "090-9127-0870", "0120-123-456"). It places the hyphens by
the real area-code boundaries, which a regex cannot know.

"(054)626-1139", the style of the example and of 焼津市/市川市 files, is
acceptable input that `normalize_phone` repairs, but it is not canonical:
`is_standard_phone` is True only for the canonical form.

Decisions:
- Only digits, spaces, brackets, "+", "." and dash-like characters may
  appear. "047-712-8569 内線123" or "03-1234-5678（代表）" return None rather than
  dropping words a person wrote; 内線番号 has its own column.
- A number with an extension ("ext. 12") returns None for the same reason.
- A valid number of another country ("+1 650 253 0000") returns None.
"""

from __future__ import annotations

import re
import unicodedata

import phonenumbers

_REGION = "JP"
# After NFKC: dashes, minus and ー (typed for a dash) all mean "-".
_DASHES = re.compile(r"[‐‑‒–—―−ー]")
_PHONE_CHARS = re.compile(r"\+?[0-9 ().\-]+")


def normalize_phone(text: str) -> str | None:
    """The canonical national form of a JP number, or None if it is not a valid one."""
    text = _DASHES.sub("-", unicodedata.normalize("NFKC", text)).strip()
    if not _PHONE_CHARS.fullmatch(text):
        return None
    try:
        number = phonenumbers.parse(text, _REGION)
    except phonenumbers.NumberParseException:
        return None
    if number.extension or not phonenumbers.is_valid_number_for_region(number, _REGION):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def is_standard_phone(text: str) -> bool:
    """True when `text` is already in the portal's canonical form (see module doc)."""
    return normalize_phone(text) == text
