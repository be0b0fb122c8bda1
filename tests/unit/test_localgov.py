"""全国地方公共団体コード: check digits, lookups and repairs."""

from __future__ import annotations

import csv

import pytest

from portal.errors import DefinitionInvalid, LocalGovCodeInvalid, LocalGovCodeNotFound
from portal.localgov import check_digit, is_valid, load, validate
from portal.localgov.build import build
from portal.localgov.directory import DATA_FILE


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("272248", "大阪府摂津市"),
        ("272108", "大阪府枚方市"),
        ("202193", "長野県東御市"),
        ("011002", "北海道札幌市"),
        ("270008", "大阪府"),
        ("131016", "東京都千代田区"),
    ],
)
def test_lookup_known_codes(code: str, name: str) -> None:
    assert load().lookup(code).full_name == name


def test_check_digit_of_documented_examples() -> None:
    assert check_digit("27224") == "8"
    assert check_digit("01100") == "2"
    assert check_digit("09201") == "1"


@pytest.mark.parametrize("wrong", ["272249", "272240", "202190", "011001"])
def test_wrong_check_digit_is_rejected_with_the_right_one(wrong: str) -> None:
    assert not is_valid(wrong)
    with pytest.raises(LocalGovCodeInvalid) as err:
        validate(wrong)
    expected = wrong[:5] + check_digit(wrong[:5])
    assert expected in err.value.message_en and expected in err.value.message_ja


@pytest.mark.parametrize("bad", ["27224", "2722488", "27224x", "２７２２４８", ""])
def test_malformed_codes_are_rejected(bad: str) -> None:
    with pytest.raises(LocalGovCodeInvalid, match="6 half-width digits"):
        validate(bad)


def test_well_formed_but_unused_code_is_not_found() -> None:
    unused = "99999" + check_digit("99999")
    with pytest.raises(LocalGovCodeNotFound):
        load().lookup(unused)


@pytest.mark.parametrize(
    ("damaged", "code"),
    [
        ("27224", "272248"),  # 5-digit JIS code: check digit added
        ("27205", "272051"),  # 国土地理院 file names use the 5-digit code (吹田市)
        ("11002", "011002"),  # leading zero stripped by a spreadsheet (札幌市)
        ("1100", "011002"),  # 5-digit code with its zero stripped
        (11002, "011002"),  # a number, as pandas reads it
        ("11002.0", "011002"),  # an Excel float
        ("２７２２４８", "272248"),  # full-width digits
        (" 272248 ", "272248"),
    ],
)
def test_repair(damaged: object, code: str) -> None:
    assert load().repair(damaged) == code


@pytest.mark.parametrize("hopeless", ["abc", "1", "272249"])
def test_repair_refuses_what_it_cannot_restore(hopeless: str) -> None:
    with pytest.raises(LocalGovCodeInvalid):
        load().repair(hopeless)


def test_every_packaged_code_is_valid_and_kinds_add_up() -> None:
    directory = load()
    assert len(directory) == 1963
    assert all(is_valid(body.lgcode) for body in directory)
    kinds = {k: sum(b.kind == k for b in directory) for k in ("prefecture", "city", "ward")}
    assert kinds == {"prefecture": 47, "city": 792, "ward": 175}


def test_package_data_is_built_from_the_reference(reference_dir, tmp_path) -> None:
    rebuilt = tmp_path / "localgov.csv"
    result = build(reference_dir / "localgov" / "localgov.csv", rebuilt)
    assert result.rows == 1963
    assert rebuilt.read_bytes() == DATA_FILE.read_bytes()


def test_build_refuses_a_bad_check_digit(tmp_path) -> None:
    source = tmp_path / "bad.csv"
    with source.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["lgcode", "prefecture", "name", "name_kana", "kind", "lat", "lng", "url"])
        w.writerow(["272249", "大阪府", "摂津市", "せっつし", "city", "34.77", "135.56", ""])
    with pytest.raises(DefinitionInvalid, match="line 2"):
        build(source, tmp_path / "out.csv")
    assert not (tmp_path / "out.csv").exists()
