"""郵便番号: the standard's example is 7 digits without a hyphen ("1234567").

Decision: a 6-digit value is rejected, not padded, even though Excel drops
the leading zero of 北海道's codes (060-0001 → 600001): which digit was lost
is for the caller to decide with a postcode list, as with local-government
codes.
"""

from __future__ import annotations

import re
import unicodedata

# NFKC leaves the postal mark 〒 and folds 〶 (circled) into it; the dashes
# and ー (typed for a hyphen) survive NFKC and are matched here.
_POSTCODE = re.compile(r"〒?\s*(?P<head>\d{3})\s*[-‐‑‒–—―−ー ]?\s*(?P<tail>\d{4})")


def normalize_postcode(text: str) -> str | None:
    """The 7 digits of "〒272-0023", "２７２－００２３" or "272 0023"; None otherwise."""
    match = _POSTCODE.fullmatch(unicodedata.normalize("NFKC", text).strip())
    if match is None:
        return None
    return match["head"] + match["tail"]
