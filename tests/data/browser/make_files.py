"""The department file of the browser walkthrough (tests/browser/test_upload_flow.py):
焼津市's イベント予定 as 観光交流課 keeps it in Excel — a title row and a date row above its
own column names, 和暦 dates (令和8年5月3日), full-width digits in the phone numbers and the
fees. `event-next-month.xlsx`: the same table a month later, one event more.

Run from the repository root: `.venv/bin/python tests/data/browser/make_files.py`.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).parent
HEADER = ["行事名", "開催日", "終了日", "会場", "料金", "問い合わせ電話", "主催"]
ROWS = [
    ["焼津みなと祭り", "令和8年5月3日", "令和8年5月4日", "焼津漁港", "無料", "０５４－６２６－２１４５", "焼津市"],
    ["ふれあい陶芸教室", "令和8年5月16日", "令和8年5月16日", "焼津市文化センター", "１５００", "054-627-3111", "焼津市文化振興課"],
    ["親子さかな料理教室", "令和8年5月24日", "令和8年5月24日", "ターントクルこども館", "５００", "０５４－６２０－００５１", "焼津市"],
]  # fmt: skip
MORE = [["大井川港朝市", "令和8年6月7日", "令和8年6月7日", "大井川港", "無料", "054-662-0511", "焼津市"]]  # fmt: skip


def events(name: str, rows: list[list[str]]) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "行事予定"
    sheet.append(["焼津市 行事予定（観光交流課）"])
    sheet.append(["令和8年4月25日更新"])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    book.save(HERE / name)


def main() -> None:
    events("event-department.xlsx", ROWS)
    events("event-next-month.xlsx", ROWS + MORE)


if __name__ == "__main__":
    main()
