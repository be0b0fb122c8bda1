"""portal.normalize.phone: JP phone and FAX numbers in the canonical national form."""

from __future__ import annotations

import pytest

from portal.normalize.phone import is_standard_phone, normalize_phone


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("(0265)22-2077", "0265-22-2077"),
        ("0778－21－2019", "0778-21-2019"),  # full-width minus
        ("０５４－６２６－１１３９", "054-626-1139"),
        # 市川市 Wi-Fi and 介護: brackets around the area code
        ("(047)712-8569", "047-712-8569"),
        ("(047)335-7361", "047-335-7361"),
        # 焼津市 AED / 子育て施設, including the trailing space as published
        ("(054)626-1139", "054-626-1139"),
        ("(054)629-3520 ", "054-629-3520"),
        ("054-627-4115", "054-627-4115"),
        ("054-253-6715", "054-253-6715"),
        ("（０５４）６２６－１１３９", "054-626-1139"),
        ("090-9127-0870", "090-9127-0870"),  # mobile
        ("09091270870", "090-9127-0870"),
        ("0120-123-456", "0120-123-456"),  # toll free
        ("0800-123-4567", "0800-123-4567"),
        ("050-1234-5678", "050-1234-5678"),  # IP phone
        ("0570-000-123", "0570-000-123"),  # navi dial
        ("+81 3-1234-5678", "03-1234-5678"),
        ("+81-54-626-1139", "054-626-1139"),
        ("0312345678", "03-1234-5678"),
        ("03(1234)5678", "03-1234-5678"),
        ("03 1234 5678", "03-1234-5678"),
        ("047.712.8569", "047-712-8569"),
        ("03ー1234ー5678", "03-1234-5678"),  # long-vowel mark typed as a dash
        ("03‐1234‐5678", "03-1234-5678"),  # U+2010
        ("03−1234−5678", "03-1234-5678"),  # U+2212
        ("\u300003-1234-5678\u3000", "03-1234-5678"),
    ],
)
def test_normalize_phone(text: str, expected: str) -> None:
    assert normalize_phone(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "(00)0000-0000",  # the standard's placeholder example
        "03-1234-567",  # a digit short
        "123",
        "110",
        "047-712-8569 内線123",  # the extension has its own column
        "03-1234-5678（代表）",
        "03-1234-5678 ext. 12",
        "TEL 03-1234-5678",
        "+1 650 253 0000",  # valid, but not Japanese
        "なし",
        "-",
        "03-1234-5678;03-1234-5679",
    ],
)
def test_normalize_phone_rejects(text: str) -> None:
    assert normalize_phone(text) is None


@pytest.mark.parametrize(
    "text", ["054-626-1139", "090-9127-0870", "0120-123-456", "0265-22-2077", "03-1234-5678"]
)
def test_canonical_form_is_standard(text: str) -> None:
    assert is_standard_phone(text)


@pytest.mark.parametrize(
    "text",
    [
        "(054)626-1139",  # acceptable input, but not the canonical form
        "(054)629-3520 ",
        "0546261139",
        "054 626 1139",
        "０５４－６２６－１１３９",
        "+81 54-626-1139",
        "(00)0000-0000",
        "",
    ],
)
def test_other_forms_are_not_standard(text: str) -> None:
    assert not is_standard_phone(text)


@pytest.mark.parametrize("text", ["(047)712-8569", "0778－21－2019", "+81 3-1234-5678"])
def test_normalized_phone_is_standard(text: str) -> None:
    normalized = normalize_phone(text)
    assert normalized is not None
    assert is_standard_phone(normalized)
