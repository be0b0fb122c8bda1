"""`portal recipe suggest`: a draft recipe for a department's file, for a clerk to check.

The file is read as the converter reads it and up to SAMPLE_ROWS data rows are looked at.
The target is the current dataset the columns fit best (matching.header_score); a legacy
推奨 header and a known layout (layouts.yaml) score for the current dataset they convert
to, so a legacy key is never proposed. The columns are matched by matching.match_columns.
The publisher is found by portal/pipeline/publisher.py. Publisher fields without a column become constants; IDs
are numbered when no column holds them.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import Any

import yaml

from portal.formats.layout_reader import data_rows, read_table
from portal.localgov import Directory, LocalGov
from portal.pipeline import statistics
from portal.pipeline.choice import Candidate, Context, choose
from portal.pipeline.matching import Match, detect_layout, match_columns
from portal.pipeline.profile import Profile, profile_columns, tables
from portal.pipeline.publisher import Evidence, constants_for, municipalities_of, publisher_of
from portal.standards import Definition, Registry
from portal.standards.detect import compare, known_layouts
from portal.standards.registry import LEGACY_DIR

__all__ = ["Candidate", "Match", "Suggestion", "suggest"]

SAMPLE_ROWS = 500
UNKNOWN_LGCODE = "000000"  # the schema needs 6 digits; `portal convert` refuses this one
REVIEW_BELOW = 0.8
MARKED_FILE = Path(__file__).with_name("marked.yaml")
# A list field from ○ columns named like its items: the names and the marks agree, but
# which columns are items is a reading of their names: check the list.
MARKED = 0.7
MARKS_SHARE = 0.9  # of a column's filled cells that must be marks (○, ×, 有 …)


@dataclass
class Suggestion:
    source: Path
    sheet: str | None
    header_row: int
    dataset: str  # dataset key chosen (e.g. "evacuation_space", "aed")
    dataset_score: float
    alternatives: list[tuple[str, float]]  # next best datasets
    lgcode: str | None  # publisher inferred
    lgcode_reason: str
    constants: dict[str, str]
    constant_reasons: dict[str, str]
    matches: list[Match]  # in the standard's field order
    unmatched_fields: list[str]  # standard fields with no source
    unused_columns: list[str]  # source columns not used
    title: str = ""
    dataset_title: str = ""
    ids_field: str | None = None  # the ID field numbered by the recipe's `ids`
    rows_read: int = 0
    notes: list[str] = field(default_factory=list)  # for the recipe's header comment
    required_fields: list[str] = field(default_factory=list)
    samples: dict[str, str] = field(default_factory=dict)  # source column → a value of it
    # Whether a person must choose the dataset (portal/pipeline/choice.py): False when the
    # best is under the floor, not clearly ahead, or a kind the reference lacks; True when
    # `dataset=` was given. `dataset` is then still the best guess.
    sure: bool = True
    candidates: list[Candidate] = field(default_factory=list)  # best first, with evidence
    doubts: list[tuple[str, str]] = field(default_factory=list)  # (en, ja): say them aloud
    marked: list[str] = field(default_factory=list)  # fields written as `marked:` (○ columns)

    def to_recipe(self, recipe_dir: Path) -> dict[str, Any]:
        """The recipe as data (valid against recipe.schema.json); paths relative to recipe_dir."""
        relative = os.path.relpath(self.source.resolve(), recipe_dir.resolve())
        source: dict[str, Any] = {"path": Path(relative).as_posix()}
        if self.sheet is not None:
            source["sheet"] = self.sheet
        if self.header_row > 1:  # title rows above: say where, rather than detect again
            source["header_row"] = self.header_row
        recipe: dict[str, Any] = {
            "version": 1,
            "title": self.title or self.source.stem,
            "source": source,
            "target": {"dataset": self.dataset, "lgcode": self.lgcode or UNKNOWN_LGCODE},
        }
        if self.constants:
            recipe["constants"] = dict(self.constants)
        recipe["columns"] = {m.field: _column(m, m.field in self.marked) for m in self.matches}
        if self.ids_field:
            recipe["ids"] = {"field": self.ids_field, "template": "{n}"}
        return recipe

    def to_yaml(self, recipe_dir: Path) -> str:
        """The recipe as YAML with comments: how it was made, each match's why, what to check."""
        recipe = self.to_recipe(recipe_dir)
        fill_in = "" if self.lgcode else "FILL IN the publisher's 全国地方公共団体コード"
        notes = {("target", "lgcode"): fill_in} | {
            ("constants", k): reason for k, reason in self.constant_reasons.items()
        }
        notes |= {("columns", m.field): f"{m.confidence:.2f} {m.reason}" for m in self.matches}
        lines = self._head()
        for key, value in recipe.items():
            if key == "ids":
                numbered = "its column is empty in every row read" if any(
                    m.field == self.ids_field for m in self.matches) else "no source column holds it"  # fmt: skip
                lines += [f"# {self.ids_field}: {numbered}; `ids` numbers the empty cells 1, 2, …",
                          "# A column that identifies the rows is better (numbers change when rows",
                          "# are added or removed)."]  # fmt: skip
            if isinstance(value, dict) and value:
                lines.append(f"{key}:")
                lines += [_line(k, v, notes.get((key, k), "")) for k, v in value.items()]
            else:
                lines.append(_line(key, value, indent=""))
        return "\n".join(lines + self._tail()) + "\n"

    def _head(self) -> list[str]:
        where = f", sheet {self.sheet}" if self.sheet else ""
        others = ", ".join(f"{k} {s:.2f}" for k, s in self.alternatives) or "none"
        publisher = f"{self.lgcode} — " if self.lgcode else "unknown — "
        lines = [
            "# Draft recipe written by `portal recipe suggest` (下書き: 確認してから使ってください).",
            f"# Source: {self.source.name}{where}, header on row {self.header_row}, "
            f"{self.rows_read} data rows looked at.",
            f"# Target: {self.dataset} ({self.dataset_title}), match {self.dataset_score:.2f};"
            f" next: {others}.",
            f"# Publisher: {publisher}{self.lgcode_reason}.",
            *(f"# Note: {n}" for n in self.notes),
            *(f"# NOT SURE / 要確認: {ja} / {en}" for en, ja in self.doubts),
            "# Every column ends with its confidence (0–1) and why it was matched. Check",
            f"# the lines below {REVIEW_BELOW:.2f}, the address split, the constants and the lists",
            "# at the end (columns not used, fields with no source); delete a line to leave",
            "# a field empty. Then: portal convert <this recipe>",
        ]
        return [line.replace("\n", " ") for line in lines]

    def _tail(self) -> list[str]:
        out = ["", "# Source columns not used (map them if a field should take them):"]
        for column in self.unused_columns:  # a value shows what the column holds
            value = _comment(self.samples.get(column, ""))
            shown = f"e.g. {value[:24]}{'…' * (len(value) > 24)}" if value else "always empty"
            out.append(f"#   - {_comment(column)}  ({shown})")
        out += [] if self.unused_columns else ["#   (none)"]
        out.append("# Standard fields with no source (left empty):")
        out += [
            f"#   - {f}" + (" (◎ required)" if f in self.required_fields else "")
            for f in self.unmatched_fields
        ] or ["#   (none)"]
        return out


