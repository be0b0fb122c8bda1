"""Which standard dataset a department's file is, from every signal it gives, with the
evidence for each candidate, and a refusal to guess.

The columns come first: how much of the file the dataset's fields explain (matching.py's
stages, a legacy 推奨 header, a known layout such as 国土地理院's). Then what the file
says about itself: its title rows, sheet name and file name naming the dataset, column
names only that kind of table has (訪問介護, 0～4歳), and the names of the things listed
(デイサービス○○). The words are data: portal/pipeline/choice.yaml, plus each dataset's
title. A column of ○ marks matched to a yes/no field by its values alone counts for
nothing: ○ says a thing is there, not what kind of table this is.

Below CONFIDENCE_FLOOR, or less than MARGIN ahead of the next, or when the file names a
kind of table the reference has no dataset for (指定避難所), the choice is not sure: a
person chooses among the candidates, shown with their evidence.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from portal.errors import InputUnreadable, Location
from portal.pipeline.matching import Match, match_columns
from portal.pipeline.profile import Profile
from portal.standards import Definition, Registry
from portal.standards.detect import compare, known_layouts
from portal.standards.registry import LEGACY_DIR

__all__ = [
    "CONFIDENCE_FLOOR",
    "MARGIN",
    "Candidate",
    "Choice",
    "Context",
    "choose",
    "datasets_named",
]

WORDS_FILE = Path(__file__).with_name("choice.yaml")

# The score (0–1) a dataset needs to be chosen without asking. The columns of a table of
# no standard fit any dataset at about 0.05–0.2 (札幌市's snow-clearing routes: 0.05); a
# care-service list with its own column names and nothing else to go on fits
# care_service at 0.38 and AED at 0.32. Half the file explained (or less explained plus
# the file naming the dataset) is where the columns start to say which dataset it is.
CONFIDENCE_FLOOR = 0.5
# How far ahead of the next candidate the best must be. The generic columns of any
# facility list (名称, 住所, 電話番号) fit every facility dataset at about 0.75 within
# 0.02 of each other; a file that is one of them (a standard header, a legacy 推奨 one,
# a title naming it) is ahead by 0.13 or more in every sample file and corpus file.
MARGIN = 0.1
# What the file saying what it is adds to the columns' fit, by where it says it: a title
# row or a sheet name is written for the reader (strong); a file name is often a code
# or a date (weaker); a column name or the listed things' names are indirect. Capped: the
# words alone never make a sure choice of a dataset whose columns fit nothing.
NAMED_IN = {"title": 0.3, "sheet": 0.3, "file": 0.2, "columns": 0.15, "values": 0.15}
WORDS_MAX = 0.5
VALUE_SHARE = 0.3  # share of a names column's values with a dataset's words to count
CANDIDATES_SHOWN = 5  # a person compares a handful, not the whole registry …
CANDIDATES_MAX = 10  # … unless more over the floor are within MARGIN of the best: none is ruled out
FIT_SHOWN = 6  # matched columns named in a candidate's evidence
_MARKS_KINDS = {"yes-no", "flag-1-blank"}  # ○ or 1 by values alone: no evidence of kind
_ASCII_WORD = re.compile(r"[A-Za-z][A-Za-z0-9 \-]*")


@dataclass(frozen=True)
class Context:
    """What the file says about itself besides its columns."""

    file_name: str
    sheet: str | None = None  # None for a CSV (a sheet name of its own only in a workbook)
    title_texts: tuple[str, ...] = ()


@dataclass
class Candidate:
    """A standard dataset the file may be: its score (0–1) and why, in English and Japanese."""

    dataset: str
    title_ja: str
    score: float
    evidence: list[str] = field(default_factory=list)
    evidence_ja: list[str] = field(default_factory=list)

    def add(self, en: str, ja: str) -> None:
        self.evidence.append(en)
        self.evidence_ja.append(ja)


@dataclass
class Choice:
    candidates: list[Candidate]  # best first
    sure: bool
    doubts: list[tuple[str, str]] = field(default_factory=list)  # (en, ja) for the terminal


@dataclass
class _Words:
    names: list[str]
    columns: list[str]
    values: list[str]


@lru_cache(maxsize=2)
def _vocabulary(path: Path = WORDS_FILE) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return loaded


def _words_of(definition: Definition) -> _Words:
    given = _vocabulary()["datasets"].get(definition.slug, {})
    title = re.sub(r"\s*\(.*\)$", "", definition.title_ja).removesuffix("一覧")
    names = [*given.get("names", []), title]
    # The standard's key too, as a file named for it writes it (aizuwakamatsu_public_facility).
    key = definition.slug.replace("_", " ")
    if key.casefold() not in {_fold(n) for n in names}:
        names.append(key)
    return _Words(names, given.get("columns", []), given.get("values", []))


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def found_in(text: str, words: Sequence[str]) -> list[str]:
    """The words that occur in `text` (an ASCII word only where a word starts)."""
    folded = _fold(text)
    ascii_text = re.sub(r"[_\-.]", " ", folded).replace(" ", " ")
    out = []
    for word in words:
        if word.startswith("re:"):
            hit = re.search(word[3:], folded) is not None
        elif _ASCII_WORD.fullmatch(word):
            # At a word's start only: romaji compounds (hoikuen, kaigohoken) hold the word.
            pattern = r"(?<![a-z])" + re.escape(_fold(word).replace("-", " "))
            hit = re.search(pattern, ascii_text) is not None
        else:
            hit = _fold(word) in folded
        if hit:
            out.append(word.removeprefix("re:"))
    return out


# The columns


def _counts_for_kind(definition: Definition, m: Match) -> bool:
    kinds = {f["name"]: f.get("kind") for f in definition.fields}
    by_values = m.reason.startswith("values look like")
    return not (by_values and kinds.get(m.field) in _MARKS_KINDS)


def fit(definition: Definition, profiles: Sequence[Profile],
        layout: str | None) -> tuple[float, list[Match]]:  # fmt: skip
    """matching.header_score, but ○ columns matched by their values count for nothing:
    mostly the share of the file's columns the fields explain, then the share of the fields
    filled, weighted by the matches' confidence. With the matches counted."""
    if not profiles or not definition.fields:
        return 0.0, []
    matches = [m for m in match_columns(definition, profiles, layout)
               if not m.reason.startswith("address column split")]  # fmt: skip
    counted = [m for m in matches if _counts_for_kind(definition, m)]
    matched = sum(m.confidence * len(m.sources) for m in counted)
    columns = min(1.0, matched / len(profiles))
    fields = min(1.0, matched / len(definition.fields))
    return 0.75 * columns + 0.25 * fields, counted


