"""A national catalogue's matrix comes in pages: the office's own municipalities on every
page, then 50 of the others; a page number out of range or not a number shows the nearest."""

from __future__ import annotations

from datetime import UTC, datetime

from portal.coverage.model import Coverage, Organization
from portal.web.coverage import MATRIX_PAGE, matrix_page

ORGS = [Organization(f"{n:06d}", f"市{n}") for n in range(1, 121)]
MINE = ["000060", "000061"]


def shown(asked: str) -> tuple[list[str], dict[str, int]]:
    coverage = Coverage(ORGS, [], [], datetime(2026, 12, 4, tzinfo=UTC))
    organizations, pager = matrix_page(coverage, MINE, asked)
    return [o.lgcode for o in organizations], pager


def test_the_office_comes_first_on_every_page_then_the_others_in_pages() -> None:
    first, pager = shown("1")
    assert first[:2] == MINE and len(first) == 2 + MATRIX_PAGE and pager == {"page": 1, "pages": 3}
    last, _ = shown("3")
    assert last[:2] == MINE and last[2:] == [f"{n:06d}" for n in range(103, 121)]
    everyone = {code for page in ("1", "2", "3") for code in shown(page)[0]}
    assert everyone == {o.lgcode for o in ORGS}


def test_a_page_out_of_range_or_not_a_number_shows_the_nearest() -> None:
    assert shown("99")[1]["page"] == 3
    assert shown("0")[1]["page"] == 1 and shown("x")[1]["page"] == 1
