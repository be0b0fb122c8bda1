"""Matching a department's columns to a standard dataset's fields (for `portal recipe suggest`).

Stages, in decreasing confidence; each field takes the first column a stage finds, and
each column feeds one field at most:

1. exact name (after `normalise_label`: width, spaces, ― for ー);
2. the same name ignoring punctuation and case (名称（カナ） for 名称_カナ);
3. the standard's English key (schema.json's `key_en`: localGovernmentCode → 全国地方公共団体コード);
4. a known layout's names (国土地理院's 施設・場所名 → 名称), when the header is that layout;
5. legacy 推奨 names (住所 → 所在地_連結表記), joined ones too (都道府県名 + 市区町村名),
   and joined English ones (prefName + cityName);
6. a statistics table's names read as age band and sex (0～4歳男 → 0-4歳の男性, 人口総数 → 総人口;
   portal/pipeline/statistics.py);
7. synonyms (TEL → 電話番号) and English spellings (tel, phone), checked against the values;
8. the values alone (latitudes, phone numbers, katakana, addresses, names …).

Then the one exception to "one field per column": the column feeding 所在地_連結表記
also feeds every address part that has no column of its own, through the `address`
normaliser. The names are data: portal/mapping/synonyms.yaml, english.yaml and
statistics.yaml; what each column's values look like is portal/pipeline/profile.py.

A table whose rows are age bands (年齢 0～4歳, 5～9歳 … with 男/女/計 columns) has no count
of an area in any row: its counts are left unmapped (statistics.notes says why).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from portal.layout import normalise_label
from portal.pipeline import statistics
from portal.pipeline.profile import Profile, Tables, tables
from portal.standards import Definition
from portal.standards.detect import dice, known_layouts

# Confidence by how a match was found: a name the standard or a known layout uses is
# near certain; a synonym is usually right; values alone only say what kind of data it is.
EXACT, LOOSE, LAYOUT, LEGACY, JOINED, SYNONYM = 1.0, 0.9, 0.95, 0.95, 0.9, 0.85
# The standard's own English key is as sure as its Japanese name written loosely; an
# English spelling as a synonym; a statistics name read as band and sex names the field.
KEY_EN, ENGLISH, STATISTICS = 0.9, 0.85, 0.9
EXACT_REASON, LOOSE_REASON = "exact name", "same name but for punctuation"
ADDRESS_PART, BUILDING = 0.8, 0.6  # the split is by form (no 町字 registry): check it
VALUE, VALUE_AMBIGUOUS, NAME_VALUES = 0.7, 0.4, 0.5
DISAGREE = 0.6  # factor when a synonym's values are not of the field's kind
CODES_SHARE = 0.8  # an "ID" column this much made of municipality codes is a code column

_PUNCT = re.compile(r"[_・･.,\-()\[\]【】「」『』〔〕<>:/'\"]")

LAYOUT_MIN = 0.5  # Dice with a known layout's header from which its names are used
# Kinds whose fields only their names tell apart: matched by values only column for field.
_ALIKE = {"flag-1-blank", "yes-no"}
# A named column may hold repairable values of its kind (22212 for 222127); values alone may not.
_LENIENT = {"lgcode": "lgcode-repairable"}


@dataclass
class Match:
    field: str  # standard field name
    sources: list[str]  # source column(s); several → joined
    confidence: float  # 0..1
    reason: str  # English, short
    normalize: list[str | dict[str, Any]]  # suggested normalisers
    join: str = ""


@lru_cache(maxsize=16_384)  # column and field names recur across stages, datasets and files
def loose_key(label: str) -> str:
    """A name with width, case, spaces and punctuation ignored (名称（カナ） = 名称_カナ)."""
    return _PUNCT.sub("", normalise_label(label).casefold())


class _Matcher:
    """The state of one matching: fields found so far and the columns they used."""

    def __init__(self, definition: Definition, profiles: Sequence[Profile], t: Tables) -> None:
        self.t = t
        self.kinds = {f["name"]: f.get("kind") for f in definition.fields}
        self.key_en = _trusted_keys(definition, t)
        self.order = definition.field_names
        self.profiles = {p.name: p for p in profiles}
        self.used: set[str] = set()
        self.found: dict[str, Match] = {}

    def free(self) -> list[str]:
        return [c for c in self.profiles if c not in self.used]

    def open(self) -> list[str]:
        return [f for f in self.order if f not in self.found]

    def take(self, name: str, sources: list[str], confidence: float, reason: str) -> None:
        self.found[name] = Match(name, sources, round(confidence, 2), reason, [])
        self.used.update(sources)

    def by_name(
        self,
        names_for: Callable[[str], Iterable[str]],
        key: Callable[[str], str],
        confidence: float,
        reason: str,
    ) -> None:
        for name in self.open():
            for wanted in names_for(name):
                column = next((c for c in self.free() if key(c) == key(wanted)), None)
                if column is not None:
                    self.take(name, [column], confidence, reason.format(column))
                    break


def _layout_names(t: Tables, layout: str | None) -> tuple[str, Callable[[str], list[str]]]:
    spec = t.layouts.get(layout or "", {"label": "", "columns": {}})
    reverse: dict[str, list[str]] = {}
    for source, target in spec["columns"].items():
        reverse.setdefault(target, []).append(source)
    return spec["label"], lambda name: reverse.get(name, [])


@lru_cache(maxsize=16_384)
def _unitless_key(label: str) -> str:
    """loose_key without a unit in brackets at the end (世帯数（世帯）, 面積(㎡))."""
    return loose_key(statistics.without_unit(label))


def _trusted_keys(definition: Definition, t: Tables) -> dict[str, list[str]]:
    """field → [its key_en], unless the key's words contradict the field's name (the
    reference's extraction gives westernStyleFemaleToilet to 男女共用トイレ総数)."""
    out: dict[str, list[str]] = {}
    for f in definition.fields:
        key = f.get("key_en")
        if not key:
            continue
        words = {w.casefold() for w in re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])", key)}
        marks = t.key_en_words
        if all(any(m in f["name"] for m in marks[w]) for w in words if w in marks):
            out[f["name"]] = [key]
    return out


