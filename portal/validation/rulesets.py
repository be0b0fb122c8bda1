"""Rule sets: which checks run on which fields, from YAML in validators/.

default.yaml, then datasets/<slug>.yaml, then cities/<lgcode>.yaml are merged:
mappings are merged key by key, `rows` lists are appended, `params` override
the parameters of row checks with the same name.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from portal.errors import DefinitionInvalid

KEYS = {"kinds", "types", "fields", "every_field", "empty_columns", "rows", "severity", "params"}


@dataclass
class RuleSet:
    kinds: dict[str, list[str]] = field(default_factory=dict)
    types: dict[str, list[str]] = field(default_factory=dict)
    fields: dict[str, list[str]] = field(default_factory=dict)
    every_field: list[str] = field(default_factory=list)
    empty_columns: list[str] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)
    params: dict[str, dict[str, Any]] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)

    def cell_checks(self, name: str, kind: str | None, type_: str = "string") -> list[str]:
        """Check names for one field: its kind's, its type's, its own, then the every-field ones."""
        names: list[str] = []
        for group in (self.kinds.get(kind or ""), self.types.get(type_), self.fields.get(name)):
            names += [n for n in group or [] if n not in names]
        return names + [n for n in self.every_field if n not in names]

    def row_checks(self) -> list[dict[str, Any]]:
        """Row check specs with the city's/dataset's parameter overrides applied."""
        out = []
        for spec in self.rows:
            merged = {**spec, **self.params.get(spec["check"], {})}
            out.append(merged)
        return out


def _read(path: Path) -> dict[str, Any]:
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise DefinitionInvalid(detail=f"{path}: {exc}") from None
    if not isinstance(loaded, dict) or set(loaded) - KEYS:
        unknown = sorted(set(loaded) - KEYS) if isinstance(loaded, dict) else ["(not a mapping)"]
        raise DefinitionInvalid(detail=f"{path}: unknown keys {unknown}; allowed: {sorted(KEYS)}")
    return loaded


def _merge(into: RuleSet, raw: dict[str, Any], source: str) -> None:
    into.kinds.update(raw.get("kinds") or {})
    into.types.update(raw.get("types") or {})
    for name, checks in (raw.get("fields") or {}).items():
        into.fields[name] = into.fields.get(name, []) + list(checks)
    if "every_field" in raw:
        into.every_field = list(raw["every_field"] or [])
    if "empty_columns" in raw:
        into.empty_columns = list(raw["empty_columns"] or [])
    into.rows += [dict(r) for r in raw.get("rows") or []]
    into.severity.update(raw.get("severity") or {})
    for name, params in (raw.get("params") or {}).items():
        into.params[name] = {**into.params.get(name, {}), **params}
    into.sources.append(source)


def load(validators_dir: Path, slug: str | None, lgcode: str | None) -> RuleSet:
    ruleset = RuleSet()
    candidates = [validators_dir / "default.yaml"]
    if slug:
        candidates.append(validators_dir / "datasets" / f"{slug}.yaml")
    if lgcode:
        candidates.append(validators_dir / "cities" / f"{lgcode}.yaml")
    for path in candidates:
        if path.is_file():
            _merge(ruleset, copy.deepcopy(_read(path)), path.relative_to(validators_dir).as_posix())
    return ruleset
