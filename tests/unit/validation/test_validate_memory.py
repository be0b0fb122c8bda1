"""Validation in bounded memory: what a big file costs does not grow with its rows."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from portal.settings import Settings
from portal.standards import Definition
from portal.validation import Options, engine, validate
from portal.validation.checks.base import by_char
from portal.validation.report import Report
from portal.validation.validate import StreamValidator
from portal.workspace import Workspace

# The module, not the function the package exports under the same name.
validate_module = importlib.import_module("portal.validation.validate")
CATALOGUE_LIBRARIES = ("sqlalchemy", "alembic", "ckanapi")


def test_validating_loads_no_catalogue_libraries() -> None:
    """`portal validate` opens no database and no CKAN: building its settings and workspace
    must not import them (they cost 0.4 s and 40 MiB, more than validating takes)."""
    code = (
        "import sys\n"
        "from portal.settings import Settings\n"
        "from portal.validation import validate\n"
        "from portal.workspace import Workspace\n"
        "Workspace.of(Settings())\n"
        f"print(sorted(m for m in {CATALOGUE_LIBRARIES!r} if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def _population(rows: int, bad_every: int) -> str:
    """A population table whose 地域名 and 地域コード differ on every row; every
    `bad_every`-th row has a half-width-kana area name and a thousands separator."""
    header = "全国地方公共団体コード,地域コード,地方公共団体名,調査年月日,地域名,総人口"
    lines = [header]
    for n in range(rows):
        bad = n % bad_every == 0
        name, total = ("ｾﾝﾘｵｶ" if bad else f"千里丘{n}丁目"), ('"1,234"' if bad else str(n))
        lines.append(f"272248,{272248000000 + n},大阪府摂津市,2026-04-01,{name},{total}")
    return "\n".join(lines) + "\n"


def test_verdicts_kept_in_bounded_memory(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A column of distinct values (one code per row) does not keep a verdict per row; a bad
    value seen again after the verdicts were let go is reported again, on every row."""
    monkeypatch.setattr(engine, "CACHE_VALUES", 50, raising=False)
    kept: list[int] = []
    check_chunk = engine.TableValidator.check_chunk

    def watched(
        self: engine.TableValidator, numbers: Sequence[int], rows: Sequence[list[str]]
    ) -> None:
        check_chunk(self, numbers, rows)
        kept.append(max(len(c.cache) + len(c.clean) for c in self.columns))

    monkeypatch.setattr(engine.TableValidator, "check_chunk", watched)
    path = tmp_path / "population.csv"
    path.write_text(_population(3_000, bad_every=100), encoding="utf-8")
    report = validate(
        path, Workspace.of(settings), Options(dataset="population_by_area_age", chunk_rows=200)
    )
    assert max(kept) <= 50 + 200  # the limit, plus one chunk's new values
    counts = report.to_dict()["stats"]["by_code"]
    assert counts["halfwidth-kana"] == 30 and counts["unit-in-number"] == 30
    rows = {f.row for f in report.findings.kept() if f.code == "halfwidth-kana"}
    assert rows == {2 + n for n in range(0, 3_000, 100)}


def test_empty_rows_after_the_table_are_not_all_held(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An export's thousands of empty rows under the table are checked as they come (each
    still a blank row), not held in memory to the end of the file in case they are notes."""
    monkeypatch.setattr(validate_module, "MAX_HELD_ROWS", 100, raising=False)
    tails: list[int] = []
    finish_tail = validate_module._finish_tail

    def watched(
        validator: engine.TableValidator, report: Report, tail: list[Any], width: int
    ) -> None:
        tails.append(len(tail))
        finish_tail(validator, report, tail, width)

    monkeypatch.setattr(validate_module, "_finish_tail", watched)
    path = tmp_path / "population.csv"
    path.write_text(_population(10, bad_every=1_000) + ",,,,,\n" * 5_000, encoding="utf-8")
    report = validate(
        path, Workspace.of(settings), Options(dataset="population_by_area_age", chunk_rows=200)
    )
    assert tails and max(tails) <= 100 + 200  # the limit, plus one chunk
    assert report.rows == 5_010
    assert report.to_dict()["stats"]["by_code"]["blank-row"] == 5_000


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"[\r\n]", True),
        (r"^[\s\u200b]|[\s\u200b]$", True),
        (r"(?<![a-z])\u200d|\u200d(?![a-z])", True),
        (r"ab", False),  # two characters: "a" and "b" alone do not match
        (r"a+", False),
        (r"(?=x)x", False),  # a positive lookaround needs what is around
        (r"\bA", False),
        (r"(?i)x", False),
    ],
)
def test_screens_by_character_only_when_exact(pattern: str, expected: bool) -> None:
    """A chunk's characters stand for its values only for a screen that matches at one
    character with nothing required around it; any other screen searches every value."""
    assert by_char(re.compile(pattern)) is expected


def test_columns_share_clean_values_only_when_judged_alike(settings: Settings) -> None:
    """Columns of one type and rules share the values found clean; a column whose maximum
    differs judges the same value itself (1000 is within 9999, not within 999)."""
    count = {"type": "integer", "kind": "count"}
    schema = {
        "fields": [
            {"name": "総数", "description": "all", **count, "constraints": {"maximum": 9999}},
            {"name": "男性", "description": "men", **count, "constraints": {"maximum": 9999}},
            {"name": "女性", **count, "constraints": {"maximum": 999}},
        ]
    }
    meta = {"slug": "counts", "version": "current", "title_ja": "人数"}
    definition = Definition(key="test/counts", meta=meta, schema=schema)
    stream = StreamValidator(Workspace.of(settings), definition, None, "counts.csv")
    stream.add([["1000", "1000", "1000"], ["5", "1000", "1000"]])
    report = stream.finish()
    assert [(f.row, f.field) for f in report.findings.kept()] == [(2, "女性"), (3, "女性")]
    men, women = stream.validator.columns[1], stream.validator.columns[2]
    assert men.clean is stream.validator.columns[0].clean and women.clean is not men.clean