def _fit_evidence(c: Candidate, score: float, matches: list[Match], width: int) -> None:
    named = [m for m in matches if not m.reason.startswith("values look like")]
    pairs = [m.field if m.sources == [m.field] else f"{' + '.join(m.sources)} → {m.field}"
             for m in named[:FIT_SHOWN]]  # fmt: skip
    more = "…" if len(named) > FIT_SHOWN else ""
    used = len({s for m in matches for s in m.sources})
    listed = ", ".join(pairs) + more if pairs else "none by name"
    c.add(f"columns fit {score:.2f} ({used} of {width} columns used): {listed}",
          f"列の一致 {score:.2f}（{width} 列中 {used} 列）: {listed if pairs else '名前で一致した列なし'}")  # fmt: skip


def _column_scores(registry: Registry, header: Sequence[str], profiles: Sequence[Profile],
                   layout: tuple[str | None, float]) -> dict[str, Candidate]:  # fmt: skip
    """Each current dataset's fit with its evidence; a legacy header and a known layout
    count for the current dataset they convert to (the target is never legacy)."""
    out: dict[str, Candidate] = {}
    for d in registry.all():
        if not d.fields or d.key.startswith(f"{LEGACY_DIR}/"):
            continue
        score, matches = fit(d, profiles, layout[0])
        score *= 0.95 if d.basis == "legacy-fallback" else 1.0  # the legacy list stands in
        out[d.key] = c = Candidate(d.key, d.title_ja, score)
        _fit_evidence(c, score, matches, len(profiles))
        legacy_key = f"{LEGACY_DIR}/{d.slug}"
        if legacy_key in registry and (legacy := compare(list(header), registry.get(legacy_key)).score) > score:  # fmt: skip
            c.score = legacy
            c.add(f"legacy 推奨 header {legacy:.2f}", f"旧・推奨データセットの見出し {legacy:.2f}")
    if layout[0]:
        spec = known_layouts()[layout[0]]
        c = out.get(spec["converts_to"]) or Candidate(spec["converts_to"], "", 0.0)
        c.score = max(c.score, layout[1])
        c.add(f"layout {spec['title_en']} ({layout[1]:.2f})",
              f"既知の様式 {spec['title_ja']}（{layout[1]:.2f}）")  # fmt: skip
        out[c.dataset] = c
    return out


