"""Turn a field of the standard (name + 形式 text) into a Table Schema field.

The rules themselves are data (`field_rules.yaml`); this module only applies them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

RULES_FILE = Path(__file__).with_name("field_rules.yaml")


@dataclass(frozen=True)
class Shape:
    """The Table Schema part of a field, and how it was decided."""

    rule: str
    matched_on: str  # "format" (the 形式 text said so), "name" (inferred) or "default"
    descriptor: dict[str, Any]


@dataclass(frozen=True)
class Rule:
    id: str
    type: str
    names: frozenset[str] = frozenset()
    name_regex: re.Pattern[str] | None = None
    formats: tuple[re.Pattern[str], ...] = ()
    format: str | None = None
    constraints: dict[str, Any] = field(default_factory=dict)
    missing_values: list[str] | None = None
    enum_from_format: bool = False

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Rule:
        return cls(
            id=raw["id"],
            type=raw["type"],
            names=frozenset(raw.get("names", [])),
            name_regex=re.compile(raw["name_regex"]) if raw.get("name_regex") else None,
            formats=tuple(re.compile(p) for p in raw.get("formats", [])),
            format=raw.get("format"),
            constraints=dict(raw.get("constraints", {})),
            missing_values=raw.get("missing_values"),
            enum_from_format=bool(raw.get("enum_from_format", False)),
        )

    def match(self, name: str, spec_format: str) -> str | None:
        if spec_format and any(p.search(spec_format) for p in self.formats):
            return "format"
        if name in self.names or (self.name_regex and self.name_regex.search(name)):
            return "name"
        if not (self.formats or self.names or self.name_regex):
            return "default"
        return None

    def descriptor(self, spec_format: str) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.type}
        if self.format:
            out["format"] = self.format
        constraints = dict(self.constraints)
        if self.enum_from_format:
            constraints["enum"] = enum_values(spec_format)
        if constraints:
            out["constraints"] = constraints
        if self.missing_values is not None:
            out["missingValues"] = list(self.missing_values)
        return out


def enum_values(spec_format: str) -> list[str]:
    """Values of a 形式 text such as "string; one of: 病院 / 有床診療所 / 無床診療所"."""
    _, _, tail = spec_format.partition("one of:")
    return [v.strip() for v in tail.split(" / ") if v.strip()]


class FieldRules:
    def __init__(self, rules: list[Rule]) -> None:
        self.rules = rules

    def shape(self, name: str, spec_format: str = "") -> Shape:
        for rule in self.rules:
            how = rule.match(name, spec_format)
            if how:
                return Shape(rule=rule.id, matched_on=how, descriptor=rule.descriptor(spec_format))
        return Shape(rule="text", matched_on="default", descriptor={"type": "string"})


@lru_cache(maxsize=2)
def load(path: Path = RULES_FILE) -> FieldRules:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return FieldRules([Rule.from_dict(r) for r in raw["rules"]])