def _joined(m: _Matcher, joined: dict[str, list[list[str]]], key: Callable[[str], str],
            reason: str) -> None:  # fmt: skip
    for name in m.open():
        for combo in joined.get(name, []):
            keys = {key(c): c for c in m.free()}
            found = [keys.get(key(part)) for part in combo]
            if all(found):
                sources = [c for c in found if c]
                m.take(name, sources, JOINED, reason + " " + " + ".join(sources))
                break


def _statistics(m: _Matcher) -> None:
    """A statistics table's names read as band and sex (0～4歳男 → 0-4歳の男性)."""
    for name, (column, why) in statistics.match_by_reading(m.free(), m.open()).items():
        m.take(name, [column], STATISTICS, f"statistics name {column} ({why})")


def _drop_long_table_counts(m: _Matcher) -> None:
    """Rows that are age bands (年齢: 0～4歳 …): no row counts an area, so no count is mapped."""
    if statistics.long_table_column(m.profiles.values()) is None:
        return
    for name in [f for f, match in m.found.items() if m.kinds.get(f) == "count"]:
        m.used.difference_update(m.found.pop(name).sources)


def _check_values(m: _Matcher, names: Iterable[str]) -> None:
    """A synonym whose values are not of the field's kind (連絡先 holding a department)."""
    for name in names:
        match, kind = m.found[name], m.kinds.get(name)
        profile = m.profiles[match.sources[0]]
        words = m.t.value_kinds.get(kind or "")
        lenient = _LENIENT.get(kind or "", kind or "")
        if words and profile.filled and profile.share(lenient) < 0.5:
            match.confidence = round(match.confidence * DISAGREE, 2)
            match.reason += f"; but values do not look like {words}"