# What the file says about itself


def _places(context: Context) -> list[tuple[str, str, str, str]]:
    """(weight key, text, how to say where in English, in Japanese)."""
    out = [("title", t, f"title row 「{t}」", f"タイトル行「{t}」") for t in context.title_texts]
    if context.sheet:
        out.append(("sheet", context.sheet, f"sheet name 「{context.sheet}」", f"シート名「{context.sheet}」"))  # fmt: skip
    out.append(("file", Path(context.file_name).stem, f"file name {context.file_name}",
                f"ファイル名 {context.file_name}"))  # fmt: skip
    return out


def _named_by(c: Candidate, words: _Words, context: Context,
              profiles: Sequence[Profile]) -> float:  # fmt: skip
    """Add the places that name the dataset to its evidence; what they add to its score."""
    weights: dict[str, float] = {}
    for where, text, en, ja in _places(context):
        if hits := found_in(text, words.names):
            weights[where] = NAMED_IN[where]
            c.add(f"{en} names {', '.join(hits)}", f"{ja}に「{'、'.join(hits)}」")
    columns = [p.name for p in profiles if found_in(p.name, words.columns)]
    if columns:
        weights["columns"] = NAMED_IN["columns"]
        shown = ", ".join(columns[:FIT_SHOWN]) + ("…" if len(columns) > FIT_SHOWN else "")
        c.add(f"column names {shown} are of this kind of table", f"この種類の表の列名: {shown}")
    for p in profiles if words.values else []:
        texts = [v for v in p.values if v and not v.replace(".", "").isdigit()]
        hits = [v for v in texts if found_in(v, words.values)]
        if texts and len(hits) >= VALUE_SHARE * len(texts):
            weights["values"] = NAMED_IN["values"]
            c.add(f"{len(hits)} of {len(texts)} values of {p.name} name such things ({hits[0]})",
                  f"{p.name} の値 {len(texts)} 件中 {len(hits)} 件がこの種類の名前（{hits[0]}）")  # fmt: skip
            break
    return min(WORDS_MAX, sum(weights.values()))


def datasets_named(registry: Registry, context: Context) -> dict[str, list[tuple[str, str]]]:
    """The current datasets the file's title rows, sheet name or file name name, each with
    where (en, ja): for a conversion into another dataset to be doubted (a sheet called
    「AED設置施設」 converted into public_wireless_lan)."""
    out: dict[str, list[tuple[str, str]]] = {}
    for d in registry.all():
        if d.fields and not d.key.startswith(f"{LEGACY_DIR}/"):
            c = Candidate(d.key, d.title_ja, 0.0)
            _named_by(c, _Words(_words_of(d).names, [], []), context, ())
            if c.evidence:
                out[d.key] = list(zip(c.evidence, c.evidence_ja, strict=True))
    return out


def _undefined(context: Context, layout: str | None) -> tuple[str, dict[str, Any], str, str] | None:
    """A kind of table the reference has no dataset for, if the file names one or has its
    layout: (its name, its entry, where it was seen in English and Japanese)."""
    for name, spec in _vocabulary().get("undefined", {}).items():
        if layout is not None and layout in spec.get("layouts", []):
            title = known_layouts()[layout]
            return name, spec, f"layout {title['title_en']}", f"様式 {title['title_ja']}"
        for _, text, en, ja in _places(context):
            if found_in(text, spec["names"]):
                return name, spec, en, ja
    return None


def _say_undefined(found: tuple[str, dict[str, Any], str, str], registry: Registry,
                   candidates: dict[str, Candidate]) -> tuple[str, str]:  # fmt: skip
    name, spec, where_en, where_ja = found
    closest = spec["closest"]
    title = registry.get(closest).title_ja if closest in registry else closest
    en = (f"the reference defines no standard dataset for {spec['en']}, which the {where_en} names; "
          f"{closest} ({title}) is only the closest: a person must decide")  # fmt: skip
    ja = (f"{where_ja}は「{name}」ですが、標準データセットに「{name}」はありません。"
          f"最も近いのは {title}（{closest}）ですが、使うかどうかは人が決めてください")  # fmt: skip
    if (c := candidates.get(closest)) is not None:
        c.score = min(1.0, c.score + NAMED_IN["title"])  # the file does say what it is near
        c.add(en, ja)
    return en, ja


