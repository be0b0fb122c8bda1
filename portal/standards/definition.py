"""One standard dataset version on disk: `<key>/schema.json` + `<key>/dataset.yaml`."""

from __future__ import annotations

import json
from dataclasses import dataclass
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


def typed_value(value: str, kind: str) -> Any:
    """A cell as JSON and the rows store hold it: numbers as numbers, empty as null, else text."""
    if value == "":
        return None
    try:
        if kind == "integer":
            return int(value)
        if kind == "number":
            return float(value)
    except ValueError:
        pass  # an unreadable value stays text; the validation report already names it
    return value