def _column(m: Match, marked: bool = False) -> dict[str, Any]:
    if marked:
        return {"marked": {"columns": list(m.sources)}}
    column: dict[str, Any] = {"from": m.sources[0] if len(m.sources) == 1 else list(m.sources)}
    if len(m.sources) > 1 and m.join:
        column["join"] = m.join
    if m.normalize:
        column["normalize"] = list(m.normalize)
    return column


class _Dumper(yaml.SafeDumper):
    """PyYAML's emitter quotes what it would misread (NO, 0001, 1.0, on, {n}); this one also
    keeps a value on one line (a line break in a spreadsheet header is written as \\n)."""


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = '"' if any(c in text for c in "\n\r\t") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _represent_str)


def _line(key: str, value: Any, comment: str = "", indent: str = "  ") -> str:
    """`key: value` in flow style on one line, with a comment after it."""
    text = yaml.dump({key: value}, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=True, width=1 << 30).strip()[1:-1]  # fmt: skip
    return indent + text + (f"  # {_comment(comment)}" if comment else "")


def _comment(text: str) -> str:
    """Text for the end of a comment line: on one line."""
    return " ".join(text.split())


# Reading


@dataclass
class _Source:
    name: str
    header_row: int
    header: list[str]
    rows: list[list[str]]
    sheet: str | None
    titles: tuple[str, ...] = ()


def _read(path: Path, sheet: str | int | None, known: set[str]) -> _Source:
    with read_table(path, sheet=sheet, known=known) as table:
        layout = table.layout
        data = [row for _, row in islice(data_rows(table.rows, layout), SAMPLE_ROWS)]
        info = table.info
        name = info.sheet if info.format != "csv" else None
    return _Source(path.name, layout.header_row, layout.names, data, name,
                   tuple(layout.title_texts))  # fmt: skip


# Which dataset: portal/pipeline/choice.py


@lru_cache(maxsize=1)
def _marked_words() -> dict[str, list[str]]:
    loaded: dict[str, list[str]] = yaml.safe_load(MARKED_FILE.read_text(encoding="utf-8"))
    return loaded


def _marked(definition: Definition, profiles: list[Profile], matches: list[Match]) -> list[Match]:
    """A list field (marked.yaml) without a column, from the unused ○ columns named like
    its items (実施サービス from 訪問介護 ○, 通所介護 ○ …)."""
    used = {s for m in matches for s in m.sources}
    found = {m.field for m in matches}
    out = []
    for name, words in _marked_words().items():
        if name not in definition.field_names or name in found:
            continue
        columns = [p.name for p in profiles if p.name not in used and p.filled
                   and p.share("yes-no") >= MARKS_SHARE and any(w in p.name for w in words)]  # fmt: skip
        if columns:
            reason = f"columns marked ○ named like its items: {', '.join(columns)}"
            out.append(Match(name, columns, MARKED, reason, []))
            used.update(columns)
    return out


