"""LinkData (linkdata.org) and code4japan tables: the rows about the columns under the
header (#object_type_xsd, #property_context …) are skipped by the reader for validate,
convert and suggest alike, and said so."""

from __future__ import annotations

import csv
from pathlib import Path

import yaml

from portal.formats.layout_reader import data_rows, read_table
from portal.localgov import load as load_directory
from portal.pipeline import convert
from portal.pipeline.suggest import suggest
from portal.settings import Settings
from portal.validation.validate import Options, validate
from portal.workspace import Workspace

# As linkdata.org exports a table: its parameters above, the property row as the header,
# the types and contexts under it, then rows whose first cell is the (empty) subject.
EVENTS = """#LINK
#lang,ja
#attribution_name,松本市　文化振興課
#license,http://creativecommons.org/licenses/by/4.0/deed.ja
#file_name,matsumoto_event
#property,イベント名,開始日,終了日,場所名称,所在地_連結表記,緯度,経度
#object_type_xsd,string,date,date,string,string,double,double
#property_context,Assertion,Assertion,Assertion,Assertion,Assertion,Assertion,Assertion
,松本城夜桜会,2026-04-03,2026-04-12,松本城,長野県松本市丸の内4番1号,36.2386,137.9688
,あがたの森音楽祭,2026-05-10,2026-05-10,あがたの森公園,長野県松本市県3丁目1番1号,36.2277,137.9829
,松本ぼんぼん,2026-08-01,2026-08-01,松本駅前通り,長野県松本市深志1丁目1番1号,36.2309,137.9646
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "matsumoto_event.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_reader_skips_the_type_rows_and_says_so(tmp_path: Path) -> None:
    with read_table(write(tmp_path, EVENTS)) as table:
        rows = [row for _, row in data_rows(table.rows, table.layout)]
        notes = table.layout.notes()
    assert [row[1] for row in rows] == ["松本城夜桜会", "あがたの森音楽祭", "松本ぼんぼん"]
    assert table.layout.type_rows == [7, 8]
    assert table.layout.first_data_row == 9
    english = " ".join(en for en, _ in notes)
    japanese = " ".join(ja for _, ja in notes)
    assert "rows 7–8 under the header describe the columns" in english
    assert "rows 1–5 are LinkData's table parameters" in english
    assert "7–8行目は列の型や文脈を記した行" in japanese


def test_validate_reports_the_type_rows_and_reads_no_type_as_data(
    tmp_path: Path, settings: Settings
) -> None:
    report = validate(write(tmp_path, EVENTS), Workspace.of(settings), Options(dataset="event"))
    found = {f.code: f for f in report.findings.kept()}
    assert found["linkdata-type-rows"].row == 7
    assert "#object_type_xsd" in found["linkdata-type-rows"].message_en
    # No finding about a value of the skipped rows (a date column holding `date`).
    assert not [f for f in report.findings.kept() if f.value in ("string", "date", "Assertion")]


def test_convert_writes_no_row_from_the_type_rows(tmp_path: Path, settings: Settings) -> None:
    workspace = Workspace.of(settings)
    path = write(tmp_path, EVENTS)
    suggestion = suggest(path, workspace.registry, load_directory(), dataset="event")
    recipe = suggestion.to_recipe(tmp_path)
    recipe["target"]["lgcode"] = "202029"  # 松本市
    recipe_path = tmp_path / "matsumoto_event.yaml"
    recipe_path.write_text(yaml.safe_dump(recipe, allow_unicode=True), encoding="utf-8")
    done = convert(recipe_path, workspace, tmp_path / "out")
    with done.files["csv"].open(encoding="utf-8-sig") as f:
        names = [row["イベント名"] for row in csv.DictReader(f)]
    assert names == ["松本城夜桜会", "あがたの森音楽祭", "松本ぼんぼん"]
    assert any("LinkData" in note["en"] for note in done.to_dict()["layout"]["notes"])
