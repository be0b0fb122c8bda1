"""`portal validate`: exit 0 valid, 1 not valid, 2 cannot be read; never a traceback."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from portal.cli import main
from tests.conftest import SAMPLES_DIR, TEST_DATA

CASES = TEST_DATA / "validate"


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch, datasets_copy: Path) -> None:
    monkeypatch.setenv("PORTAL_DATASETS_DIR", str(datasets_copy))


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["validate", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_valid_file_exits_0(capsys) -> None:
    code, out, _ = run(capsys, str(CASES / "evac-clean.csv"))
    assert code == 0 and "適合" in out and "指定緊急避難場所一覧" in out


def test_invalid_file_exits_1_with_a_table(capsys) -> None:
    code, out, _ = run(capsys, str(CASES / "date-wareki.csv"))
    assert code == 1 and "wareki-date" in out and "2026-05-28" in out


def test_json_to_stdout(capsys) -> None:
    code, out, _ = run(capsys, str(CASES / "postcode-hyphen.csv"), "--format", "json")
    body = json.loads(out)
    assert code == 1 and body["errors"][0]["code"] == "postcode-format"


def test_html_to_a_file(capsys, tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    code, out, err = run(
        capsys,
        str(SAMPLES_DIR / "aed" / "yaizu_aed_legacy.csv"),
        "--format",
        "html",
        "--out",
        str(target),
    )
    assert code == 0 and out == "" and "report written" in err
    assert "旧 推奨データセット" in target.read_text(encoding="utf-8")


def test_out_into_a_new_folder_and_into_an_impossible_one(capsys, tmp_path: Path) -> None:
    sample = str(SAMPLES_DIR / "aed" / "yaizu_aed_legacy.csv")
    target = tmp_path / "reports" / "2026-11" / "aed.json"
    code, _, err = run(capsys, sample, "--format", "json", "--out", str(target))
    assert code == 0 and json.loads(target.read_text(encoding="utf-8"))["valid"] is True
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    code, _, err = run(capsys, sample, "--out", str(blocker / "report.txt"))
    assert code == 2 and "output-unwritable" in err and "書き込めません" in err
    assert "Traceback" not in err and "internal error" not in err


def test_forced_dataset(capsys) -> None:
    code, out, _ = run(
        capsys,
        str(SAMPLES_DIR / "aed" / "yaizu_aed_legacy.csv"),
        "--dataset",
        "aed",
        "--format",
        "json",
    )
    body = json.loads(out)
    assert code == 1 and body["dataset"] == "aed"
    # The legacy names are matched by name (住所 is 所在地_連結表記 wherever it stands); 都道府県名
    # stands where 地方公共団体名 would, but the columns around it are moved: no field by position.
    columns = {c["label"]: c for c in body["detection"]["columns"]}
    assert (columns["住所"]["field"], columns["住所"]["how"]) == ("所在地_連結表記", "legacy")
    assert columns["都道府県名"]["field"] is None
    assert body["detection"]["unmatched"] == ["都道府県名", "市区町村名"]
    assert "地方公共団体名" in body["detection"]["missing"]
    assert not any(e["field"] == "所在地_連結表記" and e["code"] == "missing-label"
                   for e in body["errors"])  # fmt: skip


def test_unknown_dataset_exits_2(capsys) -> None:
    code, out, err = run(capsys, str(CASES / "evac-clean.csv"), "--dataset", "toilets")
    assert (
        code == 2
        and out == ""
        and err.startswith("error [dataset-not-found]")
        and "Traceback" not in err
    )


def _zip_named_csv(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("data.csv", "a,b\n1,2\n")


@pytest.mark.parametrize(
    ("name", "make", "words"),
    [
        ("empty.csv", lambda p: p.write_bytes(b""), "empty"),
        ("archive.csv", _zip_named_csv, "ZIP"),
        (
            "image.csv",
            lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8),
            "binary",
        ),
        ("missing.csv", lambda p: None, "not found"),
    ],
)
def test_unreadable_input_exits_2_with_one_clear_line(
    capsys, tmp_path: Path, name, make, words
) -> None:
    path = tmp_path / name
    make(path)
    code, out, err = run(capsys, str(path))
    assert code == 2 and out == "" and "Traceback" not in err
    first = err.splitlines()[0]
    assert (
        first.startswith("error [input-unreadable]")
        and words.lower() in first.lower()
        and name in first
    )
