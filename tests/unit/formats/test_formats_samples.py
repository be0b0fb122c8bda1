"""The twelve real municipal CSVs: all read, as the csv module reads them, row for row."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from portal.formats import open_table
from portal.formats.registry import formats

# (file, records including the header, columns, newline) from the samples' README.
SAMPLES = [
    ("aed/yaizu_aed_legacy.csv", 61, 22, "\r\n"),
    ("care_service/ichikawa_care.csv", 56, 36, "\r\n"),
    ("cultural_property/ichikawa_bunkazai.csv", 33, 45, "\r\n"),
    ("evacuation_shelter/sakai_gsi_hinanjo.csv", 61, 10, "\n"),
    ("evacuation_space/suita_gsi_kinkyu.csv", 101, 16, "\n"),
    ("event/yaizu_event.csv", 14, 80, "\r\n"),
    ("fire_hydrant/yaizu_fire_water.csv", 38, 16, "\r\n"),
    ("preschool/yaizu_preschool_legacy.csv", 36, 28, "\r\n"),
    ("public_facility/yaizu_facility_legacy.csv", 33, 24, "\r\n"),
    ("public_toilet/yaizu_toilet.csv", 53, 39, "\r\n"),
    ("public_wireless_lan/ichikawa_wifi.csv", 46, 28, "\r\n"),
    ("tourism/ichikawa_keikan100.csv", 13, 59, "\r\n"),
]


def test_every_sample_is_listed(samples: Path) -> None:
    assert sorted(p.relative_to(samples).as_posix() for p in samples.glob("*/*.csv")) == sorted(
        name for name, *_ in SAMPLES
    )


@pytest.mark.parametrize(("name", "records", "columns", "newline"), SAMPLES)
def test_sample_reads_like_the_csv_module(
    samples: Path, name: str, records: int, columns: int, newline: str
) -> None:
    path = samples / name
    with open_table(path) as table:
        rows = list(table.rows())
        info = table.info
    with path.open(encoding="utf-8", newline="") as f:
        assert rows == list(csv.reader(f))
    assert (info.format, info.encoding, info.bom) == ("csv", "utf-8", False)
    assert (info.newline, info.delimiter) == (newline, ",")
    assert len(rows) == records
    assert {len(row) for row in rows} == {columns}


def test_quoted_line_breaks_in_bunkazai(samples: Path) -> None:
    with open_table(samples / "cultural_property/ichikawa_bunkazai.csv") as table:
        rows = list(table.rows())
    kind, owner, name = (rows[0].index(h) for h in ("種類", "所有者等", "名称"))
    # Rows count records: the file has 37 lines but 33 records.
    assert (rows[2][name], rows[2][owner], rows[2][kind]) == ("隋神門", "葛飾八幡宮", "建造物")
    assert rows[3][name].startswith("狩野浄天夫妻墓石")
    assert rows[3][kind] == "建造物\n歴史資料"
    assert rows[3][owner] == "狩野一廣\n歴史博物館"
    assert rows[25][kind] == "美術工芸品・書跡\n美術工芸品・書跡\n美術工芸品・工芸品"
    assert rows[-1][0] == "122033"


@pytest.mark.parametrize(
    ("encoding", "bom", "detected", "count"),
    [
        ("cp932", b"", "cp932", 12),
        # Four samples hold ～ or － (FULLWIDTH TILDE / HYPHEN-MINUS), which EUC-JP lacks.
        ("euc-jp", b"", "euc-jp", 8),
        ("utf-8", b"\xef\xbb\xbf", "utf-8-sig", 12),
        ("utf-16-le", b"\xff\xfe", "utf-16", 12),
        ("utf-16-le", b"", "utf-16-le", 12),
    ],
)
def test_samples_re_encoded(
    samples: Path, tmp_path: Path, encoding: str, bom: bytes, detected: str, count: int
) -> None:
    # The samples are UTF-8; uploads are often not. Every sample the
    # encoding can hold must read back the same.
    done = []
    for name, *_ in SAMPLES:
        text = (samples / name).read_bytes().decode("utf-8")
        try:
            data = bom + text.encode(encoding)
        except UnicodeEncodeError:
            continue
        copy = tmp_path / Path(name).name
        copy.write_bytes(data)
        with open_table(copy) as table, open_table(samples / name) as original:
            assert table.info.encoding == detected, name
            assert list(table.rows()) == list(original.rows()), name
            assert table.info.newline == original.info.newline
        done.append(name)
    assert len(done) == count


def test_both_plugins_are_registered() -> None:
    registered = formats()
    assert list(registered) == ["spreadsheet", "csv"]
    assert registered["spreadsheet"].formats == ("xlsx", "xls", "ods")
    assert registered["csv"].formats == ("csv",)
