"""Read the reference files in ../shared/reference/standard-datasets/."""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from portal.errors import DefinitionInvalid, ReferenceNotFound

MAP_FILE = Path(__file__).with_name("reference_map.yaml")
OBSERVED_FILE = Path(__file__).with_name("observed_fields.csv")


@dataclass(frozen=True)
class RefDataset:
    slug: str
    title_ja: str
    number: str
    legacy_number: str
    file_name_convention: str
    coverage: str
    sources: str


@dataclass(frozen=True)
class RefField:
    slug: str
    spec_version: str
    kind: str  # see reference_map.yaml: spec, partial-spec, observed-header, observed-file, legacy
    order: int
    name: str
    gloss_en: str
    requirement: str
    requirement_raw: str
    spec_format: str
    example: str
    key_en: str
    confidence: str
    source: str
    notes: str
    file: str = ""  # the reference file it was read from


@dataclass(frozen=True)
class FieldFile:
    """One field list the build reads (reference_map.yaml `field_files`)."""

    name: str  # under standard-datasets/
    columns: dict[str, str] = field(default_factory=dict)  # its column → fields.csv's name
    basis: str = ""  # why it is read, for the definitions' notes


def field_files() -> list[FieldFile]:
    return [
        FieldFile(str(f["file"]), dict(f.get("columns") or {}), str(f.get("basis", "")))
        for f in reference_map()["field_files"]
    ]


@lru_cache(maxsize=1)
def reference_map(path: Path = MAP_FILE) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return loaded


def _open_csv(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        raise ReferenceNotFound(path=str(path))
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def read_datasets(path: Path) -> list[RefDataset]:
    out = []
    for row in _open_csv(path):
        # The number columns' names carry their provenance ("number_current_定義書A(…)"),
        # so they are taken by position: current first, legacy second.
        numbers = [v for k, v in row.items() if k.startswith("number_")]
        out.append(
            RefDataset(
                slug=row["slug"],
                title_ja=row["name_ja"],
                number=numbers[0].strip(),
                legacy_number=numbers[1].strip() if len(numbers) > 1 else "-",
                file_name_convention=row["file_name_convention"],
                coverage=row["fields_csv_coverage"],
                sources=row["sources"],
            )
        )
    return out


def version_kind(label: str) -> str:
    for entry in reference_map()["spec_versions"]:
        if re.search(entry["match"], label):
            return str(entry["kind"])
    raise DefinitionInvalid(detail=f"unknown spec_version label in fields.csv: {label!r}")


def read_fields(*paths: Path, columns: Mapping[str, str] | None = None) -> list[RefField]:
    """The field rows of each file; `columns` renames a file's columns to fields.csv's names
    (the December 2026 additions call `dataset_slug` `slug`)."""
    renames = dict(columns or {})
    out = []
    for path in paths:
        for raw in _open_csv(path):
            row = {renames.get(k, k): v for k, v in raw.items()}
            if "dataset_slug" not in row:
                raise DefinitionInvalid(
                    detail=f"{path.name} has no dataset_slug column (columns: {', '.join(raw)}); "
                    "name its column in reference_map.yaml field_files"
                )
            out.append(
                RefField(
                    slug=row["dataset_slug"],
                    spec_version=row["spec_version"],
                    kind=version_kind(row["spec_version"]),
                    order=int(row["order"]),
                    name=row["field_ja"].strip(),
                    gloss_en=row["gloss_en"],
                    requirement=row["requirement"],
                    requirement_raw=row["requirement_raw"],
                    spec_format=row["value_format"],
                    example=row["example"],
                    key_en=row["spec_key_en"],
                    confidence=row["confidence"],
                    source=row["source"],
                    notes=row["notes"],
                    file=path.name,
                )
            )
    return out
