"""CSV for Excel users, streamed: in CP932 (characters CP932 cannot hold are reported, and
replaced only when the client asks), or in UTF-8 with a BOM (Excel reads a CSV as UTF-8 only
when it starts with one: without it, a double-click shows mojibake). In both, cells Excel would
run as a formula (`=HYPERLINK(…)`) are written with a leading ' (portal/validation/
formula_cells.py). The plain UTF-8 download is the published file, byte for byte."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

from fastapi.responses import StreamingResponse

from portal.errors import PortalError
from portal.validation.formula_cells import neutralise_row

CHUNK = 1 << 20  # characters per read
# Part of the download's ETag: bump it when what this module writes changes (formula cells
# quoted since 2026-12), so a client's cached copy of the old output is not answered 304.
WRITER_VERSION = "2026-12-formula-quoted"
REPLACEMENT = "〓"  # 下駄記号: the customary mark for a character that cannot be printed


class Unmappable(PortalError):
    code = "unmappable-characters"
    status = 422
    template_en = "{count} character(s) cannot be written in CP932, e.g. {examples}"
    template_ja = "CP932（Shift_JIS）で表せない文字が{count}個あります（例: {examples}）"
    hint_en = (
        "download UTF-8 (the canonical file), or add &unmappable=replace to write 〓 in their place"
    )
    hint_ja = (
        "UTF-8 版をダウンロードするか、&unmappable=replace を付けると該当文字を〓に置き換えます"
    )


def _chunks(path: Path) -> Iterator[str]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        while chunk := fh.read(CHUNK):
            yield chunk


def _spreadsheet_safe(path: Path) -> Iterator[str]:
    """The published CSV re-written as the portal writes it (CRLF, minimal quoting), with
    formula-like cells marked as text, in chunks of about CHUNK characters."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.reader(fh):
            writer.writerow(neutralise_row(row))
            if out.tell() >= CHUNK:
                yield out.getvalue()
                out.seek(0)
                out.truncate()
    if out.tell():
        yield out.getvalue()


def excel_utf8_response(path: Path, headers: dict[str, str]) -> StreamingResponse:
    """The CSV in UTF-8 with a BOM (one already there is not doubled), formula-like cells
    quoted: what opens right in Excel with a double-click."""

    def body() -> Iterator[bytes]:
        yield "\ufeff".encode()
        for chunk in _spreadsheet_safe(path):
            yield chunk.encode("utf-8")

    return StreamingResponse(body(), media_type="text/csv; charset=utf-8", headers=headers)


def unmappable(path: Path) -> list[str]:
    """Every distinct character of the file that CP932 has no code for."""
    found: set[str] = set()
    for chunk in _chunks(path):
        try:
            chunk.encode("cp932")
        except UnicodeEncodeError:
            for ch in set(chunk) - found:
                try:
                    ch.encode("cp932")
                except UnicodeEncodeError:
                    found.add(ch)
    return sorted(found)


def cp932_response(path: Path, replace: bool, headers: dict[str, str]) -> StreamingResponse:
    bad = unmappable(path)
    if bad and not replace:
        raise Unmappable(count=len(bad), examples=" ".join(bad[:10]))
    table = {ord(c): REPLACEMENT for c in bad}
    if bad:
        headers["X-Portal-Replaced"] = quote(" ".join(bad))

    def body() -> Iterator[bytes]:
        for chunk in _spreadsheet_safe(path):
            yield chunk.translate(table).encode("cp932")

    return StreamingResponse(body(), media_type="text/csv; charset=Shift_JIS", headers=headers)
