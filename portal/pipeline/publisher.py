"""Who publishes a department's file (for `portal recipe suggest`), and the publisher's
constants for the fields no column fills.

Evidence, strongest first (the first that names a body is the rows' evidence):
1. A code column: the columns matched to a publisher code field, a column of valid codes,
   国土地理院's 共通ID (E27205… → 27205 → 272051), a column named as a code
   (publisher.yaml `code_columns`: ｺｰﾄﾞ, cityCode …; half its values codes), and a column of
   any name (番号) whose values are nearly all 5- or 6-digit codes of existing bodies and
   repeat (a 5-digit value there never names a prefecture: 12000 is a fee, not 千葉県). A
   5-digit code is repaired with its check digit (22212 → 222127).
2. Name columns: a municipality name column (市区町村名, 市町, cityName, 地方公共団体名 …),
   with the prefecture name column beside it (都道府県名, prefName) settling names found in
   several prefectures.
3. The addresses: the municipality each starts with.
4. What names the file besides its rows, used when the rows name nobody or no body holds
   most rows: a code in the file name (222127_aed.csv), then the title rows above the
   header (「焼津市 AED設置箇所一覧」), then the words of the file name, then the sheet name.

Conflicts: a code column beats names, names beat addresses (a code is written on purpose;
a name column is the clerk's own words; an address may be a facility across the border).
Then, in this order:
- rows in several municipalities of one prefecture that the file or title names: the
  prefecture (a prefecture's list of facilities in its municipalities);
- the body holding PUBLISHER_MAJORITY of the rows that name one; a file or title naming
  another body is reported in the reason, not followed;
- no body holds most rows: the body the file or title names, else nobody — the reason lists
  the municipalities (and their prefecture's code) and the clerk fills target.lgcode.
A column named as a code or name column counts when NAMED_SHARE of its values name a body.

A designated city's ward counts as its city: 堺市's GSI file gives 271403 堺市, not 271411
堺市堺区, because the city publishes (the file is per city, 共通ID E27140…) and a ward is
not a 地方公共団体 of its own. So does a ward's code in a code column.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from portal.errors import PortalError
from portal.layout import normalise_label as label
from portal.localgov import Directory, LocalGov, is_valid
from portal.localgov.codes import clean as clean_code
from portal.normalize import split_address
from portal.pipeline.matching import Match
from portal.pipeline.profile import Profile, Tables
from portal.pipeline.publisher_names import as_city, column_key, names, vocabulary
from portal.standards import Definition

__all__ = ["Evidence", "constants_for", "municipalities_of", "publisher_of"]

# Share of the rows naming a body that one body must hold to be the publisher. A city's own
# list holds a few facilities across the border (a shelter in the next city: 1 row in 20); a
# joint (広域) list splits more evenly. At 0.6 a two-body list needs 3 rows in 5 for one.
PUBLISHER_MAJORITY = 0.6
# Share of a column's filled values that must name existing bodies: a column named as a code
# or municipality column may hold a few dashes, damaged codes or other words (本庁, 県外); a
# column of another name (番号) counts only when it is nearly all codes (2 % of random
# 5-digit numbers are codes).
NAMED_SHARE = 0.5
UNNAMED_CODE_SHARE = 0.9
_FIVE_OR_SIX_DIGITS = re.compile(r"\d{5,6}")
_GSI_ID = re.compile(r"[A-Za-z]?(\d{5})\d*")


@dataclass(frozen=True)
class Evidence:
    """What names the file besides its rows: the file's name, the sheet's and the title rows
    above the header (Layout.title_texts)."""

    file_name: str = ""
    sheet: str | None = None
    title_texts: Sequence[str] = ()


NO_EVIDENCE = Evidence()

Reader = Callable[[Sequence[str]], str | None]  # a row's cells → the code they name, or None


@dataclass(frozen=True)
class _Source:
    """Columns that may name the publisher, how to read them and what the reason says."""

    columns: list[str]
    read: Reader
    template: str  # {what}: the columns, {five}/{code}: the best code
    share: float = 0.0  # of the filled rows that must name a body
    repairs: bool = False  # codes: say when damaged ones were repaired


@dataclass(frozen=True)
class _Found:
    source: _Source
    counts: Counter[str]  # rows per body's code, wards as their cities
    filled: int  # rows with a value in the columns
    repaired: bool  # a code was written damaged


def _readers(directory: Directory, prefecture: str | None) -> dict[str, Reader]:
    index = names(directory)

    def code(cells: Sequence[str]) -> str | None:  # 6-digit, or repaired (5-digit, zero-stripped …)
        try:
            return as_city(directory.lookup(directory.repair(cells[0])), directory).lgcode
        except PortalError:
            return None

    def bare_code(cells: Sequence[str]) -> str | None:  # a column not named as codes
        # 12000 (a fee) would be 120006 千葉県: only a 6-digit code names a prefecture here.
        named = code(cells)
        gov = directory.get(named) if named else None
        if gov is None or (gov.kind == "prefecture" and len(clean_code(cells[0])) < 6):
            return None
        return named

    def gsi_id(cells: Sequence[str]) -> str | None:  # E27205… → 27205 → 272051
        m = _GSI_ID.fullmatch(cells[0])
        return code([m[1]]) if m else None

    def name(cells: Sequence[str]) -> str | None:  # [prefecture,] municipality
        gov = index.municipality(cells[-1], cells[0] if len(cells) > 1 else prefecture)
        return gov.lgcode if gov else None

    def place(cells: Sequence[str]) -> str | None:  # the municipality the address starts with
        parts = split_address("".join(cells), directory, default_prefecture=prefecture)
        gov = directory.get(parts.lgcode) if parts and parts.lgcode else None
        return as_city(gov, directory).lgcode if gov else None

    return {"code": code, "bare_code": bare_code, "gsi_id": gsi_id, "name": name, "place": place}


def _columns(profiles: list[Profile], matches: list[Match], t: Tables) -> dict[str, list[str]]:
    """The file's columns by the publisher evidence they may hold, strongest first."""
    voc = vocabulary()
    matched = {m.field: m.sources for m in matches}

    # A whole address feeds 所在地_都道府県 and 所在地_市区町村 too: it is no name column.
    full = [f for f, a in t.address_parts.items() if a == "full"]
    addresses = {p.name for p in profiles if p.kind == "address"}
    addresses |= {matched[f][0] for f in full if len(matched.get(f, [])) == 1}

    def by_field(attrs: set[str], parts: frozenset[str] = frozenset()) -> list[str]:
        fields = [f for f, a in t.publisher_fields.items() if a in attrs]
        fields += [f for f, a in t.address_parts.items() if a in parts]
        found = [matched[f][0] for f in fields if len(matched.get(f, [])) == 1]
        return [c for c in found if c not in addresses]

    def by_name(words: frozenset[str]) -> list[str]:
        return [p.name for p in profiles if column_key(p.name) in words]

    return {
        "matched_codes": by_field({"lgcode", "municipality_code"}),
        "valid_codes": [p.name for p in profiles if p.kind == "lgcode"],
        "gsi_ids": [p.name for p in profiles if label(p.name) in {label(c) for c in t.gsi_id_columns}],
        "named_codes": by_name(voc.code_columns),
        "prefectures": [
            *by_field({"prefecture"}, frozenset({"prefecture"})),
            *by_name(voc.prefecture_columns),
        ],
        "municipalities": [
            *by_field({"municipality_name", "full_name"}, frozenset({"city"})),
            *by_name(voc.municipality_columns),
        ],
        "addresses": [p.name for p in profiles if p.kind == "address"],
    }  # fmt: skip


