"""Formula injection: the downloads meant for spreadsheet programs mark formula-like cells as
text with a leading ', and the canonical UTF-8 CSV stays exactly as published.

A municipality's file holds values that Excel would run when the download is opened
(`=HYPERLINK(…)`, `+cmd|…`, `@SUM(…)`, `-1+1`, full-width `＝１＋１`), a plain negative
number and an ordinary value; they go through `convert` and `publish` as a clerk's would.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from portal.cli import main
from portal.server import create_app
from tests.api.conftest import build_catalogue

# (設置場所 in the source, as the Excel-oriented downloads must write it)
PLACES = [
    (
        '=HYPERLINK("http://evil.example/","本館1階")',
        '\'=HYPERLINK("http://evil.example/","本館1階")',
    ),
    ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
    ("@SUM(1+1)*cmd|' /C calc'!A0", "'@SUM(1+1)*cmd|' /C calc'!A0"),
    ("-1+1", "'-1+1"),
    ("＝１＋１", "'＝１＋１"),
    ("\t=1+1", "'\t=1+1"),
    ("-1.5", "-1.5"),  # a plain number is never a formula: left alone
    ("本館1階玄関", "本館1階玄関"),
]
RECIPE = """\
version: 1
title: 摂津市 AED設置場所一覧（数式に見える値）
source:
  path: formula-cells.csv
target:
  dataset: aed
  lgcode: "272248"
constants:
  全国地方公共団体コード: "272248"
  地方公共団体名: 大阪府摂津市
columns:
  ID: {from: 番号}
  名称: {from: 施設名}
  所在地_連結表記: {from: 住所}
  緯度: {from: 緯度}
  経度: {from: 経度}
  設置位置: {from: 設置場所}
"""
PLACE = "設置位置"


def write_recipe(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "formula-cells.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["番号", "施設名", "住所", "緯度", "経度", "設置場所"])
        for n, (place, _) in enumerate(PLACES, start=1):
            writer.writerow(
                [n, f"摂津市施設{n}", "大阪府摂津市三島1-1-1", "34.77718", "135.56221", place]
            )
    recipe = folder / "formula-cells.yaml"
    recipe.write_text(RECIPE, encoding="utf-8")
    return recipe


def column(rows: list[list[str]], name: str) -> list[str]:
    index = rows[0].index(name)
    return [row[index] for row in rows[1:]]


def without(rows: list[list[str]], name: str) -> list[list[str]]:
    index = rows[0].index(name)
    return [row[:index] + row[index + 1 :] for row in rows]


def parse(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[TestClient, Path]:
    root = tmp_path_factory.mktemp("formula")
    recipe = write_recipe(root / "source")
    settings = build_catalogue(root, recipes=[recipe])
    converted = next((root / recipe.stem).glob("*_aed.csv"))
    return TestClient(create_app(settings)), converted


def test_cp932_download_marks_formula_cells_as_text(published: tuple[TestClient, Path]) -> None:
    client, converted = published
    response = client.get("/api/v1/datasets/272248-aed/download.csv", params={"encoding": "cp932"})
    assert response.status_code == 200
    excel = parse(response.content.decode("cp932"))
    assert column(excel, PLACE) == [want for _, want in PLACES]
    # Everything else is the published file's, cell for cell.
    canonical = parse(converted.read_text(encoding="utf-8"))
    assert without(excel, PLACE) == without(canonical, PLACE)


def test_excel_utf8_download_has_a_bom_and_marks_formula_cells(
    published: tuple[TestClient, Path],
) -> None:
    """`bom=1`: what a double-click in Excel opens without mojibake — UTF-8 after a BOM (one,
    not two), formula-like cells quoted as in the CP932 download; cached apart from the file."""
    client, converted = published
    response = client.get("/api/v1/datasets/272248-aed/download.csv", params={"bom": "1"})
    assert response.status_code == 200 and "utf-8" in response.headers["content-type"]
    assert response.content.startswith(b"\xef\xbb\xbf") and not response.content[3:].startswith(
        b"\xef\xbb\xbf"
    )
    excel = parse(response.content.decode("utf-8-sig"))
    assert column(excel, PLACE) == [want for _, want in PLACES]
    canonical = parse(converted.read_text(encoding="utf-8"))
    assert without(excel, PLACE) == without(canonical, PLACE)
    plain = client.get("/api/v1/datasets/272248-aed/download.csv")
    assert response.headers["etag"] != plain.headers["etag"]


def test_utf8_download_is_the_published_file_exactly(published: tuple[TestClient, Path]) -> None:
    client, converted = published
    response = client.get("/api/v1/datasets/272248-aed/download.csv")
    assert response.status_code == 200 and response.content == converted.read_bytes()
    assert column(parse(response.text), PLACE) == [given for given, _ in PLACES]


def test_publishing_warns_about_formula_cells(published: tuple[TestClient, Path]) -> None:
    _, converted = published
    report = json.loads(converted.with_name(converted.stem + ".validation.json").read_text())
    warned = [f for f in report["errors"] if f["code"] == "formula-like-cell"]
    assert [f["value"] for f in warned] == [given for given, want in PLACES if want != given]
    assert all(f["severity"] == "warning" and f["field"] == PLACE for f in warned)
    assert "数式" in warned[0]["message_ja"] and "formula" in warned[0]["message_en"]


def test_convert_bom_marks_formula_cells_and_keeps_json_exact(tmp_path: Path) -> None:
    recipe = write_recipe(tmp_path / "source")
    assert main(["convert", str(recipe), "--out", str(tmp_path / "excel"), "--bom"]) == 0
    assert main(["convert", str(recipe), "--out", str(tmp_path / "plain")]) == 0
    excel_csv = next((tmp_path / "excel").glob("*_aed.csv")).read_bytes()
    plain_csv = next((tmp_path / "plain").glob("*_aed.csv")).read_bytes()
    assert excel_csv.startswith(b"\xef\xbb\xbf") and not plain_csv.startswith(b"\xef\xbb\xbf")
    excel = parse(excel_csv.decode("utf-8-sig"))
    assert column(excel, PLACE) == [want for _, want in PLACES]
    assert without(excel, PLACE) == without(parse(plain_csv.decode("utf-8")), PLACE)
    assert column(parse(plain_csv.decode("utf-8")), PLACE) == [given for given, _ in PLACES]
    records = json.loads(next((tmp_path / "excel").glob("*_aed.json")).read_text(encoding="utf-8"))
    assert [r[PLACE] for r in records] == [given for given, _ in PLACES]
