"""The address checks (issue 13) on files a clerk would validate: text the parts do not hold,
町字 against a city's 町字マスター, and the 町字ID's form."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import hypothesis
import hypothesis.strategies
import pytest

from portal.localgov import load
from portal.normalize.address import split_address
from portal.settings import Settings
from portal.validation import Options, Report, validate
from portal.validation.checks.address import MAY_HOLD_UNPLACED
from portal.workspace import Workspace

DIRECTORY = load()
TOWNS_HEADER = (
    "lg_code,machiaza_id,machiaza_type,pref,county,city,ward,oaza_cho,chome,koaza,"
    "rsdt_addr_flg,efct_date,ablt_date"
)
# 焼津市's 町字マスター, a few rows of it, in the registry's own columns
YAIZU_TOWNS = f"""{TOWNS_HEADER}
222127,0001005,2,静岡県,,焼津市,,駅北,五丁目,,1,2000-01-01,
222127,0001002,2,静岡県,,焼津市,,駅北,二丁目,,1,2000-01-01,
222127,0002000,1,静岡県,,焼津市,,小川,,,0,1950-01-01,
222127,0002101,3,静岡県,,焼津市,,小川,,新地,0,1950-01-01,
222127,0003000,1,静岡県,,焼津市,,石津,,,0,1950-01-01,
222127,0004000,1,静岡県,,焼津市,,旧町,,,0,1950-01-01,2010-04-01
"""


def header(settings: Settings) -> list[str]:
    schema = json.loads((settings.datasets_dir / "aed" / "schema.json").read_text("utf-8"))
    return [f["name"] for f in schema["fields"]]


def write_aed(tmp_path: Path, settings: Settings, rows: list[dict[str, str]]) -> Path:
    """An AED list in the standard's layout, with only the cells the test is about filled."""
    path = tmp_path / "aed.csv"
    names = header(settings)
    base = {"全国地方公共団体コード": "222127", "地方公共団体名": "静岡県焼津市"}
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(names)
        for i, row in enumerate(rows, start=1):
            cells = {**base, "ID": str(i), "名称": f"施設{i}", **row}
            out.writerow([cells.get(n, "") for n in names])
    return path


def address(full: str, *parts: str, building: str = "") -> dict[str, str]:
    names = ("所在地_都道府県", "所在地_市区町村", "所在地_町字", "所在地_番地以下")
    return {
        "所在地_連結表記": full,
        **dict(zip(names, parts, strict=True)),
        "建物名等(方書)": building,
    }


def run(tmp_path: Path, settings: Settings, rows: list[dict[str, str]]) -> Report:
    path = write_aed(tmp_path, settings, rows)
    return validate(path, Workspace.of(settings), Options(dataset="aed", per_group=None))


def found(report: Report, *codes: str) -> list[tuple[int | None, str, str | None]]:
    return [(f.row, f.code, f.fix) for f in report.findings.kept() if f.code in codes]


ADDRESS_CODES = ("address-unplaced", "address-parts-mismatch")


def test_text_absorbed_into_a_part_is_reported(tmp_path: Path, settings: Settings) -> None:
    # The old split put the tail of a doubled 丁目 into 方書; the joined parts still matched.
    full = "静岡県焼津市駅北5丁目5丁目2-11"
    report = run(
        tmp_path,
        settings,
        [address(full, "静岡県", "焼津市", "駅北5丁目", "5", building="丁目2-11")],
    )
    (finding,) = [f for f in report.findings.kept() if f.code == "address-unplaced"]
    assert finding.row == 2 and finding.field == "所在地_連結表記"
    assert "「5丁目」" in finding.message_ja and "'5丁目'" in finding.message_en


def test_text_in_no_part_is_reported(tmp_path: Path, settings: Settings) -> None:
    # The building is in the full address but 方書 is empty: only "starts with" held before.
    full = "静岡県焼津市駅北5丁目2-11 駅北ビル2階"
    report = run(tmp_path, settings, [address(full, "静岡県", "焼津市", "駅北5丁目", "2-11")])
    (finding,) = [f for f in report.findings.kept() if f.code == "address-unplaced"]
    assert "駅北ビル2階" in finding.message_en


def test_consistent_addresses_pass(tmp_path: Path, settings: Settings) -> None:
    rows = [
        address(
            "静岡県焼津市駅北5丁目2-11　駅北ビル2階",
            "静岡県",
            "焼津市",
            "駅北5丁目",
            "2-11",
            building="駅北ビル2階",
        ),
        address(
            "静岡県焼津市駅北５丁目２－１１", "静岡県", "焼津市", "駅北5丁目", "2-11"
        ),  # widths
        address("焼津市小川3808", "静岡県", "焼津市", "小川", "3808"),  # no prefecture written
        # the building in 方書 only (a legacy 住所 + 方書 file converted): nothing is lost
        address(
            "静岡県焼津市西小川2-7-9",
            "静岡県",
            "焼津市",
            "西小川",
            "2-7-9",
            building="高橋プラザ1階",
        ),
        address(
            "静岡県焼津市大字小川字新地三八〇八番地",
            "静岡県",
            "焼津市",
            "大字小川字新地",
            "三八〇八番地",
        ),
    ]
    assert found(run(tmp_path, settings, rows), *ADDRESS_CODES) == []