def _codes_not_ids(m: _Matcher, names: Iterable[str]) -> None:
    """A column a synonym gave to ID (番号) whose values repeat and are municipality codes
    (27227 on every row) is the publisher's code: an ID is unique per row."""
    for name in [n for n in names if m.kinds.get(n) == "id"]:
        profile = m.profiles[m.found[name].sources[0]]
        repeats = len(profile.counts) < profile.filled
        if not repeats or profile.share(_LENIENT["lgcode"]) < CODES_SHARE:
            continue
        target = next((f for f in m.t.value_preferred["lgcode"] if m.kinds.get(f) == "lgcode"
                       and f not in m.found), None)  # fmt: skip
        del m.found[name]
        if target is None:
            m.used.discard(profile.name)
            continue
        sample = profile.sample(_LENIENT["lgcode"])
        m.found[target] = Match(target, [profile.name], VALUE, "values repeat and look like "
                                f"local government codes ({sample}…), not IDs", [])  # fmt: skip


def _by_values(m: _Matcher, layout: str | None) -> None:
    # A known layout's columns that no name matched are left out on purpose (the GSI
    # shelter file's 指定緊急避難場所との住所同一 is a 1/blank flag but no hazard).
    ignored = {normalise_label(h) for h in known_layouts().get(layout or "", {}).get("header", [])}
    free = [c for c in m.free() if normalise_label(c) not in ignored]
    for kind, words in m.t.value_kinds.items():
        if kind == "address":
            fields = [f for f in m.open() if m.t.address_parts.get(f) == "full"]
        else:
            fields = [f for f in m.open() if m.kinds.get(f) == kind]
        preferred = m.t.value_preferred.get(kind, [])
        fields.sort(key=lambda f: preferred.index(f) if f in preferred else len(preferred))
        columns = [c for c in free if c not in m.used and m.profiles[c].kind == kind]
        if kind in _ALIKE and len(fields) > 1 and len(columns) != len(fields):
            continue  # one 1/blank column among 9 hazard flags: its values cannot say which
        for name, column in zip(fields, columns, strict=False):
            profile = m.profiles[column]
            sure = len(fields) == 1 or name in preferred
            reason = f"values look like {words} ({profile.sample(kind)[:12]}…)"
            if not sure:
                reason += f"; one of {len(fields)} such fields, check which"
            base = VALUE if sure else VALUE_AMBIGUOUS
            m.take(name, [column], base * profile.share(kind), reason)
    target = next((f for f in m.t.name_fields if f in m.kinds and f not in m.found), None)
    names = next((c for c in free if c not in m.used and m.profiles[c].looks_like_names), None)
    if target and names:
        sample = m.profiles[names].sample()[:12]
        m.take(target, [names], NAME_VALUES, f"values look like names ({sample}…)")


def detect_layout(header: Sequence[str]) -> tuple[str | None, float]:
    """The known layout (layouts.yaml) the header is, with its Dice score, if close to one."""
    norm = {normalise_label(h) for h in header if h.strip()}
    scored = [
        (dice(norm, {normalise_label(h) for h in spec["header"]}), name)
        for name, spec in known_layouts().items()
    ]
    score, name = max(scored, default=(0.0, ""))
    return (name, score) if score >= LAYOUT_MIN else (None, 0.0)


def _run_stages(
    definition: Definition, profiles: Sequence[Profile], layout: str | None
) -> _Matcher:
    t = tables()
    m = _Matcher(definition, profiles, t)
    m.by_name(lambda f: [f], normalise_label, EXACT, EXACT_REASON)
    m.by_name(lambda f: [f], loose_key, LOOSE, LOOSE_REASON)
    m.by_name(lambda f: m.key_en.get(f, []), loose_key, KEY_EN, "the standard's English key {}")
    label, layout_names = _layout_names(t, layout)
    m.by_name(layout_names, normalise_label, LAYOUT, label + " layout name {}")
    m.by_name(lambda f: t.legacy.get(f, []), normalise_label, LEGACY, "legacy 推奨 name {}")
    _joined(m, t.legacy_joined, normalise_label, "legacy 推奨 names")
    _joined(m, t.english_joined, loose_key, "English names")
    _statistics(m)
    before = set(m.found)
    m.by_name(lambda f: t.synonyms.get(f, []), loose_key, SYNONYM, "synonym {}")
    m.by_name(lambda f: t.english.get(f, []), loose_key, ENGLISH, "English name {}")
    m.by_name(lambda f: [f, *t.synonyms.get(f, [])], _unitless_key, SYNONYM, "name with a unit {}")
    _check_values(m, set(m.found) - before)
    _codes_not_ids(m, set(m.found) - before)
    _by_values(m, layout)
    _drop_long_table_counts(m)
    return m


