"""Who publishes a department's file (for `portal recipe suggest`), and the publisher's
constants for the fields no column fills.

The publisher (target.lgcode) comes from the first of: a code column (most common existing
code, 5-digit codes repaired), 国土地理院's 共通ID (E27205… → 27205 → 272051), the
地方公共団体名 column, the addresses (most common municipality at their start). A
designated city's ward counts as the city: 堺市's GSI file gives 271403 堺市, not 271411
堺市堺区, because the city publishes (the file is per city, 共通ID E27140…) and a ward is
not a 地方公共団体 of its own.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from portal.errors import PortalError
from portal.layout import normalise_label as label
from portal.localgov import Directory, LocalGov
from portal.normalize import split_address
from portal.pipeline.matching import Match
from portal.pipeline.profile import Profile, Tables
from portal.standards import Definition

__all__ = ["Evidence", "constants_for", "municipalities_of", "publisher_of"]


@dataclass(frozen=True)
class Evidence:
    """What names the file besides its rows: the file's name, the sheet's and the title rows
    above the header (Layout.title_texts)."""

    file_name: str = ""
    sheet: str | None = None
    title_texts: Sequence[str] = ()


NO_EVIDENCE = Evidence()

_GSI_ID = re.compile(r"[A-Za-z]?(\d{5})\d*")

Reader = Callable[[str], str | None]  # a value → the code it names, or None


def _readers(directory: Directory) -> tuple[Reader, Reader, Reader]:
    def code(value: str) -> str | None:  # 6-digit, or repaired (5-digit, zero-stripped …)
        try:
            return directory.repair(value)
        except PortalError:
            return None

    def gsi_id(value: str) -> str | None:  # E27205… → 27205 → 272051
        m = _GSI_ID.fullmatch(value)
        return code(m[1]) if m else None

    def place(value: str) -> str | None:  # the municipality the address starts with
        parts = split_address(value, directory)
        gov = directory.get(parts.lgcode) if parts and parts.lgcode else None
        if gov is not None and gov.kind == "ward":  # 堺市堺区 → 堺市: the city publishes
            gov = directory.by_name(gov.prefecture, gov.name[: gov.name.find("市") + 1]) or gov
        return gov.lgcode if gov else None

    return code, gsi_id, place


def publisher_of(
    profiles: list[Profile],
    matches: list[Match],
    directory: Directory,
    t: Tables,
    evidence: Evidence = NO_EVIDENCE,
) -> tuple[LocalGov | None, str]:
    """The publisher from the first source that names one, and how it was found."""
    by_name = {p.name: p for p in profiles}
    by_field = {m.field: m for m in matches}
    code, gsi_id, place = _readers(directory)
    code_fields = [f for f, a in t.publisher_fields.items() if a in ("lgcode", "municipality_code")]
    columns = [by_field[f].sources[0] for f in code_fields if f in by_field]
    sources: list[tuple[list[str], Reader, str]] = [
        ([c], code, "most common code in {what}")
        for c in [*columns, *(p.name for p in profiles if p.kind == "lgcode")]
    ]
    gsi = {label(c) for c in t.gsi_id_columns}
    sources += [([p.name], gsi_id, "{what} starts with the 5-digit code: E{five}… → {five} → {code}")
                for p in profiles if label(p.name) in gsi]  # fmt: skip
    texts = [m.sources for f in ("地方公共団体名", "所在地_連結表記") if (m := by_field.get(f))]
    texts += [[p.name] for p in profiles if p.kind == "address"]
    sources += [(c, place, "most common municipality at the start of {what}, a ward counted as "
                 "its city") for c in texts]  # fmt: skip
    for names, read, template in sources:
        rows = zip(*(by_name[c].values for c in names), strict=True)
        values = Counter(v for v in map("".join, rows) if v)
        found: Counter[str] = Counter()
        for value, n in values.items():
            if named := read(value):
                found[named] += n
        if found:
            best, n = found.most_common(1)[0]
            reason = template.format(what=" + ".join(names), five=best[:5], code=best)
            repaired = ", damaged codes repaired" if read is code and best not in values else ""
            return directory.lookup(best), f"{reason} ({n} of {values.total()} rows{repaired})"
    return None, "no code column, 共通ID or address names it: fill in target.lgcode"


def municipalities_of(
    profiles: list[Profile], matches: list[Match], directory: Directory, t: Tables
) -> Counter[str]:
    """Rows per municipality (6-digit code, a ward counted as its city) named by the rows'
    strongest evidence; empty when the rows name none. Not filled in yet (returns empty)."""
    return Counter()


def constants_for(
    definition: Definition, matched: set[str], gov: LocalGov | None, t: Tables
) -> tuple[dict[str, str], dict[str, str]]:
    if gov is None:
        return {}, {}
    values = {"lgcode": gov.lgcode, "full_name": gov.full_name, "prefecture": gov.prefecture}
    if gov.kind != "prefecture":  # a prefecture has no 市区町村コード or 市区町村名
        values |= {"municipality_code": gov.lgcode, "municipality_name": gov.name}
    constants, reasons = {}, {}
    for name in definition.field_names:
        attr = t.publisher_fields.get(name)
        if attr in values and name not in matched:
            constants[name] = values[attr]
            reasons[name] = f"the publisher ({gov.lgcode} {gov.full_name}); no column for it"
    return constants, reasons
