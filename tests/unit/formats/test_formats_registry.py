"""open_table on files that are not tables: every one gets an InputUnreadable a clerk can act on."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from portal.errors import InputUnreadable
from portal.formats import Limits, open_table


def refusal(path: Path, **kwargs: object) -> InputUnreadable:
    with pytest.raises(InputUnreadable) as err:
        with open_table(path, **kwargs) as table:  # type: ignore[arg-type]
            for _ in table.rows():
                pass
    assert err.value.exit_code == 2
    assert err.value.location is not None and err.value.location.file == path.name
    return err.value


def test_file_not_found(tmp_path: Path) -> None:
    err = refusal(tmp_path / "nothing.csv")
    assert err.message_en == "nothing.csv: file not found"
    assert err.message_ja == "nothing.csv: ファイルが見つかりません"


def test_folder(tmp_path: Path) -> None:
    (tmp_path / "dir.csv").mkdir()
    assert "not a file" in refusal(tmp_path / "dir.csv").message_en


@pytest.mark.parametrize("name", ["empty.csv", "bom-and-blank-lines.csv"])
def test_empty_file(data: Path, name: str) -> None:
    err = refusal(data / name)
    assert err.message_en == f"{name}: the file is empty"
    assert "ファイルが空です" in err.message_ja


def test_utf16_blank_file_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "blank16.csv"
    path.write_bytes(b"\xff\xfe" + " \r\n\r\n".encode("utf-16-le"))
    assert "the file is empty" in refusal(path).message_en


def test_blank_beyond_the_first_chunk_is_still_empty(tmp_path: Path) -> None:
    path = tmp_path / "spaces.csv"
    path.write_bytes(b"\r\n" * 100_000)
    assert "the file is empty" in refusal(path).message_en
    path.write_bytes(b"\r\n" * 100_000 + b"a,b\r\n")
    with open_table(path) as table:
        rows = list(table.rows())
    assert (len(rows), rows[-1]) == (100_001, ["a", "b"])


def test_zip_named_csv(data: Path) -> None:
    err = refusal(data / "zip-named.csv")
    assert "named .csv but it is a ZIP archive" in err.message_en
    assert "a ZIP archive, not a table" in err.message_en
    assert "ZIP 圧縮ファイル" in err.message_ja
    assert "extract the table" in err.to_dict()["hint_en"]


def test_zip_named_zip(data: Path, tmp_path: Path) -> None:
    path = tmp_path / "opendata.zip"
    path.write_bytes((data / "zip-named.csv").read_bytes())
    assert refusal(path).message_en == "opendata.zip: the file is a ZIP archive, not a table"


def test_png_named_csv(data: Path) -> None:
    err = refusal(data / "png-named.csv")
    assert err.message_en == "png-named.csv: binary file (a PNG image), not a table"
    assert "PNG 画像" in err.message_ja


def test_binary_file(data: Path) -> None:
    assert refusal(data / "binary-named.csv").message_en == (
        "binary-named.csv: binary file, not a table"
    )


@pytest.mark.parametrize(
    "content",
    [
        bytes(4096),  # a file of zeros, as a failed copy leaves
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
        random.Random(1).randbytes(5000).replace(b"\x00", b"\x01"),  # no NULs at all
    ],
)
def test_other_binary_content(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "data.csv"
    path.write_bytes(content)
    assert "binary file" in refusal(path).message_en


def test_too_big(data: Path) -> None:
    err = refusal(data / "plain-utf8.csv", limits=Limits(max_file_bytes=100))
    assert "the file is too big" in err.message_en


@pytest.mark.parametrize("seed", range(3))
def test_damaged_files_never_raise_anything_else(data: Path, tmp_path: Path, seed: int) -> None:
    # Every committed file, cut short or with bytes overwritten, either reads
    # or raises InputUnreadable: nothing raw may reach the validator.
    rng = random.Random(seed)
    for source in sorted(data.iterdir()):
        if source.suffix == ".py":
            continue
        body = bytearray(source.read_bytes())
        if not body:
            continue
        cut = bytes(body[: rng.randrange(1, len(body) + 1)])
        for i in rng.sample(range(len(body)), min(8, len(body))):
            body[i] = rng.randrange(256)
        for variant, content in (("cut", cut), ("noisy", bytes(body))):
            path = tmp_path / f"{variant}-{source.name}"
            path.write_bytes(content)
            try:
                with open_table(path) as table:
                    for _ in table.rows():
                        pass
            except InputUnreadable:
                pass