def _split_address(m: _Matcher) -> None:
    """The column feeding 所在地_連結表記 feeds the address parts without a column of their own."""
    parts = m.t.address_parts
    for full in [f for f, part in parts.items() if part == "full" and f in m.found]:
        match = m.found[full]
        if len(match.sources) != 1:
            continue
        split = False
        for name, part in parts.items():
            if part == "full" or name not in m.kinds or name in m.found:
                continue
            building = part == "building"
            confidence = BUILDING if building else min(match.confidence, ADDRESS_PART)
            reason = f"address column split: {part}" + (" (no 方書 column)" if building else "")
            option: list[str | dict[str, Any]] = [{"address": part}]
            m.found[name] = Match(name, list(match.sources), confidence, reason, option)
            split = True
        if split:
            match.normalize = [{"address": "full"}]


def _normalizers(m: _Matcher) -> None:
    for match in m.found.values():
        if match.normalize:
            continue
        kind = m.kinds.get(match.field)
        chosen: list[str | dict[str, Any]] = list(m.t.normalizers_by_kind.get(kind or "", ["trim"]))
        profile = m.profiles[match.sources[0]]
        if kind == "date" and profile.excel_serials:
            chosen = [{"date": {"excel_serial": True}}]
        if chosen == ["trim"] and any(m.profiles[s].halfwidth_kana for s in match.sources):
            chosen.append("kana_widen")
        match.normalize = chosen


def match_columns(
    definition: Definition, profiles: Sequence[Profile], layout: str | None = None
) -> list[Match]:
    """Every field a column was found for, in the standard's field order."""
    m = _run_stages(definition, profiles, layout)
    _split_address(m)
    _building_in_full(m)
    _normalizers(m)
    return [m.found[f] for f in m.order if f in m.found]


def _building_in_full(m: _Matcher) -> None:
    """The standard's 所在地_連結表記 is the whole address, "prefecture through building"
    (fields.csv: …青葉町一丁目○-○　○○ビル1階): a table with the building in a column of its
    own (the legacy 住所 + 方書) gives it both, joined by a full-width space as in the
    standard's example; 建物名等(方書) keeps the building alone."""
    parts = m.t.address_parts
    full = next((f for f, part in parts.items() if part == "full" and f in m.found), None)
    building = next((f for f, part in parts.items() if part == "building" and f in m.found), None)
    if full is None or building is None:
        return
    whole, own = m.found[full], m.found[building]
    if whole.reason in (EXACT_REASON, LOOSE_REASON):
        return  # the standard's own column (所在地_連結表記): it holds the building already
    if len(whole.sources) != 1 or len(own.sources) != 1 or own.sources == whole.sources:
        return  # the building split from the address column itself: already in it
    whole.sources = [whole.sources[0], own.sources[0]]
    whole.join = "\u3000"
    whole.reason += f" + {own.sources[0]} (the building: the standard's full address holds it)"


def header_score(
    definition: Definition, profiles: Sequence[Profile], layout: str | None = None
) -> float:
    """How well the columns fit the dataset, 0..1: mostly the share of the source's columns
    it explains (a department's table is a subset of the fields plus a few of its own, so
    Dice would favour the smallest dataset), then the share of its fields; both weighted
    by the matches' confidence."""
    if not profiles or not definition.fields:
        return 0.0
    m = _run_stages(definition, profiles, layout)
    matched = sum(x.confidence * len(x.sources) for x in m.found.values())
    columns = min(1.0, matched / len(profiles))
    fields = min(1.0, matched / len(definition.fields))
    return 0.75 * columns + 0.25 * fields
