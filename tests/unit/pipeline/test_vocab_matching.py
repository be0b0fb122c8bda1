"""Matching precision where a name alone misleads: a 番号 column of municipality codes is
the publisher's code, not the rows' ID."""

from __future__ import annotations

from pathlib import Path

from portal.localgov import Directory
from portal.pipeline.suggest import Suggestion, suggest
from portal.standards import Registry


def sources(s: Suggestion) -> dict[str, list[str]]:
    return {m.field: m.sources for m in s.matches}


def aed(tmp_path: Path, numbers: list[str]) -> Path:
    rows = [
        "施設名,所在地,緯度,経度,電話番号",
        "東大阪市役所本庁舎,大阪府東大阪市荒本北一丁目1番1号,34.679444,135.600833,06-4309-3000",
        "東大阪市立中央図書館,大阪府東大阪市荒本北一丁目2番1号,34.680512,135.598742,06-6745-0170",
        "東大阪市立総合体育館,大阪府東大阪市御厨南二丁目3番4号,34.674821,135.594310,06-6788-0001",
    ]
    lines = ["番号," + rows[0]] + [f"{n},{r}" for n, r in zip(numbers, rows[1:], strict=True)]
    path = tmp_path / "aed.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_number_column_of_one_municipality_code_is_the_code(
    tmp_path: Path, registry: Registry, directory: Directory
) -> None:
    s = suggest(aed(tmp_path, ["27227"] * 3), registry, directory, dataset="aed")
    found = sources(s)
    assert found["全国地方公共団体コード"] == ["番号"]
    assert found.get("ID") != ["番号"]


def test_a_number_column_of_row_numbers_stays_the_id(
    tmp_path: Path, registry: Registry, directory: Directory
) -> None:
    s = suggest(aed(tmp_path, ["1", "2", "3"]), registry, directory, dataset="aed")
    assert sources(s)["ID"] == ["番号"]