def _ids_field(definition: Definition, matches: list[Match], profiles: list[Profile]) -> str | None:
    """The ID field to number: none matched, or its column is empty in every row read
    (`ids` only fills empty cells, so numbering cannot overwrite an ID)."""
    name = next((f["name"] for f in definition.fields if f.get("kind") == "id"), None)
    match = next((m for m in matches if m.field == name), None)
    filled = {p.name for p in profiles if p.filled}
    return name if match is None or not filled.intersection(match.sources) else None


def _notes(
    registry: Registry, definition: Definition, source: _Source, layout: str | None
) -> list[str]:
    notes = [f"layout recognised: {known_layouts()[layout]['title_ja']}."] if layout else []
    if layout and (note := tables().layouts.get(layout, {}).get("note")):
        notes.append(f"this is {note}")
    key = f"{LEGACY_DIR}/{definition.slug}"
    legacy = compare(source.header, registry.get(key)).score if key in registry else 0.0
    if legacy >= 0.5:
        notes.append(f"legacy 推奨 header ({legacy:.2f}): converted to the current version.")
    return notes


def _several(bodies: Counter[str], directory: Directory) -> str:
    """A note: the rows belong to several municipalities (each row's 所在地_全国地方公共団体コード
    comes from its own address: synonyms.yaml's address_parts)."""
    named = [f"{code} {gov.full_name if (gov := directory.get(code)) else ''}".strip()
             for code, _ in bodies.most_common(3)]  # fmt: skip
    more = ", …" if len(bodies) > 3 else ""
    return f"the rows belong to {len(bodies)} municipalities ({', '.join(named)}{more})."


def _publisher(path: Path, source: _Source, profiles: list[Profile], matches: list[Match],
               directory: Directory, notes: list[str]) -> tuple[LocalGov | None, str]:  # fmt: skip
    """publisher.py's publisher from every signal; rows of several municipalities noted."""
    t = tables()
    evidence = Evidence(path.name, source.sheet, source.titles)
    bodies = municipalities_of(profiles, matches, directory, t)
    if len(bodies) > 1:  # a shelter in the next city: said, not only in the rows' codes
        notes.append(_several(bodies, directory))
    return publisher_of(profiles, matches, directory, t, evidence)


def _all_matches(definition: Definition, profiles: list[Profile],
                 layout: str | None) -> tuple[list[Match], list[Match]]:  # fmt: skip
    """Every field's match in the standard's order, and those made of ○ columns (marked)."""
    matches = match_columns(definition, profiles, layout)
    marked = _marked(definition, profiles, matches)
    ordered = sorted([*matches, *marked], key=lambda m: definition.field_names.index(m.field))
    return ordered, marked


def suggest(
    path: Path,
    registry: Registry,
    directory: Directory,
    *,
    dataset: str | None = None,
    sheet: str | int | None = None,
) -> Suggestion:
    """A draft recipe for `path`: its target dataset, publisher, constants and column matches."""
    t = tables()
    source = _read(
        path, sheet, t.known_names() | {n for d in registry.all() for n in d.field_names}
    )
    profiles = profile_columns(source.header, source.rows, directory)
    layout = detect_layout(source.header)
    context = Context(path.name, source.sheet, source.titles)
    choice = choose(registry, source.header, profiles, layout, context, dataset)
    best = choice.candidates[0]
    definition = registry.get(best.dataset)
    matches, marked = _all_matches(definition, profiles, layout[0])
    notes = _notes(registry, definition, source, layout[0])
    gov, reason = _publisher(path, source, profiles, matches, directory, notes)
    matched = {m.field for m in matches}
    constants, constant_reasons = constants_for(definition, matched, gov, t)
    used = {s for m in matches for s in m.sources}
    notes += statistics.notes(profiles, definition.field_names, used)  # what could not be mapped
    id_field = _ids_field(definition, matches, profiles)
    return Suggestion(
        source=path,
        sheet=source.sheet,
        header_row=source.header_row,
        dataset=definition.key,
        dataset_score=best.score,
        alternatives=[(c.dataset, c.score) for c in choice.candidates[1:4]],
        lgcode=gov.lgcode if gov else None,
        lgcode_reason=f"{gov.full_name}, {reason}" if gov else reason,
        constants=constants,
        constant_reasons=constant_reasons,
        matches=matches,
        unmatched_fields=[
            f for f in definition.field_names if f not in matched | set(constants) | {id_field}
        ],
        unused_columns=[p.name for p in profiles if p.name not in used],
        title=f"{path.stem} → {definition.title_ja}",
        dataset_title=definition.title_ja,
        ids_field=id_field,
        rows_read=len(source.rows),
        notes=notes,
        required_fields=definition.required_fields,
        samples={p.name: p.sample() for p in profiles},
        sure=choice.sure,
        candidates=choice.candidates,
        doubts=choice.doubts,
        marked=[m.field for m in marked],
    )
