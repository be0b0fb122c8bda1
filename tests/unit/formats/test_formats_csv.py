"""CSV reading: encodings, newlines, delimiters, records, and the limits that keep memory bounded."""

from __future__ import annotations

import codecs
import csv
import io
import random
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from portal.errors import InputUnreadable
from portal.formats import Limits, open_table
from portal.formats.csv.encoding import SAMPLE_BYTES, detect, rank_legacy
from portal.formats.csv.reader import split_lines

REFERENCE = [
    ["NO", "名称", "住所", "設置者", "備考"],
    ["0000100001", "焼津市役所\u3000本庁舎", "静岡県焼津市本町2-16-32", "焼津市", "①正面入口"],
    ["0000100002", "髙﨑クリニック", "静岡県焼津市小川3808", "㈱髙﨑メディカル", "２階"],
    ["0000100003", "ﾃﾞｨｽｶﾊﾞﾘｰﾊﾟｰｸ焼津", "静岡県焼津市田尻2968-1", "焼津市", ""],
]


def read(path: Path, **kwargs: Any) -> list[list[str]]:
    with open_table(path, **kwargs) as table:
        return list(table.rows())


@pytest.mark.parametrize(
    ("name", "encoding", "bom", "newline", "delimiter"),
    [
        ("plain-utf8.csv", "utf-8", False, "\r\n", ","),
        ("cp932-with-nec-chars.csv", "cp932", False, "\r\n", ","),
        ("utf8-bom.csv", "utf-8-sig", True, "\r\n", ","),
        ("utf16le-bom.csv", "utf-16", True, "\r\n", ","),
        ("utf16be-bom.csv", "utf-16", True, "\r\n", ","),
        ("utf16le-no-bom.csv", "utf-16-le", False, "\r\n", ","),
        ("cr-newlines.csv", "utf-8", False, "\r", ","),
        ("tab-separated.tsv", "utf-8", False, "\r\n", "\t"),
    ],
)
def test_same_table_in_different_bytes(
    data: Path, name: str, encoding: str, bom: bool, newline: str, delimiter: str
) -> None:
    with open_table(data / name) as table:
        assert list(table.rows()) == REFERENCE
        info = table.info
    assert (info.format, info.encoding, info.bom) == ("csv", encoding, bom)
    assert (info.newline, info.delimiter) == (newline, delimiter)
    assert (info.sheet, info.sheets, info.hidden_sheets, table.features) == (None, [], [], [])


def test_cp932_keeps_nec_and_ibm_characters(data: Path) -> None:
    rows = read(data / "cp932-with-nec-chars.csv")
    assert rows[1][4] == "①正面入口"
    assert rows[2][1:4:2] == ["髙﨑クリニック", "㈱髙﨑メディカル"]
    # Strict Shift_JIS could not have read this file at all.
    with pytest.raises(UnicodeDecodeError):
        (data / "cp932-with-nec-chars.csv").read_bytes().decode("shift_jis")


def test_euc_jp(data: Path) -> None:
    with open_table(data / "euc-jp.csv") as table:
        assert table.info.encoding == "euc-jp"
        rows = list(table.rows())
    assert rows[2] == [
        "0000100002",
        "高崎クリニック",
        "静岡県焼津市小川3808",
        "(株)高崎メディカル",
        "２階",
    ]


def test_euc_jp_that_cp932_also_decodes_is_ranked(data: Path) -> None:
    path = data / "euc-jp-also-valid-cp932.csv"
    path.read_bytes().decode("cp932")  # the ambiguity this file exists for
    assert rank_legacy(path) == "euc-jp"
    assert read(path) == [["カナ", "ナマエ"], ["アイウ", "カキク"]]


def test_encoding_argument_overrides_detection(data: Path) -> None:
    path = data / "cp932-with-nec-chars.csv"
    with open_table(path, encoding="Shift_JIS") as table:
        # Whoever says Shift_JIS means cp932, or ① would not decode.
        assert table.info.encoding == "cp932"
        assert list(table.rows()) == REFERENCE
    with open_table(data / "utf8-bom.csv", encoding="utf-8") as table:
        assert table.info.encoding == "utf-8-sig"
        assert next(iter(table.rows()))[0] == "NO"


def test_wrong_encoding_argument_is_reported_at_the_row(data: Path) -> None:
    with (
        pytest.raises(InputUnreadable) as err,
        open_table(data / "cp932-with-nec-chars.csv", encoding="utf-8") as t,
    ):
        list(t.rows())
    assert err.value.location is not None and err.value.location.row == 1
    assert "cannot be decoded as utf-8" in err.value.message_en


def test_unknown_encoding_argument(data: Path) -> None:
    with pytest.raises(InputUnreadable, match="unknown encoding 'klingon'"):
        open_table(data / "plain-utf8.csv", encoding="klingon")


def test_records_not_lines(data: Path) -> None:
    rows = read(data / "quoted-line-breaks.csv")
    assert rows == [
        ["NO", "種類", "所有者等"],
        ["1", "建造物\n歴史資料", "狩野一廣\n歴史博物館"],
        ["2", "美術工芸品\n工芸品\n書跡", '"Wanpaku" の会'],
        ["3", "建造物", "葛飾八幡宮"],
    ]


def test_blank_leading_rows_are_rows(data: Path) -> None:
    rows = read(data / "blank-leading-rows.csv")
    assert rows[:3] == [[], [], REFERENCE[0]]
    assert len(rows) == 6


