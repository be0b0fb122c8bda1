"""Findings and the catalogue that names and words them (catalogue.yaml)."""

from __future__ import annotations

import dataclasses
import string
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from frictionless import errors as fl_errors

CATALOGUE_FILE = Path(__file__).with_name("catalogue.yaml")
SEVERITIES = ("error", "warning")
MAX_SHOWN = 60  # a value quoted in a message is cut here; the full value stays in `value`

# frictionless's own error classes by type, for their title/description/tags
FRICTIONLESS = {
    cls.type: cls
    for cls in vars(fl_errors).values()
    if isinstance(cls, type) and issubclass(cls, fl_errors.Error) and cls.type
}


@dataclass
class Finding:
    """One problem found in a file, in the report's shape."""

    code: str
    severity: str
    type: str  # the frictionless error type this stands for, or the code itself
    row: int | None
    field: str | None
    field_number: int | None
    value: str | None
    fix: str | None
    message_en: str
    message_ja: str
    note: str = ""
    params: dict[str, Any] = dataclasses.field(default_factory=dict)

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def to_dict(self) -> dict[str, Any]:
        """Our fields, then frictionless's (type, title, … rowNumber, fieldName, cell)."""
        fl = FRICTIONLESS.get(self.type)
        return {
            "code": self.code,
            "severity": self.severity,
            "row": self.row,
            "field": self.field,
            "value": self.value,
            "message_ja": self.message_ja,
            "message_en": self.message_en,
            "fix": self.fix,
            "type": self.type,
            "title": fl.title if fl else entry(self.code)["title_en"],
            "description": fl.description if fl else "",
            "message": self.message_en,
            "tags": list(fl.tags) if fl else [],
            "note": self.note,
            "rowNumber": self.row,
            "fieldNumber": self.field_number,
            "fieldName": self.field,
            "cell": self.value,
        }


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


def _shown(value: str | None) -> str:
    if value is None:
        return ""
    text = value.replace("\r", "").replace("\n", "⏎")
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


@lru_cache(maxsize=1)
def load(path: Path = CATALOGUE_FILE) -> dict[str, dict[str, Any]]:
    """catalogue.yaml, plus one catalogue-<part>.yaml per family of checks beside it (each
    code defined once: a code in two files is a programming error, found at load)."""
    loaded = _read(path)
    for part in sorted(path.parent.glob(f"{path.stem}-*.yaml")):
        extra = _read(part)
        if twice := sorted(set(extra) & set(loaded)):
            raise ValueError(f"{part.name} defines codes already defined: {', '.join(twice)}")
        loaded |= extra
    return loaded


def _read(path: Path) -> dict[str, dict[str, Any]]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loaded: dict[str, dict[str, Any]] | None = yaml.load(path.read_text(encoding="utf-8"), loader)
    return loaded or {}


def entry(code: str) -> dict[str, Any]:
    return load()[code]


def explains(code: str) -> list[str]:
    return list(entry(code).get("explains", []))


def make(
    code: str,
    *,
    row: int | None = None,
    field: str | None = None,
    field_number: int | None = None,
    value: str | None = None,
    fix: str | None = None,
    note: str = "",
    type: str | None = None,
    severity: str | None = None,
    **params: Any,
) -> Finding:
    """A finding with its messages rendered from the catalogue."""
    spec = entry(code)
    values = _Blank(params)
    values.update(
        field=field or "", value=_shown(value), fix=_shown(fix), note=note, row=row or "",
        field_number=field_number or "",
    )  # fmt: skip
    fmt = string.Formatter()
    return Finding(
        code=code,
        severity=severity or spec["severity"],
        type=type or code,
        row=row,
        field=field,
        field_number=field_number,
        value=value,
        fix=fix,
        message_en=fmt.vformat(spec["message_en"], (), values),
        message_ja=fmt.vformat(spec["message_ja"], (), values),
        note=note,
        params=params,
    )