def _code_like(profile: Profile) -> bool:
    """A column of any name that may hold codes (a 番号 column of 22212): 5- or 6-digit values
    that repeat — a file's codes are a few bodies', amounts and serial numbers vary."""
    counts = profile.counts
    digits = all(_FIVE_OR_SIX_DIGITS.fullmatch(clean_code(v)) for v in counts)
    return bool(counts) and digits and len(counts) <= max(1, counts.total() // 2)


def _sources(
    profiles: list[Profile], matches: list[Match], directory: Directory, t: Tables,
    prefecture: str | None,
) -> Iterator[_Source]:  # fmt: skip
    """Every source of evidence in the rows, strongest first (see the module's docstring)."""
    read = _readers(directory, prefecture)
    cols = _columns(profiles, matches, t)
    code_reason = "most common code in {what}"
    yield from (_Source([c], read["code"], code_reason, repairs=True)
                for c in cols["matched_codes"] + cols["valid_codes"])  # fmt: skip
    yield from (_Source([c], read["gsi_id"], "{what} starts with the 5-digit code: "
                        "E{five}… → {five} → {code}") for c in cols["gsi_ids"])  # fmt: skip
    yield from (_Source([c], read["code"], code_reason, NAMED_SHARE, True)
                for c in cols["named_codes"])  # fmt: skip
    yield from (_Source([p.name], read["bare_code"], code_reason, UNNAMED_CODE_SHARE, True)
                for p in profiles if _code_like(p))  # fmt: skip
    pairs = [[p, m] for p in cols["prefectures"][:1] for m in cols["municipalities"] if p != m]
    yield from (_Source(c, read["name"], "most common municipality in {what}", NAMED_SHARE)
                for c in pairs or [[m] for m in cols["municipalities"]])  # fmt: skip
    joined = [m.sources for m in matches if m.field == "所在地_連結表記"]
    yield from (_Source(c, read["place"], "most common municipality at the start of {what}, "
                        "a ward counted as its city")
                for c in [*joined, *([a] for a in cols["addresses"])])  # fmt: skip


def _found(source: _Source, by_name: dict[str, Profile]) -> _Found | None:
    rows = zip(*(by_name[c].values for c in source.columns), strict=True)
    values = Counter(cells for cells in rows if any(cells))
    counts: Counter[str] = Counter()
    repaired = False
    for cells, n in values.items():
        if named := source.read(cells):
            counts[named] += n
            repaired |= source.repairs and not is_valid(clean_code(cells[0]))
    filled = values.total()
    if not counts or counts.total() < source.share * filled:
        return None
    return _Found(source, counts, filled, repaired)


def _rows_evidence(
    profiles: list[Profile], matches: list[Match], directory: Directory, t: Tables,
    prefecture: str | None = None,
) -> _Found | None:  # fmt: skip
    """The strongest evidence in the rows that names at least one body."""
    by_name = {p.name: p for p in profiles}
    seen: set[tuple[str, ...]] = set()
    for source in _sources(profiles, matches, directory, t, prefecture):
        key = (source.template, *source.columns)
        if key in seen or not all(c in by_name for c in source.columns):
            continue
        seen.add(key)
        if found := _found(source, by_name):
            return found
    return None


def municipalities_of(
    profiles: list[Profile],
    matches: list[Match],
    directory: Directory,
    t: Tables,
    evidence: Evidence = NO_EVIDENCE,
) -> Counter[str]:
    """Rows per body (6-digit code, a ward counted as its city) as the rows' strongest
    evidence names them; more than one key: the rows belong to several municipalities.
    `evidence` (as publisher_of takes it) settles names such as 森町 by the title's prefecture."""
    text_gov, _ = _from_text(directory, evidence)
    found = _rows_evidence(
        profiles, matches, directory, t, text_gov.prefecture if text_gov else None
    )
    return found.counts if found else Counter()


def _from_text(directory: Directory, evidence: Evidence) -> tuple[LocalGov | None, str]:
    """The body the file's name, title rows or sheet name names, and how."""
    index = names(directory)
    if evidence.file_name:
        gov, code = index.in_file_name(evidence.file_name)
        if gov is not None:
            return gov, f"the file name {evidence.file_name} holds its code {code}"
    texts = [(f"the title row 「{t}」", t) for t in evidence.title_texts]
    texts.append((f"the file name {evidence.file_name}", Path(evidence.file_name).stem))
    texts.append((f"the sheet name {evidence.sheet}", evidence.sheet or ""))
    for where, text in texts:
        bodies = index.named_in(text)
        if len(bodies) == 1:
            return bodies[0], f"{where} names it"
    return None, ""


def _listed(counts: Counter[str], directory: Directory) -> str:
    shown = ", ".join(f"{directory.lookup(c).name} {n}" for c, n in counts.most_common(5))
    more = f", … {len(counts) - 5} more" if len(counts) > 5 else ""
    return f"rows belong to {len(counts)} municipalities ({shown}{more})"


def publisher_of(
    profiles: list[Profile],
    matches: list[Match],
    directory: Directory,
    t: Tables,
    evidence: Evidence = NO_EVIDENCE,
) -> tuple[LocalGov | None, str]:
    """The publisher and how it was found (the module's docstring gives the order)."""
    text_gov, text_reason = _from_text(directory, evidence)
    hint = text_gov.prefecture if text_gov else None  # settles 森町 in the rows
    found = _rows_evidence(profiles, matches, directory, t, hint)
    if found is None:
        if text_gov is not None:
            return text_gov, f"{text_reason}; no column names it"
        return None, ("no code column, name column, address, file name or title row names it: "
                      "fill in target.lgcode")  # fmt: skip
    return _decide(found, text_gov, text_reason, directory)


def _decide(
    found: _Found, text_gov: LocalGov | None, text_reason: str, directory: Directory
) -> tuple[LocalGov | None, str]:
    counts = found.counts
    best, n = counts.most_common(1)[0]
    several = f"; {_listed(counts, directory)}" if len(counts) > 1 else ""
    govs = [directory.lookup(c) for c in counts]
    if (len(counts) > 1 and text_gov is not None and text_gov.kind == "prefecture"
            and all(g.prefecture == text_gov.prefecture for g in govs)):  # fmt: skip
        return text_gov, f"{text_reason}{several}, all in it"
    if n >= PUBLISHER_MAJORITY * counts.total():
        what = " + ".join(found.source.columns)
        reason = found.source.template.format(what=what, five=best[:5], code=best)
        repaired = ", damaged codes repaired" if found.repaired else ""
        other = ""
        if text_gov is not None and text_gov.lgcode != best:
            other = f"; {text_reason.replace('names it', 'names')} {text_gov.full_name}"
        return directory.lookup(
            best
        ), f"{reason} ({n} of {found.filled} rows{repaired}){several}{other}"
    if text_gov is not None:
        return text_gov, f"{text_reason}{several}, none in most rows"
    prefectures = {g.prefecture for g in govs}
    if len(prefectures) == 1 and (pref := names(directory).prefecture(prefectures.pop())):
        hint = f" ({pref.lgcode} if {pref.name} publishes it)"
    else:
        hint = ""
    return None, (f"{_listed(counts, directory)}, none in most rows, and no file name or title row names the publisher: "
                  f"fill in target.lgcode{hint}")  # fmt: skip


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
