"""One standard dataset version on disk: `<key>/schema.json` + `<key>/dataset.yaml`."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml
from frictionless import Schema

from portal.errors import DefinitionInvalid

SCHEMA_FILE = "schema.json"
# libyaml's loader when PyYAML was built with it (the wheels are): 10x faster on the
# 38 definitions read at every start.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
META_FILE = "dataset.yaml"


@dataclass
class Definition:
    key: str  # folder path under datasets/: "aed", "legacy/aed"
    meta: dict[str, Any]
    schema: dict[str, Any]

    @property
    def slug(self) -> str:
        return str(self.meta["slug"])

    @property
    def version(self) -> str:
        return str(self.meta["version"])

    @property
    def title_ja(self) -> str:
        return str(self.meta["title_ja"])

    @property
    def title_en(self) -> str:
        return str(self.meta.get("title_en", self.slug))

    @property
    def number(self) -> str:
        return str(self.meta.get("number", ""))

    @property
    def basis(self) -> str:
        return str(self.meta.get("basis", ""))

    @property
    def fields(self) -> list[dict[str, Any]]:
        return list(self.schema.get("fields", []))

    @property
    def field_names(self) -> list[str]:
        return [f["name"] for f in self.fields]

    @property
    def required_fields(self) -> list[str]:
        return [f["name"] for f in self.fields if f.get("constraints", {}).get("required")]

    def file_name(self, lgcode: str) -> str:
        """The published file name by the standard's convention: 272248_aed.csv."""
        return str(self.meta.get("file_name", "{lgcode}_" + self.slug + ".csv")).format(
            lgcode=lgcode
        )

    @cached_property
    def table_schema(self) -> Schema:
        return Schema.from_descriptor(self.schema)

    # Disk

    def write(self, root: Path) -> str:
        """Write both files; returns "created", "updated" or "unchanged"."""
        folder = root / self.key
        schema_text = json.dumps(self.schema, ensure_ascii=False, indent=2) + "\n"
        meta_text = yaml.safe_dump(self.meta, allow_unicode=True, sort_keys=False, width=100)
        paths = {folder / SCHEMA_FILE: schema_text, folder / META_FILE: meta_text}
        existed = all(p.is_file() for p in paths)
        if existed and all(p.read_text(encoding="utf-8") == t for p, t in paths.items()):
            return "unchanged"
        folder.mkdir(parents=True, exist_ok=True)
        for path, text in paths.items():
            path.write_text(text, encoding="utf-8")
        return "updated" if existed else "created"

    @classmethod
    def read(cls, root: Path, key: str) -> Definition:
        folder = root / key
        try:
            schema = json.loads((folder / SCHEMA_FILE).read_text(encoding="utf-8"))
            meta = yaml.load((folder / META_FILE).read_text(encoding="utf-8"), Loader=SAFE_LOADER)
        except (OSError, ValueError, yaml.YAMLError) as exc:
            raise DefinitionInvalid(detail=f"{folder}: {exc}") from exc
        if not isinstance(meta, dict) or "slug" not in meta or "fields" not in schema:
            raise DefinitionInvalid(
                detail=f"{folder}: dataset.yaml needs a slug, schema.json fields"
            )
        return cls(key=key, meta=meta, schema=schema)


# SQLite's INTEGER is 64-bit: an integer outside it cannot be stored as a number.
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


def typed_value(value: str, kind: str) -> Any:
    """A cell as JSON and the rows store hold it: numbers as numbers, empty as null, else text.

    A number is a number only where it reads back as the same number: an integer beyond
    64 bits, an infinite or NaN number, or one too small for a float (1e-400) stays its
    text — exact, storable in SQLite, and valid JSON (which has no Infinity or NaN).
    Other numbers are IEEE doubles, as every JSON reader holds them.
    """
    if value == "":
        return None
    if kind == "integer":
        return _integer(value)
    if kind == "number":
        return _number(value)
    return value


def _integer(value: str) -> int | str:
    try:
        number = int(value)
    except ValueError:  # not an integer, or over Python's digit limit: the report names it
        return value
    return number if INT64_MIN <= number <= INT64_MAX else value


def _number(value: str) -> float | str:
    try:
        number = float(value)
    except ValueError:
        return value
    if not math.isfinite(number) or (number == 0.0 and not _is_zero(value)):
        return value
    return number


def _is_zero(value: str) -> bool:
    """Whether a number that became 0.0 is zero, not a value below a float's range."""
    try:
        return Decimal(value.strip()) == 0
    except ArithmeticError:  # decimal.InvalidOperation: float read it, Decimal cannot
        return False
