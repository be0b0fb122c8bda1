"""The upload bundle for staff, where no API contract with ORDEN exists: one zip per dataset
with the published (validated, UTF-8) CSV, its metadata as a sheet (xlsx and CSV: ORDEN's
field, the value, our field it came from) and checklist.md — the steps in ORDEN's screens,
in Japanese first, then English."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from portal.connectors.orden.mapping import as_text

SHEET_TITLE = "メタデータ"
SHEET_HEADER = ("項目 (ORDEN)", "値 / value", "元の項目 / our field")
METADATA_XLSX = "metadata.xlsx"
METADATA_CSV = "metadata.csv"
CHECKLIST = "checklist.md"
# A fixed time for every zip entry: the server's clock says nothing staff need.
ZIP_TIME = (2020, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class BundleInput:
    dataset: str  # our dataset's name
    catalog_id: str
    topic: str | None
    csv_name: str
    csv_bytes: bytes  # the published CSV, UTF-8
    metadata: Mapping[str, Any]  # ORDEN's field → value, in the mapping's order
    sources: Mapping[str, str]  # ORDEN's field → our field (constants: "")
    rows: int | None
    validation: str | None


def sheet_rows(bundle: BundleInput) -> list[tuple[str, str, str]]:
    return [(field, as_text(value), bundle.sources.get(field, "")) for field, value in bundle.metadata.items()]  # fmt: skip


def metadata_xlsx(bundle: BundleInput) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.title = SHEET_TITLE
    sheet.append(SHEET_HEADER)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in sheet_rows(bundle):
        sheet.append(row)
    for column, width in zip("ABC", (28, 60, 24), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def metadata_csv(bundle: BundleInput) -> bytes:
    """UTF-8 with a BOM: staff open it in Excel, which reads UTF-8 only with one."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(SHEET_HEADER)
    writer.writerows(sheet_rows(bundle))
    return out.getvalue().encode("utf-8-sig")


def checklist(bundle: BundleInput) -> str:
    topic = bundle.topic or "（未設定 / not set）"
    rows = "?" if bundle.rows is None else str(bundle.rows)
    return f"""# ORDEN 登録チェックリスト: {bundle.dataset}

カタログID: `{bundle.catalog_id}` ／ トピック名: `{topic}`

1. [ ] ORDEN にテナント管理者（またはカタログ編集権限のある利用者）でログインする。
2. [ ] カタログ一覧でカタログID `{bundle.catalog_id}`（トピック名 `{topic}`）のカタログを開く。
   無い場合は作成し、カタログIDをポータルの連携設定（ids）に記入する。
3. [ ] `{METADATA_XLSX}`（または `{METADATA_CSV}`）の各項目をカタログのメタデータに転記する。
4. [ ] CSVファイル登録で `{bundle.csv_name}` を登録する（UTF-8、{rows}件）。
5. [ ] 登録後の件数・先頭行が `{bundle.csv_name}` と一致することを確認する。
6. [ ] 購読者（通知先）の設定が必要なら、通知URL・HTTPメソッド・認証方式を確認する。
7. [ ] 登録日と担当者を記録する。

このCSVはポータルで標準の検証を通過した公開版です（検証結果: {bundle.validation or "不明"}）。
ファイルを編集しないでください。修正はポータルで行い、バンドルを作り直してください。

---

# ORDEN registration checklist: {bundle.dataset}

Catalog ID: `{bundle.catalog_id}` / topic name: `{topic}`

1. [ ] Log in to ORDEN as the tenant administrator (or a user who may edit the catalog).
2. [ ] Open the catalog with catalog ID `{bundle.catalog_id}` (topic `{topic}`); if there is
   none, create it and put its catalog ID in the portal's connector file (ids).
3. [ ] Copy each field of `{METADATA_XLSX}` (or `{METADATA_CSV}`) into the catalog's metadata.
4. [ ] Register `{bundle.csv_name}` with the CSV file registration (UTF-8, {rows} rows).
5. [ ] Check that the row count and first rows shown match `{bundle.csv_name}`.
6. [ ] If a subscriber (notification) is needed, check its URL, HTTP method and authentication.
7. [ ] Record the date and who registered it.

This CSV is the published version that passed the portal's validation (validation:
{bundle.validation or "unknown"}). Do not edit it: correct the data in the portal and make
the bundle again.
"""


def build_bundle(bundle: BundleInput) -> bytes:
    """The zip's bytes: the CSV, metadata.xlsx, metadata.csv and checklist.md."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in (
            (bundle.csv_name, bundle.csv_bytes),
            (METADATA_XLSX, metadata_xlsx(bundle)),
            (METADATA_CSV, metadata_csv(bundle)),
            (CHECKLIST, checklist(bundle).encode("utf-8")),
        ):
            archive.writestr(
                zipfile.ZipInfo(name, date_time=ZIP_TIME), content, zipfile.ZIP_DEFLATED
            )
    return out.getvalue()
