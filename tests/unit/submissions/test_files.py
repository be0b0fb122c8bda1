"""What an uploaded file becomes before anyone looks at it: a safe name, a size that was
counted as it came in, and a format found from its content, never from its name."""

from __future__ import annotations

import io
import shutil
import unicodedata
from pathlib import Path

import pytest

from portal.errors import PortalError
from portal.submissions.errors import UploadTooLarge
from portal.submissions.files import FALLBACK_NAME, NAME_MAX, folder, receive, sanitise_name
from tests.conftest import TEST_DATA

UPLOADS = TEST_DATA / "uploads"


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\yamada\\Desktop\\ＡＥＤ一覧.xlsx", "ＡＥＤ一覧.xlsx"),
        ("一覧\x00\x07.csv", "一覧.csv"),
        ("invoice\u202egnp.csv", "invoicegnp.csv"),  # a right-to-left override hides the real end
        ('a:b*c?"d"<e>|f.csv', "a_b_c__d__e__f.csv"),
        ("...", FALLBACK_NAME),
        ("   .hidden.csv", "hidden.csv"),
    ],
)
def test_a_file_name_is_made_safe(given: str, stored: str) -> None:
    assert sanitise_name(given) == stored


def test_a_file_name_is_composed_and_capped_with_its_extension() -> None:
    decomposed = unicodedata.normalize("NFD", "ガイド") + ".csv"
    assert sanitise_name(decomposed) == "ガイド.csv"
    long = "施設" * 200 + ".xlsx"
    capped = sanitise_name(long)
    assert len(capped) == NAME_MAX and capped.endswith(".xlsx")


def test_an_oversized_file_is_refused_while_it_comes_in_and_nothing_is_kept(tmp_path: Path) -> None:
    content = io.BytesIO(b"ID,name\r\n" + b"1,x\r\n" * 100_000)
    with pytest.raises(UploadTooLarge) as refused:
        receive(content, tmp_path, "u1", "big.csv", limit=64 * 1024)
    assert refused.value.status == 413
    assert "at most 0.1 MB" in refused.value.message_en  # 64 KiB, as a clerk reads sizes
    assert "上限 0.1 MB" in refused.value.message_ja
    assert content.tell() < 200_000  # stopped reading soon after the limit
    assert not folder(tmp_path, "u1").exists()


def test_the_format_comes_from_the_content_not_the_name(tmp_path: Path) -> None:
    named_csv = tmp_path / "aed.csv"
    shutil.copyfile(UPLOADS / "aed-department.xlsx", named_csv)
    with named_csv.open("rb") as content:
        received = receive(content, tmp_path, "u2", "aed.csv", limit=10**7)
    assert received.file_format == "xlsx" and received.name == "aed.csv"


@pytest.mark.parametrize("name", ["page.csv", "zip-named.csv", "binary.csv"])
def test_what_is_not_a_table_is_refused_with_why_and_nothing_is_kept(
    tmp_path: Path, name: str
) -> None:
    with (UPLOADS / name).open("rb") as content, pytest.raises(PortalError) as refused:
        receive(content, tmp_path, "u3", name, limit=10**7)
    assert refused.value.status in (415, 422) and refused.value.message_ja
    assert not folder(tmp_path, "u3").exists()
