"""Parity with frictionless: everything frictionless reports, we report too.

For every file of the corpus in tests/data/parity (planted errors of every type
frictionless reports on a CSV, for three real schemas), frictionless 5.21 is
run here, on the same reading of the file (header in row 1, comma-separated:
its own guessing of both is turned off), and its (row, field, type) set must be
a subset of ours. Known differences, on purpose:
- an empty file is a `source-error` for frictionless; we refuse it (exit 2);
- a title line above the header: frictionless in this mode takes the title as
  the header, we find the table below it and report the title row instead.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from frictionless import Dialect, Resource, Schema, formats, validate

from portal.errors import InputUnreadable
from portal.settings import PROJECT_ROOT, Settings
from portal.validation import Options
from portal.validation import validate as portal_validate
from portal.workspace import Workspace
from tests.conftest import TEST_DATA

CORPUS = TEST_DATA / "parity"
MANIFEST = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))["files"]
NOT_COMPARABLE = {"title-line.csv"}


def frictionless_triples(path: Path, schema_path: Path) -> set[tuple[int | None, str | None, str]]:
    dialect = Dialect(header_rows=[1], controls=[formats.CsvControl(delimiter=",")])
    resource = Resource(
        path.name,
        basepath=str(path.parent),
        schema=Schema.from_descriptor(json.loads(schema_path.read_text(encoding="utf-8"))),
        dialect=dialect,
    )
    report = validate(resource, limit_errors=10**6)
    return {
        (row, field or None, kind)
        for row, field, kind in report.flatten(["rowNumber", "fieldName", "type"])
    }


@pytest.mark.parametrize("name", sorted(MANIFEST), ids=sorted(MANIFEST))
def test_frictionless_findings_are_a_subset_of_ours(name: str, settings: Settings) -> None:
    path = CORPUS / name
    entry = MANIFEST[name]
    key = entry["schema"].split("/")[1]
    if path.name in NOT_COMPARABLE:
        report = portal_validate(path, Workspace.of(settings), Options(dataset=key, per_group=None))
        assert (
            report.header_row == 2 and [f.code for f in report.findings.kept()][0] == "title-rows"
        )
        return
    theirs = frictionless_triples(path, PROJECT_ROOT / entry["schema"])
    if any(kind == "source-error" for _, _, kind in theirs):
        with pytest.raises(InputUnreadable):
            portal_validate(path, Workspace.of(settings), Options(dataset=key, per_group=None))
        return
    report = portal_validate(path, Workspace.of(settings), Options(dataset=key, per_group=None))
    ours = {(f.row, f.field, f.type) for f in report.findings.kept()}
    assert theirs - ours == set()
    assert report.findings.by_severity["error"] >= len(theirs) > 0 or theirs == set()


def test_the_corpus_covers_every_error_type_of_a_csv_table() -> None:
    planted = {t for entry in MANIFEST.values() for t in entry["planted"]}
    assert {
        "type-error", "constraint-error", "unique-error", "blank-row", "missing-cell", "extra-cell",
        "blank-label", "duplicate-label", "incorrect-label", "missing-label", "extra-label",
    } <= planted  # fmt: skip
