"""The row-level change summary a notice carries: which rows a new version added, removed
and changed against the version before, by the standard's ID field — the Table Schema's
primary key when the datapackage names one, else the `ID` column.

Both versions' CSVs are the converted folders kept under PORTAL_DATA_DIR/versions/ (see
portal/catalogue/versions.py). The lists are bounded (MAX_LISTED_IDS each, in file order); the
counts are always whole. Where a version has no IDs (a row without one, or two rows sharing
one) rows cannot be matched: whole rows are compared and only counts are given, as the
versions' history does."""

from __future__ import annotations

import csv
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from portal.catalogue.versions import ID_FIELD

MAX_LISTED_IDS = 100  # per list: a notice stays small whatever the change
KEY_SEPARATOR = "/"  # between the values of a primary key of several fields


@dataclass(frozen=True)
class ChangeSummary:
    compared_by: str  # id | row (no usable IDs: counts only) | none (the first version)
    id_field: str | None
    added: int
    removed: int
    changed: int
    added_ids: list[str] = field(default_factory=list)
    removed_ids: list[str] = field(default_factory=list)
    changed_ids: list[str] = field(default_factory=list)

    @property
    def truncated(self) -> bool:
        """Whether some ID was left out of a list (MAX_LISTED_IDS)."""
        listed = len(self.added_ids) + len(self.removed_ids) + len(self.changed_ids)
        return self.compared_by == "id" and listed < self.added + self.removed + self.changed

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"compared_by": self.compared_by, "id_field": self.id_field,
                               "added": self.added, "removed": self.removed,
                               "changed": self.changed}  # fmt: skip
        if self.compared_by == "id":
            out["ids"] = {"added": self.added_ids, "removed": self.removed_ids,
                          "changed": self.changed_ids, "truncated": self.truncated,
                          "max_listed": MAX_LISTED_IDS}  # fmt: skip
        return out


@dataclass(frozen=True)
class Table:
    """A version's CSV read whole, with the fields naming a row."""

    rows: list[dict[str, str]]
    key_fields: list[str]


def summarize(before: Path | None, after: Path) -> ChangeSummary:
    """What changed from the version folder `before` (None: `after` is the first version)
    to the version folder `after`."""
    new = read_table(after)
    if before is None:
        return ChangeSummary("none", _id_field(new.key_fields), len(new.rows), 0, 0)
    old = read_table(before)
    key_fields = new.key_fields if new.key_fields == old.key_fields else [ID_FIELD]
    old_ids, new_ids = by_id(old.rows, key_fields), by_id(new.rows, key_fields)
    if old_ids is None or new_ids is None:
        return _by_whole_rows(old.rows, new.rows)
    added = [k for k in new_ids if k not in old_ids]
    removed = [k for k in old_ids if k not in new_ids]
    changed = [k for k in new_ids if k in old_ids and old_ids[k] != new_ids[k]]
    return ChangeSummary(
        "id", _id_field(key_fields), len(added), len(removed), len(changed),
        added[:MAX_LISTED_IDS], removed[:MAX_LISTED_IDS], changed[:MAX_LISTED_IDS],
    )  # fmt: skip


def _by_whole_rows(old: list[dict[str, str]], new: list[dict[str, str]]) -> ChangeSummary:
    old_rows = Counter(tuple(sorted(r.items())) for r in old)
    new_rows = Counter(tuple(sorted(r.items())) for r in new)
    return ChangeSummary("row", None, (new_rows - old_rows).total(),
                         (old_rows - new_rows).total(), 0)  # fmt: skip


def _id_field(key_fields: list[str]) -> str:
    return KEY_SEPARATOR.join(key_fields)


def read_table(folder: Path) -> Table:
    """The first resource's CSV of a version folder and its key fields; no rows when the
    folder has no readable datapackage or CSV."""
    try:
        package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
        resource = package["resources"][0]
        path = folder / resource["path"]
    except (OSError, ValueError, KeyError, IndexError, TypeError):
        return Table([], [ID_FIELD])
    key = (resource.get("schema") or {}).get("primaryKey") or [ID_FIELD]
    key_fields = [key] if isinstance(key, str) else [str(k) for k in key]
    if not path.is_file():
        return Table([], key_fields)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return Table(list(csv.DictReader(handle)), key_fields)


def by_id(rows: list[dict[str, str]], key_fields: list[str]) -> dict[str, dict[str, str]] | None:
    """The rows by their key, in file order; None when a row has none or two rows share one."""
    found: dict[str, dict[str, str]] = {}
    for row in rows:
        values = [(row.get(f) or "").strip() for f in key_fields]
        key = KEY_SEPARATOR.join(values)
        if not all(values) or key in found:
            return None
        found[key] = row
    return found