def test_parts_that_say_something_else_still_disagree(tmp_path: Path, settings: Settings) -> None:
    rows = [address("静岡県焼津市焼津二丁目1番11", "静岡県", "焼津市", "焼津四丁目", "15番地")]
    assert found(run(tmp_path, settings, rows), *ADDRESS_CODES) == [
        (2, "address-parts-mismatch", None)
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0001005", []),
        ("1005", [(2, "choazi-id-format", "0001005")]),  # leading zeros lost in a spreadsheet
        ("0008-001", [(2, "choazi-id-hyphen", "0008001")]),
        ("00010051", [(2, "choazi-id-format", None)]),
    ],
)
def test_choazi_id_is_seven_digits(
    tmp_path: Path, settings: Settings, value: str, expected: list[tuple[int, str, str | None]]
) -> None:
    report = run(tmp_path, settings, [{"町字ID": value}])
    assert found(report, "choazi-id-format", "choazi-id-hyphen") == expected


@pytest.fixture
def yaizu_towns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "towns"
    folder.mkdir()
    (folder / "mt_town_city222127.csv").write_text(YAIZU_TOWNS, encoding="utf-8-sig")
    monkeypatch.setenv("PORTAL_TOWNS_DIR", str(folder))
    return folder


@pytest.mark.usefixtures("yaizu_towns")
def test_town_against_the_city_list(tmp_path: Path, settings: Settings) -> None:
    rows = [
        address(
            "静岡県焼津市駅北5丁目2-11", "静岡県", "焼津市", "駅北5丁目", "2-11"
        ),  # 五丁目 listed
        address("静岡県焼津市駅比5丁目2-11", "静岡県", "焼津市", "駅比5丁目", "2-11"),  # misspelt
        address("焼津市大字小川字新地3808", "静岡県", "焼津市", "大字小川字新地", "3808"),
        address("静岡県焼津市旧町1", "静岡県", "焼津市", "旧町", "1"),  # abolished in 2010
        address("静岡県藤枝市瀬古1-3-1", "静岡県", "藤枝市", "瀬古1丁目", "3-1"),  # no list
    ]
    report = run(tmp_path, settings, rows)
    assert found(report, "town-unknown") == [
        (3, "town-unknown", "駅北五丁目"),
        (5, "town-unknown", None),
    ]
    misspelt = next(f for f in report.findings.kept() if f.code == "town-unknown")
    assert "静岡県焼津市" in misspelt.message_ja and "駅北五丁目" in misspelt.message_ja


@pytest.mark.usefixtures("yaizu_towns")
def test_choazi_id_against_the_city_list(tmp_path: Path, settings: Settings) -> None:
    rows = [
        {
            **address("静岡県焼津市駅北5丁目2-11", "静岡県", "焼津市", "駅北5丁目", "2-11"),
            "町字ID": "0001005",
        },
        {
            **address("静岡県焼津市駅北5丁目2-11", "静岡県", "焼津市", "駅北5丁目", "2-11"),
            "町字ID": "0001002",
        },
        {**address("静岡県焼津市石津1", "静岡県", "焼津市", "石津", "1"), "町字ID": "0009000"},
    ]
    report = run(tmp_path, settings, rows)
    assert found(report, "choazi-id-town", "choazi-id-unknown") == [
        (3, "choazi-id-town", "駅北二丁目"),
        (4, "choazi-id-unknown", None),
    ]


def test_no_list_no_town_check(
    tmp_path: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PORTAL_TOWNS_DIR", str(tmp_path / "none"))
    rows = [address("静岡県焼津市駅比5丁目2-11", "静岡県", "焼津市", "駅比5丁目", "2-11")]
    assert found(run(tmp_path, settings, rows), "town-unknown") == []


ADDRESS_CHARS = list(
    "0123456789０１２３４５６７８９-－ー‐丁目番地号の一二三十百千大字小川町北ビル 　〒、（）"
)


@hypothesis.settings(max_examples=1000, deadline=None)
@hypothesis.given(
    hypothesis.strategies.text(hypothesis.strategies.sampled_from(ADDRESS_CHARS), max_size=16)
)
def test_the_screen_lets_every_unplaced_text_through(rest: str) -> None:
    # A consistent row is split again only when the screen matches: it must match every
    # address the split leaves text of.
    text = "静岡県焼津市" + rest
    parts = split_address(text, DIRECTORY, default_prefecture="静岡県", default_city="焼津市")
    if parts is not None and parts.unplaced:
        assert MAY_HOLD_UNPLACED.search(text)