def test_ragged_rows_are_returned_as_they_are(data: Path) -> None:
    assert read(data / "ragged-rows.csv") == [
        ["a", "b", "c"],
        ["1", "2"],
        ["1", "2", "3", "4"],
        [],
        ["5"],
    ]


def test_rows_can_be_read_again(data: Path) -> None:
    with open_table(data / "cp932-with-nec-chars.csv") as table:
        first = list(table.rows())
        assert list(table.rows()) == first
    with pytest.raises(RuntimeError):
        table.rows()


def test_mixed_encodings_are_reported_at_the_bad_row(data: Path) -> None:
    # A UTF-8 file with row 3 pasted in from a cp932 file: reading it as cp932
    # would turn the whole file into mojibake, so it is UTF-8 with a bad row.
    with open_table(data / "utf8-with-cp932-row.csv") as table:
        assert table.info.encoding == "utf-8"
        rows = table.rows()
        assert next(rows) == ["NO", "名称"]
        assert next(rows) == ["1", "市役所"]
        with pytest.raises(InputUnreadable) as err:
            next(rows)
    assert err.value.location is not None and err.value.location.row == 3
    assert "cannot be decoded as utf-8" in err.value.message_en
    assert "3行目" in err.value.message_ja


def test_undecodable_bytes_after_the_sample(tmp_path: Path) -> None:
    path = tmp_path / "late.csv"
    line = "焼津市役所,静岡県焼津市本町2-16-32,054-626-1111\r\n".encode()
    count = SAMPLE_BYTES // len(line) + 100
    with path.open("wb") as f:
        f.write(b"name,address,phone\r\n")
        for _ in range(count):
            f.write(line)
        f.write("髙﨑,㈱,x\r\n".encode("cp932"))
        f.write(line)
    with open_table(path) as table:
        assert table.info.encoding == "utf-8"
        with pytest.raises(InputUnreadable) as err:
            for _ in table.rows():
                pass
    assert err.value.location is not None and err.value.location.row == count + 2
    assert "utf-8" in err.value.message_en and "mixes encodings" in err.value.message_en


def test_a_huge_line_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "one-line.csv"
    chunk = b"a," * (512 << 10)  # 1 MB
    with path.open("wb") as f:
        f.write(b"x,y\r\n")
        for _ in range(8):
            f.write(chunk)
    limits = Limits(max_record_bytes=1 << 20)
    tracemalloc.start()
    try:
        with pytest.raises(InputUnreadable) as err, open_table(path, limits=limits) as table:
            for _ in table.rows():
                pass
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "without a line break" in err.value.message_en
    assert err.value.location is not None and err.value.location.row == 2
    # The file is 8 MB; never more than about two lines' worth is held.
    assert peak < 3 << 20


def test_a_huge_utf16_line_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "one-line-utf16.csv"
    path.write_bytes(codecs.BOM_UTF16_LE + ("x,y\r\n" + "あ" * 50_000).encode("utf-16-le"))
    with (
        pytest.raises(InputUnreadable, match="without a line break"),
        open_table(path, limits=Limits(max_record_bytes=10_000)) as table,
    ):
        list(table.rows())


def test_unclosed_quote_hits_the_cell_limit(data: Path) -> None:
    with (
        pytest.raises(InputUnreadable) as err,
        open_table(data / "unclosed-quote.csv", limits=Limits(max_cell_chars=10)) as table,
    ):
        list(table.rows())
    assert err.value.location is not None and err.value.location.row == 2
    assert "longer than 10 characters" in err.value.message_en
    assert "not closed" in err.value.message_en


def test_cells_up_to_the_limit_are_read(tmp_path: Path) -> None:
    path = tmp_path / "long-cell.csv"
    cell = "説明" * 100_000  # beyond the csv module's default 131,072
    path.write_text(f'id,text\r\n1,"{cell}"\r\n', encoding="utf-8")
    assert read(path)[1] == ["1", cell]


def test_big_cr_only_file_is_split_at_every_carriage_return(tmp_path: Path) -> None:
    path = tmp_path / "mac.csv"
    rows = [[f"{i}", "焼津市" * (i % 7)] for i in range(500)]
    path.write_bytes("".join(",".join(r) + "\r" for r in rows).encode())
    assert read(path, limits=Limits(max_record_bytes=100)) == rows


@pytest.mark.parametrize("seed", range(5))
def test_line_splitting_matches_the_csv_module(seed: int) -> None:
    rng = random.Random(seed)
    endings = ["\r\n", "\n", "\r"]
    text = "".join(
        "x" * rng.randrange(0, 30) + ',"q\r\nq"' * rng.randrange(0, 2) + rng.choice(endings)
        for _ in range(300)
    )
    lines = [raw.decode() for raw in split_lines(io.BytesIO(text.encode()), 40)]
    assert "".join(lines) == text
    assert list(csv.reader(lines)) == list(csv.reader(io.StringIO(text, newline="")))


def test_detection_does_not_fail_on_a_character_cut_by_the_sample(tmp_path: Path) -> None:
    path = tmp_path / "cut.csv"
    # 3-byte characters from offset 1, so the sample ends inside one.
    path.write_bytes(b"a" + "あ".encode() * (SAMPLE_BYTES // 3 + 10))
    with path.open("rb") as f:
        head = f.read(64 << 10)
    assert detect(path, head, complete=False) == "utf-8"
