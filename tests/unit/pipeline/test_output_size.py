"""The published JSON and GeoJSON are no larger than needed (issue 17): compact, with points
to six decimals, and they hold the same data as the CSV."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from portal.pipeline import convert
from portal.pipeline.writers import DatasetWriter
from portal.settings import Settings
from portal.standards import Registry
from portal.workspace import Workspace
from tests.conftest import TEST_DATA


def compact(text: str) -> str:
    return json.dumps(json.loads(text), ensure_ascii=False, separators=(",", ":")) + "\n"


def test_json_and_geojson_are_compact_and_hold_the_csv_rows(
    settings: Settings, tmp_path: Path
) -> None:
    result = convert(
        TEST_DATA / "convert" / "facility-filters.yaml", Workspace.of(settings), tmp_path
    )
    with result.files["csv"].open(encoding="utf-8", newline="") as fh:
        table = list(csv.DictReader(fh))
    for kind in ("json", "geojson"):
        text = result.files[kind].read_text(encoding="utf-8")
        assert text == compact(text), f"{kind} is not compact"
    records = json.loads(result.files["json"].read_text(encoding="utf-8"))
    features = json.loads(result.files["geojson"].read_text(encoding="utf-8"))["features"]
    assert [f["properties"] for f in features] == records
    assert [list(r) for r in records] == [list(row) for row in table]  # every field, in order
    assert [r["名称"] for r in records] == [row["名称"] for row in table]
    assert [f["geometry"]["coordinates"] for f in features] == [
        [float(row["経度"]), float(row["緯度"])] for row in table
    ]


def test_geojson_points_have_at_most_six_decimals(settings: Settings, tmp_path: Path) -> None:
    definition = Registry(settings.datasets_dir).get("aed")
    fields = definition.field_names
    rows = []
    for lat, lon in [("34.86691812345", "138.32317198765"), ("35.1", "139")]:
        row = ["" for _ in fields]
        row[fields.index("緯度")], row[fields.index("経度")] = lat, lon
        rows.append(row)
    writer = DatasetWriter(tmp_path, "x", definition)
    writer.write(rows)
    geo = json.loads(writer.finish({})["geojson"].read_text(encoding="utf-8"))
    points = [f["geometry"]["coordinates"] for f in geo["features"]]
    assert points == [[138.323172, 34.866918], [139.0, 35.1]]
    # the properties keep the values as given
    assert geo["features"][0]["properties"]["緯度"] == 34.86691812345
