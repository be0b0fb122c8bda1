"""portal.normalize.postcode: 郵便番号 as 7 digits."""

from __future__ import annotations

import pytest

from portal.normalize.postcode import normalize_postcode


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 市川市 Wi-Fi publishes 郵便番号 with a hyphen
        ("272-8501", "2728501"),
        ("272-0023", "2720023"),
        ("〒272-0023", "2720023"),
        ("〒 272-0023", "2720023"),
        ("〶272-0023", "2720023"),
        ("２７２－００２３", "2720023"),
        ("〒２７２－００２３", "2720023"),
        ("2720023", "2720023"),
        ("272 0023", "2720023"),
        ("272\u30000023", "2720023"),
        ("272ー0023", "2720023"),  # long-vowel mark typed as a hyphen
        ("272−0023", "2720023"),
        (" 425-8502 ", "4258502"),
        ("060-0001", "0600001"),
    ],
)
def test_normalize_postcode(text: str, expected: str) -> None:
    assert normalize_postcode(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "600001",  # 060-0001 after Excel dropped the zero: not guessed
        "272-002",
        "272-00233",
        "27200233",
        "2720-023",
        "272--0023",
        "〒",
        "千葉県市川市八幡1-1-1",
        "272-0023 市川市",
        "ABC-DEFG",
    ],
)
def test_normalize_postcode_rejects(text: str) -> None:
    assert normalize_postcode(text) is None
