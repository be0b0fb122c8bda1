"""portal.normalize.corporate: 法人番号 check digits and Excel damage."""

from __future__ import annotations

import pytest

from portal.normalize.corporate import (
    corporate_check_digit,
    corporate_number_problem,
    is_valid_corporate_number,
    normalize_corporate_number,
)

# Every 法人番号 in 市川市's 介護サービス事業所一覧 (samples/care_service/ichikawa_care.csv).
ICHIKAWA_CARE = [
    "1010005004837",
    "2010005014562",
    "2010505000616",
    "2040005002291",
    "3040005004056",
    "3040005004064",
    "3040005004386",
    "3080405006813",
    "4040005004063",
    "4050005001613",
    "5040005003956",
    "5040005004062",
    "5040005004434",
    "6011705000451",
    "6110005010151",
    "7040005004390",
    "7040005005802",
    "7270005003873",
    "8030005012781",
    "8040005016170",
    "9040005004331",
    "9040005004612",
]


@pytest.mark.parametrize("number", ICHIKAWA_CARE)
def test_real_numbers_are_valid(number: str) -> None:
    assert corporate_check_digit(number[1:]) == number[0]
    assert is_valid_corporate_number(number)
    assert corporate_number_problem(number) is None


@pytest.mark.parametrize(
    ("base", "digit"),
    [
        ("040005004064", "3"),
        ("123456789012", "7"),  # the worked example of the ministerial ordinance's formula
        ("000000000000", "9"),  # a sum divisible by 9 gives 9, never 0
        ("000000000009", "9"),
        ("000000000001", "8"),
    ],
)
def test_check_digit(base: str, digit: str) -> None:
    assert corporate_check_digit(base) == digit


@pytest.mark.parametrize(
    "base", ["", "04000500406", "0400050040640", "04000500406a", "０４０００５００４０６４"]
)
def test_check_digit_needs_twelve_ascii_digits(base: str) -> None:
    with pytest.raises(ValueError):
        corporate_check_digit(base)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "304000500406",  # 12 digits
        "30400050040640",
        "4040005004064",  # wrong check digit
        "３０４０００５００４０６４",  # valid once cleaned, but not publishable as is
        "3040005004064 ",
        "3-0400-0500-4064",
        "1.00E+12",
    ],
)
def test_is_valid_is_strict(text: str) -> None:
    assert not is_valid_corporate_number(text)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        # 焼津市 イベント: every row holds 1.00E+12
        ("1.00E+12", "scientific"),
        ("1.23457E+12", "scientific"),
        ("3.04E+12", "scientific"),
        ("3.040005E+012", "scientific"),
        ("1e+12", "scientific"),
        ("１．００Ｅ＋１２", "scientific"),
        ("", "length"),
        ("304000500406", "length"),
        ("30400050040640", "length"),
        ("304000500406X", "length"),
        ("なし", "length"),
        ("3040005004064.0", "length"),
        ("4040005004064", "check-digit"),
        ("3040005004065", "check-digit"),
        ("３０４０００５００４０６５", "check-digit"),
        ("３０４０００５００４０６４", "format"),
        ("3 040005 004064", "format"),
        ("3-0400-0500-4064", "format"),
        (" 3040005004064 ", "format"),
    ],
)
def test_corporate_number_problem(text: str, problem: str) -> None:
    assert corporate_number_problem(text) == problem


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3040005004064", "3040005004064"),
        ("３０４０００５００４０６４", "3040005004064"),
        ("3-0400-0500-4064", "3040005004064"),
        (" 6110005010151\u3000", "6110005010151"),
        ("4040005004064", None),
        ("1.00E+12", None),
        ("", None),
    ],
)
def test_normalize_corporate_number(text: str, expected: str | None) -> None:
    assert normalize_corporate_number(text) == expected
