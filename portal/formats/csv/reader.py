"""Reading a CSV (or TSV) upload as rows of strings, streaming, in bounded memory.

Rows are records, not lines: a quoted cell with a line break is one row, as
Python's csv module and frictionless count them. Memory stays bounded: no
line longer than `Limits.max_record_bytes` and no cell longer than
`Limits.max_cell_chars` is ever held, so a 1 GB file without a line break is
refused after reading a few megabytes of it.

For the encodings whose line-break bytes cannot occur inside a character
(UTF-8, cp932, EUC-JP) lines are split as bytes and decoded one by one, so
a bad byte is reported at the row that holds it. UTF-16 goes through
`io.TextIOWrapper`, which decodes ahead; its rare decoding errors (a lone
surrogate) may be reported a few rows early.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from portal.errors import InputUnreadable
from portal.formats.base import (
    OpenOptions,
    SourceInfo,
    Table,
    megabytes,
    unreadable,
)
from portal.formats.csv.encoding import (
    CHUNK_BYTES,
    SAMPLE_BYTES,
    UTF8_BOM,
    UTF16_BOMS,
    detect,
    normalise,
)

READ_BUFFER = 256 << 10
# Splits one physical line at the bare carriage returns old Mac exports use.
LINE = re.compile(rb"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")
DIALECT_TOKENS = re.compile(r'["\t,\r\n]')
NEWLINE_TOKENS = re.compile(r'"|\r\n|\r|\n')


class RecordTooLong(Exception):
    """Internal: a line ran past the limit without a line break."""


def open_csv(path: Path, options: OpenOptions) -> CsvTable:
    """Detect the encoding, newline and delimiter, and return a table ready to read."""
    with path.open("rb") as f:
        head = f.read(CHUNK_BYTES)
    complete = path.stat().st_size <= SAMPLE_BYTES
    if options.encoding:
        encoding = normalise(path, options.encoding, head)
    else:
        encoding = detect(path, head, complete)
    text = head.decode(encoding, errors="replace")
    info = SourceInfo(
        path=path,
        format="csv",
        encoding=encoding,
        bom=head.startswith((UTF8_BOM, *UTF16_BOMS)),
        newline=first_newline(text),
        delimiter=delimiter_of(text),
    )
    return CsvTable(info, options)


def first_newline(text: str) -> str | None:
    """The first record terminator outside quotes: "\\r\\n", "\\n" or "\\r"."""
    quoted = False
    for match in NEWLINE_TOKENS.finditer(text):
        token = match.group()
        if token == '"':
            quoted = not quoted
        elif not quoted:
            return token
    return None


def delimiter_of(text: str) -> str:
    """Tab when the header holds more tabs than commas, else comma.

    csv.Sniffer is not used: on Japanese text it picks characters such as
    "・" or "、" as the delimiter. Counting in the first record that has any
    delimiter skips blank lines above the header and ignores quoted commas.
    """
    commas = tabs = 0
    quoted = False
    for match in DIALECT_TOKENS.finditer(text):
        char = match.group()
        if char == '"':
            quoted = not quoted
        elif quoted:
            continue
        elif char == ",":
            commas += 1
        elif char == "\t":
            tabs += 1
        elif commas or tabs:
            break
    return "\t" if tabs > commas else ","


def split_lines(f: BinaryIO, limit: int) -> Iterator[bytes]:
    """The physical lines of a byte stream, each ending with its terminator.

    `readline` splits only at LF, so lines ending in a bare CR (old Mac
    exports) are split again; when no LF comes within `limit` bytes the text
    up to the last CR is given out and the rest carried over, and only if
    there is no CR either is the line too long.
    """
    carry = b""
    while True:
        want = limit + 1 - len(carry)
        read = f.readline(want)
        raw = carry + read if carry else read
        carry = b""
        if not raw:
            return
        if raw.endswith(b"\n") or len(read) < want:
            yield from _split_bare_cr(raw)
            continue
        cut = raw.rfind(b"\r", 0, len(raw) - 1)
        if cut == -1:
            raise RecordTooLong
        yield from _split_bare_cr(raw[: cut + 1])
        carry = raw[cut + 1 :]


def _split_bare_cr(raw: bytes) -> Iterator[bytes]:
    crs = raw.count(b"\r")
    if crs == 0 or (crs == 1 and raw.endswith((b"\r\n", b"\r"))):
        yield raw
    else:
        yield from LINE.findall(raw)


class CsvTable(Table):
    """A CSV file; each call to `rows()` reads it again from the top."""

    def __init__(self, info: SourceInfo, options: OpenOptions) -> None:
        self.info = info
        self.features = []
        self._limits = options.limits
        self._open_files: list[BinaryIO] = []
        self._closed = False

    def rows(self) -> Iterator[list[str]]:
        if self._closed:
            raise RuntimeError("the table is closed")
        return self._records()

    def close(self) -> None:
        self._closed = True
        for f in self._open_files:
            f.close()
        self._open_files.clear()

    def _records(self) -> Iterator[list[str]]:
        # The limit is process-wide in the csv module; every reader here sets it.
        csv.field_size_limit(self._limits.max_cell_chars)
        f = self._open()
        row = 0
        try:
            for record in csv.reader(self._lines(f), delimiter=self.info.delimiter or ","):
                row += 1
                yield record
        except RecordTooLong:
            raise self._too_long(row + 1) from None
        except UnicodeError:
            raise self._undecodable(row + 1) from None
        except csv.Error as err:
            raise self._malformed(row + 1, err) from None
        except OSError as err:
            raise self._io_error(err) from None
        finally:
            f.close()
            if f in self._open_files:
                self._open_files.remove(f)

    def _open(self) -> BinaryIO:
        try:
            f = self.info.path.open("rb", buffering=READ_BUFFER)
        except OSError as err:
            raise self._io_error(err) from None
        self._open_files.append(f)
        return f

    def _lines(self, f: BinaryIO) -> Iterator[str]:
        encoding = self.info.encoding or "utf-8"
        if codecs.lookup(encoding).name.startswith(("utf-16", "utf-32")):
            yield from self._text_lines(f, encoding)
            return
        if encoding == "utf-8-sig":
            encoding = "utf-8"
            if f.read(len(UTF8_BOM)) != UTF8_BOM:
                f.seek(0)
        for raw in split_lines(f, self._limits.max_record_bytes):
            yield raw.decode(encoding)

    def _text_lines(self, f: BinaryIO, encoding: str) -> Iterator[str]:
        text = io.TextIOWrapper(f, encoding=encoding, errors="strict", newline="")
        # Two bytes a character, so this many characters is the byte limit.
        limit = max(self._limits.max_record_bytes // 2, 1)
        while True:
            line = text.readline(limit)
            if not line:
                return
            if len(line) >= limit and line[-1] not in "\r\n":
                raise RecordTooLong
            yield line

    def _too_long(self, row: int) -> InputUnreadable:
        limit = megabytes(self._limits.max_record_bytes)
        return unreadable(
            self.info.path,
            f"a line is longer than {limit} without a line break; this is not a CSV table "
            "(or its line breaks were lost)",
            f"改行のない行が {limit} を超えています。CSV の表ではないか、改行が失われています",
            row=row,
        )

    def _undecodable(self, row: int) -> InputUnreadable:
        enc = self.info.encoding
        return unreadable(
            self.info.path,
            f"this row cannot be decoded as {enc}, the encoding assumed from the start of "
            "the file; the file mixes encodings or is damaged",
            f"この行は、ファイルの先頭から判定した文字コード {enc} として読めません。"
            "文字コードが混在しているか、ファイルが壊れています",
            row=row,
            hint="save the whole file again in one encoding (UTF-8 is best)",
            hint_ja="ファイル全体を一つの文字コード（UTF-8 を推奨）で保存し直してください",
        )

    def _malformed(self, row: int, err: csv.Error) -> InputUnreadable:
        if "field limit" in str(err):
            limit = f"{self._limits.max_cell_chars:,}"
            return unreadable(
                self.info.path,
                f'a cell is longer than {limit} characters; a quote (") is probably not closed',
                f'{limit} 文字を超えるセルがあります。引用符（"）が閉じられていない可能性があります',
                row=row,
            )
        return unreadable(
            self.info.path,
            f"this row cannot be read as CSV ({err})",
            f"この行を CSV として読めません（{err}）",
            row=row,
        )

    def _io_error(self, err: OSError) -> InputUnreadable:
        return unreadable(
            self.info.path,
            f"the file cannot be read ({err.strerror or err})",
            f"ファイルを読み込めません（{err.strerror or err}）",
        )
