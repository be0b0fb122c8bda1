"""`convert()`: department files in, the standard's files out, every skipped row accounted for.

Each case in tests/data/convert is a source file, its recipe and the standard CSV
it must produce (`.expected.csv`, written by hand in make_files.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from frictionless import Package

from portal.pipeline import ConversionRejected, convert
from portal.pipeline.writers import DatasetWriter
from portal.settings import Settings
from portal.standards import Registry
from portal.workspace import Workspace
from tests.conftest import TEST_DATA

CASES = TEST_DATA / "convert"


def run(settings: Settings, case: str, out: Path, **kwargs: bool):  # type: ignore[no-untyped-def]
    return convert(CASES / f"{case}.yaml", Workspace.of(settings), out, **kwargs)


@pytest.mark.parametrize("case", sorted(p.stem for p in CASES.glob("*.yaml")))
def test_output_is_exactly_the_expected_csv(case: str, settings: Settings, tmp_path: Path) -> None:
    result = run(settings, case, tmp_path)
    assert result.files["csv"].read_bytes() == (CASES / f"{case}.expected.csv").read_bytes()


def test_title_notes_and_values_that_could_not_be_read_are_reported(
    settings: Settings, tmp_path: Path
) -> None:
    result = run(settings, "aed-with-title", tmp_path)
    assert result.layout.header_row == 4 and result.layout.title_rows == [1, 2]
    assert result.layout.blank_rows == [8] and result.layout.note_rows == [9]
    assert [(u.row, u.field, u.value, u.action) for u in result.outcome.unread] == [
        (7, "開始時間", "24時間", "kept"),
        (7, "終了時間", "24時間", "kept"),
    ]
    codes = {(f.code, f.row, f.field) for f in result.report.findings.kept()}
    assert ("pattern", 4, "開始時間") in codes  # the kept value is flagged in the validation report
    report = json.loads(result.files["conversion"].read_text(encoding="utf-8"))
    assert report["rows_in"] == 3 and report["rows_out"] == 3
    assert {
        "en": "rows 1–2 taken as a title",
        "ja": "1–2行目はタイトルとして読み飛ばしました",
    } in report["layout"]["notes"]


def test_left_out_rows_are_listed_with_the_reason(settings: Settings, tmp_path: Path) -> None:
    result = run(settings, "facility-filters", tmp_path)
    skipped = [(s.row, s.reason_ja) for s in result.outcome.skipped]
    assert skipped == [
        (3, "一般に公開していない施設"),
        (4, "緯度: 座標として読めません"),
        (5, "一般に公開していない施設"),
    ]
    assert (result.outcome.rows_in, result.outcome.rows_out) == (5, 2)


def test_two_row_header_is_joined(settings: Settings, tmp_path: Path) -> None:
    result = run(settings, "population-two-row-header", tmp_path)
    assert result.layout.header_rows == 2
    assert result.layout.header == [
        "地域コード",
        "地域名",
        "人口総数",
        "人口男",
        "人口女",
        "世帯数",
    ]
    assert result.report.valid


def test_cp932_source_and_the_package_files(settings: Settings, tmp_path: Path) -> None:
    result = run(settings, "event-cp932", tmp_path)
    assert result.source.encoding == "cp932"
    assert result.files["csv"].name == "222127_event.csv"
    package = json.loads(result.files["datapackage"].read_text(encoding="utf-8"))
    assert Package.validate_descriptor(package).valid
    assert [r["path"] for r in package["resources"]] == [
        "222127_event.csv",
        "222127_event.json",
        "222127_event.geojson",
    ]
    assert package["keywords"] == ["自治体標準ODS", "イベント"]
    records = json.loads(result.files["json"].read_text(encoding="utf-8"))
    assert (
        records[1]["料金(基本)"] == 500 and records[0]["料金(基本)"] is None
    )  # typed: integer / null
    assert records[1]["開始日"] == "2026-06-01"


def test_geojson_points(settings: Settings, tmp_path: Path) -> None:
    result = run(settings, "facility-filters", tmp_path)
    geo = json.loads(result.files["geojson"].read_text(encoding="utf-8"))
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) == 2
    first = geo["features"][0]
    assert first["geometry"] == {"type": "Point", "coordinates": [138.323171, 34.866918]}
    assert first["properties"]["名称"] == "焼津市役所" and first["properties"]["緯度"] == 34.866918


def test_bom_for_excel_users(settings: Settings, tmp_path: Path) -> None:
    result = run(settings, "facility-filters", tmp_path, bom=True)
    assert result.files["csv"].read_bytes().startswith(b"\xef\xbb\xbf")


def test_strict_writes_nothing_and_keeps_what_was_there(settings: Settings, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run(settings, "facility-filters", out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    with pytest.raises(ConversionRejected) as err:
        run(settings, "facility-filters", out, strict=True)
    assert "row 3" in err.value.message_en and "3行目" in err.value.message_ja
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # nothing half-replaced


def test_a_failure_midway_leaves_earlier_output_intact(
    settings: Settings, tmp_path: Path, monkeypatch
) -> None:
    out = tmp_path / "out"
    run(settings, "event-cp932", out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("portal.pipeline.writers.DatasetWriter.write", broken)
    with pytest.raises(OSError):
        run(settings, "event-cp932", out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


@pytest.mark.parametrize("lat, lon", [("inf", "138.3"), ("34.8", "nan"), ("95", "138.3")])
def test_geojson_has_no_point_for_impossible_coordinates(
    settings: Settings, tmp_path: Path, lat: str, lon: str
) -> None:
    """A value JSON cannot hold (Infinity, NaN) or off the globe gives a feature without a
    geometry, so the GeoJSON still parses (such data is only published with --allow-invalid)."""
    definition = Registry(settings.datasets_dir).get("aed")
    row = ["" for _ in definition.field_names]
    row[definition.field_names.index("緯度")], row[definition.field_names.index("経度")] = lat, lon
    writer = DatasetWriter(tmp_path, "x", definition)
    writer.write([row])
    files = writer.finish({})
    text = files["geojson"].read_text(encoding="utf-8")
    geo = json.loads(text, parse_constant=lambda name: pytest.fail(f"{name} is not JSON"))
    assert geo["features"][0]["geometry"] is None
