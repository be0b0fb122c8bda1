"""The preview: the upload converted into its own staging folder (what publishing publishes),
its first rows and its validation report grouped by problem, as the HTML report groups them."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import Any

from portal.pipeline import convert
from portal.submissions.files import CONVERTED_DIR, RECIPE_FILE
from portal.submissions.views import Preview, ProblemCell, ProblemGroup, ReportSummary
from portal.workspace import Workspace

CELLS_PER_GROUP = 5  # as the HTML report: the first findings of a group, the rest counted


def run(folder: Path, workspace: Workspace, recipe_hash: str) -> dict[str, Any]:
    """Convert the upload's recipe (already written) into <folder>/converted; the report's
    summary and where the files are, as kept in the upload's row."""
    conversion = convert(folder / RECIPE_FILE, workspace, folder / CONVERTED_DIR)
    report = conversion.report
    return {
        "recipe_hash": recipe_hash,
        "valid": report.valid,
        "errors": report.errors,
        "warnings": report.warnings,
        "rows_in": conversion.outcome.rows_in,
        "rows_out": conversion.outcome.rows_out,
        "converted_at": datetime.now(UTC).isoformat(),
        "csv": conversion.files["csv"].name,
        "validation": conversion.files["validation"].name,
        "columns": list(conversion.layout.names),
    }


def summary(kept: dict[str, Any]) -> ReportSummary:
    return ReportSummary.model_validate(kept)


def read(folder: Path, kept: dict[str, Any], rows: int) -> Preview:
    """The first `rows` converted rows and the report's groups, from the staging folder."""
    converted = folder / CONVERTED_DIR
    with (converted / kept["csv"]).open(encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        columns = next(reader, [])
        first = list(islice(reader, max(0, rows)))
    report = json.loads((converted / kept["validation"]).read_text(encoding="utf-8"))
    return Preview(columns=columns, rows=first, summary=summary(kept), problems=groups(report))


def groups(report: dict[str, Any]) -> list[ProblemGroup]:
    """The report's groups (errors first), each with its first cells to fix."""
    found = report.get("errors", [])
    out = []
    for g in report.get("groups", []):
        cells = [f for f in found if f.get("code") == g["code"] and f.get("field") == g["field"]]
        out.append(ProblemGroup(
            code=g["code"], field=g["field"], severity=g["severity"], title_en=g["title_en"],
            title_ja=g["title_ja"], count=g["count"],
            cells=[ProblemCell(row=f.get("row"), field=f.get("field"), value=f.get("value"),
                               message_en=f.get("message_en", ""), message_ja=f.get("message_ja", ""),
                               fix=f.get("fix")) for f in cells[:CELLS_PER_GROUP]],
        ))  # fmt: skip
    return out
