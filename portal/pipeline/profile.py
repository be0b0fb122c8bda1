"""What a department's columns hold, for matching them to a standard's fields: the names
tables (portal/mapping/synonyms.yaml, read once) and a profile of each column's sampled
values (latitudes, phone numbers, katakana, addresses, names …)."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import yaml

from portal.layout import normalise_label
from portal.localgov import Directory, candidates, is_valid
from portal.localgov.codes import clean as clean_code
from portal.normalize import (
    fix_katakana,
    is_valid_corporate_number,
    normalize_phone,
    normalize_postcode,
    parse_date,
    parse_time,
    split_address,
    to_yes_no,
)
from portal.standards.detect import known_layouts

TABLES_FILE = Path(__file__).resolve().parents[1] / "mapping" / "synonyms.yaml"
# English spellings (name, lat, tel, male …), kept apart from the Japanese synonyms.
ENGLISH_FILE = TABLES_FILE.with_name("english.yaml")

_HALFWIDTH_KANA = re.compile(r"[\uff66-\uff9f]")
_KANA = re.compile(r"[ァ-ヺｦ-ﾟぁ-ゖ]")
_DECIMAL = re.compile(r"[+-]?\d{1,3}\.\d+")
_URL = re.compile(r"https?://\S+$")
_SERIAL = re.compile(r"\d{4,5}")  # an Excel day number (1910–2118)


@dataclass(frozen=True)
class Tables:
    """portal/mapping/synonyms.yaml and english.yaml, read once."""

    legacy: dict[str, list[str]]
    legacy_joined: dict[str, list[list[str]]]
    layouts: dict[str, dict[str, Any]]
    gsi_id_columns: list[str]
    address_parts: dict[str, str]
    publisher_fields: dict[str, str]
    name_fields: list[str]
    normalizers_by_kind: dict[str, list[Any]]
    value_kinds: dict[str, str]  # kind → words for a reason, in the order they are tried
    value_preferred: dict[str, list[str]]
    synonyms: dict[str, list[str]]
    english: dict[str, list[str]]
    english_joined: dict[str, list[list[str]]]
    key_en_words: dict[str, list[str]]  # English word of a key_en → Japanese ones

    def known_names(self) -> set[str]:
        """Every column name the tables know, to find the header row."""
        lists = (*self.legacy.values(), *self.synonyms.values(), *self.english.values())
        names = {n for names in lists for n in names}
        for joined in (self.legacy_joined, self.english_joined):
            names.update(n for combos in joined.values() for c in combos for n in c)
        names.update(c for layout in self.layouts.values() for c in layout["columns"])
        names.update(h for spec in known_layouts().values() for h in spec["header"])
        return {str(n) for n in names}


@lru_cache(maxsize=2)
def tables(path: Path = TABLES_FILE, english: Path = ENGLISH_FILE) -> Tables:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data |= yaml.safe_load(english.read_text(encoding="utf-8"))
    return Tables(**{k: data[k] for k in Tables.__dataclass_fields__})


def _degrees_in(value: str, low: float, high: float) -> bool:
    text = unicodedata.normalize("NFKC", value)
    return bool(_DECIMAL.fullmatch(text)) and low <= float(text) <= high


def _checks(directory: Directory) -> dict[str, Callable[[str], bool]]:
    def lgcode(v: str) -> bool:
        code = clean_code(v)
        return is_valid(code) and directory.get(code) is not None

    def repairable(v: str) -> bool:
        return any(directory.get(c) for c in candidates(v))

    def address(v: str) -> bool:
        # A municipality and a number: a name such as 焼津市立大富幼稚園 starts with a city too.
        if not any(c.isdigit() for c in v):
            return False
        parts = split_address(v, directory)
        return parts is not None and parts.lgcode is not None and bool(parts.block)

    return {
        "flag-1-blank": lambda v: v in ("1", "１"),
        "lgcode": lgcode,
        "lgcode-repairable": repairable,
        "corporate-number": lambda v: is_valid_corporate_number(unicodedata.normalize("NFKC", v)),
        "latitude": lambda v: _degrees_in(v, 20, 46),  # Japan's extent
        "longitude": lambda v: _degrees_in(v, 122, 154),
        "postcode": lambda v: normalize_postcode(v) is not None,
        "phone": lambda v: normalize_phone(v) is not None,
        "date": lambda v: not v.isdigit() and parse_date(v) is not None,
        "time": lambda v: parse_time(v) is not None,
        "yes-no": lambda v: not v.isdigit() and to_yes_no(v) is not None,
        "uri": lambda v: bool(_URL.match(v)),
        "katakana": lambda v: bool(_KANA.search(v)) and fix_katakana(v) is not None,
        "address": address,
    }


@dataclass
class Profile:
    """One source column and what its sampled values look like."""

    name: str
    values: list[str]  # stripped, one per sampled row ("" when blank)
    checks: dict[str, Callable[[str], bool]] = field(repr=False)
    _shares: dict[str, float] = field(default_factory=dict, repr=False)

    @cached_property
    def counts(self) -> Counter[str]:
        return Counter(v for v in self.values if v)

    @property
    def filled(self) -> int:
        return sum(self.counts.values())

    def share(self, kind: str) -> float:
        """Share of the filled values that look like `kind` (each distinct value checked once)."""
        if kind not in self._shares:
            check = self.checks[kind]
            hits = sum(n for v, n in self.counts.items() if check(v))
            self._shares[kind] = hits / self.filled if self.filled else 0.0
        return self._shares[kind]

    @cached_property
    def kind(self) -> str | None:
        """The first value kind most values have (addresses: 60 %, a few are free text)."""
        for kind in tables().value_kinds:
            if self.filled and self.share(kind) >= (0.6 if kind == "address" else 0.8):
                return kind
        return None

    @cached_property
    def looks_like_names(self) -> bool:
        """Free text, mostly different on every row, short: the names of things."""
        texts = [v for v in self.counts.elements() if not v.replace(".", "").isdigit()]
        if self.kind is not None or len(texts) < 0.9 * max(self.filled, 1) or not texts:
            return False
        mean = sum(len(v) for v in texts) / len(texts)
        return len(self.counts) >= 0.7 * len(texts) and 2 <= mean <= 40

    @cached_property
    def halfwidth_kana(self) -> bool:
        return any(_HALFWIDTH_KANA.search(v) for v in self.counts)

    @cached_property
    def excel_serials(self) -> bool:
        """Dates written as Excel day numbers (市川市's 文化財指定日: 22196)."""
        return bool(self.filled) and all(_SERIAL.fullmatch(v) for v in self.counts)

    def sample(self, kind: str | None = None) -> str:
        check = self.checks.get(kind or "")
        return next((v for v in self.counts if check is None or check(v)), "")


def profile_columns(
    header: Sequence[str], rows: Sequence[Sequence[str]], directory: Directory
) -> list[Profile]:
    """A profile per named column; a repeated name is left out (a recipe names columns)."""
    checks = _checks(directory)
    seen: set[str] = set()
    out = []
    for i, name in enumerate(header):
        if not name.strip() or normalise_label(name) in seen:
            continue
        seen.add(normalise_label(name))
        values = [(row[i] if i < len(row) else "").strip() for row in rows]
        out.append(Profile(name.strip(), values, checks))
    return out
