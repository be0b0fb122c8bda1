"""Conversion streams (issue 17): what is remembered per column is bounded, so a big file
converts in the memory of a small one, and the files are the same as when nothing is forgotten."""

from __future__ import annotations

import csv
import gc
import hashlib
import importlib
import json
from pathlib import Path
from typing import Any

import pytest

from portal.pipeline import convert, transform, writers
from portal.pipeline.writers import DatasetWriter
from portal.settings import Settings
from portal.standards import Registry
from portal.workspace import Workspace

RECIPE = """\
version: 1
source: {path: facilities.csv}
target: {dataset: public_facility, lgcode: "222127"}
constants: {全国地方公共団体コード: "222127", 地方公共団体名: 静岡県焼津市}
columns:
  ID: {from: 番号}
  名称: {from: 名称, normalize: [trim]}
  緯度: {from: 緯度, normalize: [coordinate]}
  経度: {from: 経度, normalize: [coordinate], on_error: skip-row}
"""


def write_source(folder: Path, rows: int) -> Path:
    """Every name distinct; every 7th latitude and every 11th longitude unreadable."""
    with (folder / "facilities.csv").open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["番号", "名称", "緯度", "経度"])
        for i in range(rows):
            lat = "北緯" if i % 7 == 3 else f"34.{i % 50:06d}"
            lon = "東経" if i % 11 == 5 else f"138.{i % 40:06d}"
            out.writerow([f"F{i:05d}", f" 施設{i}％ ", lat, lon])
    recipe = folder / "facilities.yaml"
    recipe.write_text(RECIPE, encoding="utf-8")
    return recipe


def converted(settings: Settings, recipe: Path, out: Path) -> dict[str, object]:
    result = convert(recipe, Workspace.of(settings), out)
    files = {k: result.files[k].read_bytes() for k in ("csv", "json", "geojson")}
    return {
        "files": files,
        "unread": [(u.row, u.field, u.value, u.action) for u in result.outcome.unread],
        "skipped": [(s.row, s.reason_en) for s in result.outcome.skipped],
        "package": json.loads(result.files["datapackage"].read_text(encoding="utf-8")),
    }


def test_values_forgotten_past_the_limit_give_the_same_files_and_reports(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    recipe = write_source(tmp_path, 600)
    remembered = converted(settings, recipe, tmp_path / "all-remembered")

    monkeypatch.setattr(importlib.import_module("portal.pipeline.convert"), "CHUNK", 50)
    monkeypatch.setattr(transform, "CACHE_LIMIT", 20)
    monkeypatch.setattr(writers, "FRAGMENT_LIMIT", 20)
    sizes: list[int] = []
    learn = transform._Field.learn

    def spy(self: transform._Field, distinct: set[str], ctx: transform.Context) -> None:
        learn(self, distinct, ctx)
        sizes.append(len(self.cache))

    monkeypatch.setattr(transform._Field, "learn", spy)
    forgetting = converted(settings, recipe, tmp_path / "forgetting")

    assert forgetting == remembered
    assert len(remembered["unread"]) > 100  # type: ignore[arg-type]  # errors survive forgetting
    assert max(sizes) <= 20 + 50 + 1  # the limit, plus one chunk's new values


def test_the_package_hash_and_size_are_those_of_the_written_csv(
    settings: Settings, tmp_path: Path
) -> None:
    recipe = write_source(tmp_path, 30)
    for bom in (False, True):
        result = convert(recipe, Workspace.of(settings), tmp_path / f"out-{bom}", bom=bom)
        data = result.files["csv"].read_bytes()
        package = json.loads(result.files["datapackage"].read_text(encoding="utf-8"))
        resource = package["resources"][0]
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
        assert resource["bytes"] == len(data)
        assert data.startswith(b"\xef\xbb\xbf") == bom


def test_json_records_keep_percent_signs_in_constant_and_varying_columns(
    settings: Settings, tmp_path: Path
) -> None:
    """Columns with one value in a chunk go into a %-template: a % in a value must survive."""
    definition = Registry(settings.datasets_dir).get("aed")
    fields = definition.field_names
    rows = []
    for name in ("100%", "%s 50%%", "%(x)s"):
        row = ["" for _ in fields]
        row[fields.index("名称")], row[fields.index("所在地_連結表記")] = name, "%d 丁目"
        rows.append(row)
    writer = DatasetWriter(tmp_path, "x", definition)
    writer.write(rows)
    writer.write(rows[:1])  # a chunk where every column has one value
    records = json.loads(writer.finish({})["json"].read_text(encoding="utf-8"))
    assert [r["名称"] for r in records] == ["100%", "%s 50%%", "%(x)s", "100%"]
    assert {r["所在地_連結表記"] for r in records} == {"%d 丁目"}
    assert [list(r) for r in records] == [fields] * 4


def test_columns_normalised_alike_each_report_their_unreadable_values(
    settings: Settings, tmp_path: Path
) -> None:
    """緯度 and 経度 share one cache of [coordinate] verdicts: a value unreadable in both is
    reported for both, each at its row, and a value read in one is read in the other."""
    (tmp_path / "facilities.csv").write_text(
        "番号,名称,緯度,経度\nF1,甲,不明,不明\nF2,乙,34.5,34.5\nF3,丙,35.0,不明\n", encoding="utf-8"
    )
    recipe = tmp_path / "facilities.yaml"
    recipe.write_text(RECIPE.replace(", on_error: skip-row", ""), encoding="utf-8")
    result = convert(recipe, Workspace.of(settings), tmp_path / "out")
    assert [(u.row, u.field, u.value) for u in result.outcome.unread] == [
        (2, "緯度", "不明"),
        (2, "経度", "不明"),
        (4, "経度", "不明"),
    ]
    records = json.loads(result.files["json"].read_text(encoding="utf-8"))
    assert [(r["緯度"], r["経度"]) for r in records] == [
        ("不明", "不明"),
        (34.5, 34.5),
        (35.0, "不明"),
    ]


def test_cycle_collection_is_rarer_while_rows_stream_and_restored_after(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    recipe = write_source(tmp_path, 30)
    before = gc.get_threshold()
    seen: list[tuple[int, int, int]] = []
    write = DatasetWriter.write

    def spy(self: DatasetWriter, *args: Any, **kwargs: Any) -> None:
        seen.append(gc.get_threshold())
        write(self, *args, **kwargs)

    monkeypatch.setattr(DatasetWriter, "write", spy)
    convert(recipe, Workspace.of(settings), tmp_path / "out")
    assert seen and all(t[0] > before[0] for t in seen)
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0

    def broken(self: DatasetWriter, *args: Any, **kwargs: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(DatasetWriter, "write", broken)
    with pytest.raises(OSError):
        convert(recipe, Workspace.of(settings), tmp_path / "out")
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