def choose(registry: Registry, header: Sequence[str], profiles: Sequence[Profile],
           layout: tuple[str | None, float], context: Context,
           dataset: str | None = None) -> Choice:  # fmt: skip
    """The candidates, best first, with their evidence; sure when `dataset` is given, or the
    best is at CONFIDENCE_FLOOR or over and MARGIN ahead of the next, and the file names no
    kind of table the reference lacks."""
    if dataset is not None:
        return _as_asked(registry, registry.get(dataset), header, profiles, layout, context)
    candidates = _column_scores(registry, header, profiles, layout)
    if not candidates:
        raise InputUnreadable(Location(file=context.file_name), detail="no standard dataset to match",
                              detail_ja="照合できる標準データセットがありません")  # fmt: skip
    for c in candidates.values():
        c.score = min(
            1.0, c.score + _named_by(c, _words_of(registry.get(c.dataset)), context, profiles)
        )
    doubts = []
    if (lacking := _undefined(context, layout[0])) is not None:
        doubts.append(_say_undefined(lacking, registry, candidates))
    for c in candidates.values():
        c.score = round(c.score, 2)
    ranked = sorted(candidates.values(), key=lambda c: -c.score)  # stable: registry order on ties
    best, second = ranked[0].score, ranked[1].score if len(ranked) > 1 else 0.0
    sure = not doubts and best >= CONFIDENCE_FLOOR and best - second >= MARGIN
    if not sure and not doubts:
        doubts.append(_say_unsure(ranked[0], second))
    close = sum(1 for c in ranked if best - c.score < MARGIN) if best >= CONFIDENCE_FLOOR else 0
    shown = ranked[: min(CANDIDATES_MAX, max(CANDIDATES_SHOWN, close))]
    return Choice([c for c in shown if c.score > 0] or ranked[:1], sure, doubts)


def _say_unsure(best: Candidate, second: float) -> tuple[str, str]:
    if best.score < CONFIDENCE_FLOOR:
        return (f"the best candidate scores {best.score:.2f}, under the floor of {CONFIDENCE_FLOOR:.2f}",
                f"最も近い候補でも {best.score:.2f} で、基準の {CONFIDENCE_FLOOR:.2f} に届きません")  # fmt: skip
    return (f"the best candidate ({best.score:.2f}) is less than {MARGIN:.2f} ahead of the next ({second:.2f})",
            f"最も近い候補（{best.score:.2f}）と次の候補（{second:.2f}）の差が {MARGIN:.2f} 未満です")  # fmt: skip


def _as_asked(registry: Registry, definition: Definition, header: Sequence[str],
              profiles: Sequence[Profile], layout: tuple[str | None, float],
              context: Context) -> Choice:  # fmt: skip
    """The dataset a person chose: sure, with its evidence, and a doubt when its columns
    fit it badly or the file names a kind of table the reference lacks."""
    score, matches = fit(definition, profiles, layout[0])
    c = Candidate(definition.key, definition.title_ja, round(score, 2))
    _fit_evidence(c, score, matches, len(profiles))
    doubts = []
    if (lacking := _undefined(context, layout[0])) is not None:
        doubts.append(_say_undefined(lacking, registry, {}))
    named = datasets_named(registry, context)
    if named and definition.slug not in named:  # the file says it is something else
        en = "; ".join(f"{where[0]} ({key})" for key, said in named.items() for where in said)
        ja = "、".join(f"{where[1]}（{key}）" for key, said in named.items() for where in said)
        doubts.append((f"the file says it is another dataset: {en}; not {definition.key}",
                       f"ファイル自身は別のデータセットだと示しています: {ja}。{definition.title_ja} ではありません"))  # fmt: skip
    if score < CONFIDENCE_FLOOR:
        doubts.append((f"the columns fit {definition.key} only {score:.2f} (under {CONFIDENCE_FLOOR:.2f}): "
                       "check every line of the recipe",
                       f"列は {definition.title_ja} に {score:.2f} しか一致しません（基準 {CONFIDENCE_FLOOR:.2f}）。"
                       "レシピの各行を確認してください"))  # fmt: skip
    return Choice([c], True, doubts)
