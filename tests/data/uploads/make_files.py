"""Department files for the upload tests, one quirk each:

- aed-department.xlsx: 焼津市's AED list as a department keeps it — a title row and a
  date row (和暦: 令和8年4月1日現在) above its own column names (施設名称, 設置場所, 所在地,
  連絡先), full-width digits in the phone numbers, the addresses naming 焼津市.
- aed-next-month.xlsx: the same table a month later, one row more.
- minutes.csv: a table of something no standard dataset is (会議録): needs a choice.
- zip-named.csv: a ZIP archive named .csv. binary.csv: bytes with NULs. page.csv: a web page.

Run from the repository root: `.venv/bin/python tests/data/uploads/make_files.py`.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).parent
ROWS = [
    ["市役所本館", "２階正面入口", "静岡県焼津市本町二丁目16番32号", "０５４－６２６－１１３９"],
    ["アトレ庁舎", "1階受付", "静岡県焼津市本町五丁目6番1号", "054-626-2171"],
    ["消防防災センター", "１階フロア", "静岡県焼津市八楠四丁目13番地の7", "０５４－６２３－２５５４"],
]  # fmt: skip
MORE = [["大井川庁舎", "1階ロビー", "静岡県焼津市宗高900番地", "054-662-0511"]]


def aed(name: str, rows: list[list[str]]) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "AED"
    sheet.append(["焼津市 AED設置場所一覧"])
    sheet.append(["令和8年4月1日現在"])
    sheet.append(["施設名称", "設置場所", "所在地", "連絡先"])
    for row in rows:
        sheet.append(row)
    book.save(HERE / name)


def main() -> None:
    aed("aed-department.xlsx", ROWS)
    aed("aed-next-month.xlsx", ROWS + MORE)
    (HERE / "minutes.csv").write_text(
        "会議名,開催回,議題,発言者\r\n定例会,第1回,予算について,議長\r\n定例会,第2回,条例案,副議長\r\n",
        encoding="cp932",
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("data.csv", "a,b\r\n1,2\r\n")
    (HERE / "zip-named.csv").write_bytes(buf.getvalue())
    (HERE / "binary.csv").write_bytes(bytes(range(256)) * 8)
    (HERE / "page.csv").write_text(
        "<!DOCTYPE html>\n<html><head><title>ログイン</title></head><body>a,b</body></html>\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
