"""Does a conversion's mapping look like its dataset at all? (`mapping-implausible`)

A recipe for the wrong dataset still converts: the fields it can fill get values, the
rest stay empty, and an empty field is no error for the validator. So a care-service list
forced into the AED standard came out valid — its ○ column for 訪問介護 became
小児対応設備の有無. This check looks at the mapping and at what the source columns held,
and gives an error when the table cannot be that dataset:

- most of the source's columns (those with data) feed nothing;
- hardly any of the dataset's fields are filled from the source;
- a code or coordinate field is fed a column whose values are not of that kind;
- a yes/no field is fed a column whose name has nothing to do with the field (its values,
  ○ or 有, are the same in every dataset, so they cannot say which question it answers);
- another dataset's fields name every column this conversion explains, and more (an AED list
  as public Wi-Fi: AED's 設置位置 names a column that Wi-Fi has no field for).

Pure: the recipe's mapping, the profiles of the source columns (portal/pipeline/profile.py)
and the definition in, findings out. The words are data: plausible.yaml beside this file.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from portal.pipeline.matching import loose_key
from portal.pipeline.profile import Profile, tables
from portal.standards import Definition
from portal.validation import catalogue
from portal.validation.catalogue import Finding
from portal.validation.column_map import english_keys, match_names

WORDS_FILE = Path(__file__).with_name("plausible.yaml")
CODE = "mapping-implausible"

# "Most source columns unused": more than half of the columns with data feed no field.
# The bundled recipes leave at most 15 % unused (a department's table has a column or two
# of its own: 地方公共団体名 given as a constant, a running NO); a wrong dataset leaves the
# columns that make the table what it is (定員, the ○ services of a care list).
UNUSED_MAX = 0.5
# … and at least this many: in a table of three columns, two of its own are not "most".
UNUSED_MIN = 3
# "Few fields filled": a table of a standard dataset gives at least three things about what it
# lists (not_content fields — the publisher's code and name, ID, 備考 — left out); the smallest
# bundled conversions fill exactly 3 (名称, 緯度, 経度; an AED list's 名称 and its hours). One or
# two (a population table's 地域名 as a wireless spot's 名称) is no such table.
FIELDS_MIN = 3
# A code, coordinate or yes/no field whose column has fewer than this share of values of
# its kind was fed the wrong column: real data has a few bad values (the validator reports
# each), a wrong column has almost none that fit.
FIT_MIN = 0.5
# Characters a column's name and a yes/no field's name must share (generic words left out)
# to be about the same thing: 小児 in 小児対応 and 小児対応設備の有無, 洪水 in 災害種別_洪水.
COMMON_MIN = 2
SHOWN = 6  # column or field names listed in a message; the rest are counted


@dataclass(frozen=True)
class _Words:
    generic: re.Pattern[str]
    value_checks: dict[str, list[str]]
    name_must_relate: frozenset[str]
    kind_words: dict[str, tuple[str, str]]
    not_content: frozenset[str]


@lru_cache(maxsize=1)
def _words(path: Path = WORDS_FILE) -> _Words:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    generic = sorted((loose_key(w) for w in data["generic_words"]), key=len, reverse=True)
    return _Words(
        generic=re.compile("|".join(map(re.escape, generic))),
        value_checks={k: list(v) for k, v in data["value_checks"].items()},
        name_must_relate=frozenset(data["name_must_relate"]),
        kind_words={k: (v[0], v[1]) for k, v in data["kind_words"].items()},
        not_content=frozenset(data["not_content"]),
    )


def check(
    mapping: Mapping[str, Sequence[str]],
    profiles: Sequence[Profile],
    definition: Definition,
    used: Collection[str] = (),
    others: Iterable[Definition] = (),
) -> list[Finding]:
    """`mapping-implausible` findings for a recipe's mapping (field → source columns) given
    what the source columns held; `used` names columns read otherwise (filters); `others` are
    the datasets the file could be instead (the registry's)."""
    held = {p.name: p for p in profiles if p.filled}
    taken = {_column_name(s) for sources in mapping.values() for s in sources}
    taken.update(_column_name(u) for u in used)
    filled = [f for f in definition.field_names if any(
        _column_name(s) in held for s in mapping.get(f, ()))]  # fmt: skip
    findings = [*_unused(held, taken), *_few(filled, definition)]
    kinds = {f["name"]: f.get("kind") for f in definition.fields}
    for field in filled:
        column = next(held[c] for c in map(_column_name, mapping[field]) if c in held)
        finding = _misfit(field, kinds.get(field) or "", column, definition)
        if finding is not None:
            findings.append(finding)
    return findings + _better_fit(list(held), taken, definition, others)


def _better_fit(
    held: Sequence[str],
    taken: Collection[str],
    definition: Definition,
    others: Iterable[Definition],
) -> list[Finding]:
    """Another dataset whose field names name every column this conversion explains (uses, or
    could use by name) and more columns besides: the file is more likely that dataset. Names
    only — values (a list of names, a column of ○) fit many datasets alike."""
    explained = named_columns(held, definition) | (set(taken) & set(held))
    best: tuple[Definition, list[str]] | None = None
    for other in others:
        if other.slug == definition.slug or not other.fields:
            continue  # its own legacy layout: the names it has are what the conversion is for
        named = named_columns(held, other)
        more = [c for c in held if c in named and c not in explained]
        if more and explained <= named and (best is None or len(more) > len(best[1])):
            best = (other, more)
    if best is None:
        return []
    other, more = best
    names = _listed(more)
    return [_finding(
        f"the columns fit {other.title_ja} ({other.key}) better: its fields name every column "
        f"this conversion uses and also {names}, which {definition.title_ja} has no field for",
        f"列は{other.title_ja}（{other.key}）のほうがよく合います。この変換が使う列すべてに加えて、"
        f"{definition.title_ja}に項目のない{names}にも、{other.title_ja}には名前の合う項目があります",
    )]  # fmt: skip


def named_columns(header: Sequence[str], definition: Definition) -> set[str]:
    """The columns whose names are (exactly, loosely, as a legacy name or a synonym) a field's."""
    sources, _ = match_names(header, definition.field_names, english_keys(definition.fields))
    return {header[s] for s in sources if s is not None}


def _column_name(source: str) -> str:
    """A recipe may name the second of two same-named columns `電話番号#2`."""
    name, _, occurrence = source.rpartition("#")
    return name if name and occurrence.isdigit() else source


def _unused(held: Mapping[str, Profile], taken: Collection[str]) -> list[Finding]:
    unused = [name for name in held if name not in taken]
    if len(unused) < UNUSED_MIN or len(unused) <= UNUSED_MAX * len(held):
        return []
    names = _listed(unused)
    return [_finding(
        f"{len(unused)} of the file's {len(held)} columns with data feed no field ({names})",
        f"ファイルのデータのある{len(held)}列のうち{len(unused)}列がどの項目にも使われていません（{names}）",
    )]  # fmt: skip


def _few(filled: Sequence[str], definition: Definition) -> list[Finding]:
    filled = [f for f in filled if f not in _words().not_content]
    if len(filled) >= FIELDS_MIN:
        return []
    total = len([f for f in definition.field_names if f not in _words().not_content])
    names = _listed(filled) or "—"
    return [_finding(
        f"the file fills only {len(filled)} of the dataset's {total} fields about what it lists "
        f"({names}); the others stay empty",
        f"データセットの内容の{total}項目のうち、ファイルから値が入るのは{len(filled)}項目だけです（{names}）。"
        "ほかは空欄になります",
    )]  # fmt: skip


def _misfit(field: str, kind: str, column: Profile, definition: Definition) -> Finding | None:
    words = _words()
    checks = words.value_checks.get(kind)
    if not checks:
        return None
    en, ja = words.kind_words[kind]
    share = max(column.share(c) for c in checks)
    # A column bearing the field's own name is that field however broken its values
    # (法人番号 as 1.00E+12 on every row): the validator reports each value.
    if share < FIT_MIN and not _same_name(column.name, field, definition):
        sample = _sample(column)
        return _finding(
            f"field '{field}' takes column '{column.name}', but only {share:.0%} of its values "
            f"are {en} (e.g. '{sample}')",
            f"項目「{field}」に列「{column.name}」を対応付けていますが、値のうち{ja}と読めるのは"
            f"{share:.0%}だけです（例:「{sample}」）",
            field=field,
            column=column.name,
        )
    if kind in words.name_must_relate and not related(column.name, field, definition):
        sample = "・".join(list(column.counts)[:3])
        return _finding(
            f"yes/no field '{field}' takes column '{column.name}', whose name has nothing to do "
            f"with it; its values ({sample}) are marks any yes/no column has, so they cannot "
            "say which question the column answers",
            f"有無の項目「{field}」に列「{column.name}」を対応付けていますが、列名が項目と関係ありません。"
            f"値（{sample}）はどの有無の列にもある記号なので、何についての有無かは分かりません",
            field=field,
            column=column.name,
        )
    return None


def _same_name(column: str, field: str, definition: Definition) -> bool:
    key = loose_key(column)
    return any(key == loose_key(n) for n in _own_names(field, definition))


def _own_names(field: str, definition: Definition) -> list[str]:
    """The field's name and its English key (datasets/<slug>/schema.json's key_en)."""
    spec = next((f for f in definition.fields if f["name"] == field), {})
    return [field, spec["key_en"]] if spec.get("key_en") else [field]


def related(column: str, field: str, definition: Definition) -> bool:
    """The column's name is the field's, one of its known names, or shares a word with it."""
    t = tables()
    names = [*_own_names(field, definition), *t.synonyms.get(field, []), *t.legacy.get(field, [])]
    key = loose_key(column)
    if any(key == loose_key(n) for n in names):
        return True
    generic = _words().generic
    mine = generic.sub(" ", key)
    return any(_shares(mine, generic.sub(" ", loose_key(n))) for n in names)


def _shares(a: str, b: str) -> bool:
    """Whether a and b have COMMON_MIN characters in a row in common (spaces excluded)."""
    pieces = {a[i : i + COMMON_MIN] for i in range(len(a) - COMMON_MIN + 1)}
    return any(" " not in p and p in b for p in pieces)


def _sample(column: Profile) -> str:
    return next(iter(column.counts), "")


def _listed(names: Iterable[str]) -> str:
    names = list(names)
    shown = ", ".join(names[:SHOWN])
    return shown + (f" … (+{len(names) - SHOWN})" if len(names) > SHOWN else "")


def named_otherwise(
    named: Mapping[str, Sequence[tuple[str, str]]], definition: Definition
) -> list[Finding]:
    """The file's title rows, sheet or file name name other datasets and not this one
    (choice.datasets_named): a plain facility list (名称, 住所, 電話番号) fits many datasets
    by its columns, and only what the file calls itself tells them apart."""
    if not named or definition.slug in named:
        return []
    where = [pair for pairs in named.values() for pair in pairs]
    return [_finding("; ".join(en for en, _ in where) + f", not {definition.title_en}",
                     "、".join(ja for _, ja in where) + f"（{definition.title_ja}ではありません）")]  # fmt: skip


def _finding(en: str, ja: str, field: str | None = None, column: str | None = None) -> Finding:
    return catalogue.make(CODE, field=field, value=column, detail_en=en, detail_ja=ja)
