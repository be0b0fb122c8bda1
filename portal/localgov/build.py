"""Build the packaged local government list from the reference CSV."""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from portal.errors import DefinitionInvalid, ReferenceNotFound
from portal.localgov import codes
from portal.localgov.directory import COLUMNS, DATA_FILE, KINDS


@dataclass
class LocalGovBuild:
    path: Path
    rows: int = 0
    kinds: Counter[str] = field(default_factory=Counter)


def build(source: Path, target: Path = DATA_FILE) -> LocalGovBuild:
    """Check every row of `source` (codes, check digits, kinds) and write `target`.

    Refuses the whole file on the first bad row: a half-right code list would
    make the validator wrong about real municipalities.
    """
    if not source.is_file():
        raise ReferenceNotFound(path=str(source))
    with source.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise DefinitionInvalid(detail=f"{source}: missing columns {', '.join(missing)}")
        rows = [{c: r[c].strip() for c in COLUMNS} for r in reader]
    result = LocalGovBuild(path=target)
    seen: set[str] = set()
    for line, row in enumerate(rows, start=2):
        code = row["lgcode"]
        if not codes.is_valid(code) or code in seen or row["kind"] not in KINDS:
            raise DefinitionInvalid(detail=f"{source} line {line}: bad or duplicate row {row}")
        if not (_is_number(row["lat"]) and _is_number(row["lng"])):
            raise DefinitionInvalid(detail=f"{source} line {line}: lat/lng are not numbers")
        seen.add(code)
        result.kinds[row["kind"]] += 1
    rows.sort(key=lambda r: r["lgcode"])
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    result.rows = len(rows)
    return result


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
