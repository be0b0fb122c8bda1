"""Which encoding a CSV upload is in.

Municipal CSVs come as UTF-8 (with or without a BOM), as cp932 from Excel's
"CSV (comma delimited)", as UTF-16 from Excel's "Unicode text", and now and
then as EUC-JP from old Unix systems. The order of the tests matters: a BOM
is proof, UTF-16 shows itself by its NUL bytes, strict UTF-8 is almost never
wrong when it decodes, and only then do the two legacy Japanese encodings
compete.

The sample is decoded chunk by chunk straight from the file, so detection
holds 64 KB at a time however long the first line is.

The names returned are the ones `SourceInfo.encoding` reports and Python's
codecs accept: "utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be",
"cp932", "euc-jp".
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from pathlib import Path

from charset_normalizer import from_bytes

from portal.formats.base import binary_file, unreadable

# Big enough to reach past the ASCII-only header and first rows into the
# Japanese text that tells the encodings apart.
SAMPLE_BYTES = 4 << 20
CHUNK_BYTES = 64 << 10
# charset_normalizer samples internally; giving it more only costs time.
RANK_BYTES = 1 << 20
# Non-ASCII characters that must decode as UTF-8 before a bad byte for the
# file to count as UTF-8 with a damaged row rather than as cp932.
UTF8_EVIDENCE = 4

UTF8_BOM = codecs.BOM_UTF8
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
LEGACY = ("cp932", "euc-jp")
# Strict Shift_JIS lacks the NEC/IBM characters (㈱ ① 髙 﨑) every municipal
# file has; whoever says "Shift_JIS" means what Windows writes, which is cp932.
ALIASES = {
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "s_jis": "cp932",
    "ms932": "cp932",
    "windows-31j": "cp932",
    "euc_jp": "euc-jp",
    "eucjp": "euc-jp",
    "utf8": "utf-8",
    "utf_8": "utf-8",
}
# Text never holds C0 controls apart from tab, form feed and line ends; binary data does.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


def detect(path: Path, head: bytes, complete: bool) -> str:
    """The encoding of a text file, given its first 64 KB (`head`).

    `complete` says whether the file is no longer than the sample, so that a
    character cut off at the very end counts as an error.
    """
    if head.startswith(UTF8_BOM):
        return "utf-8-sig"
    if head.startswith(UTF16_BOMS):
        return "utf-16"
    utf16 = utf16_without_bom(head)
    if utf16:
        return utf16
    if b"\x00" in head:
        raise binary_file(path)
    failures = {enc: decode_failure(path, enc, complete) for enc in ("utf-8", *LEGACY)}
    if failures["utf-8"] is None or _mostly_utf8(path, failures["utf-8"]):
        return "utf-8"
    legacy = [enc for enc in LEGACY if failures[enc] is None]
    if len(legacy) == 1:
        return legacy[0]
    if legacy:
        return rank_legacy(path)
    return _text_with_bad_bytes(path, failures)


def utf16_without_bom(head: bytes) -> str | None:
    """ "utf-16-le"/"utf-16-be" when NULs sit in every other byte, as ASCII does in UTF-16."""
    pairs = len(head) // 2
    if pairs == 0:
        return None
    even, odd = head[0 : pairs * 2 : 2].count(0), head[1 : pairs * 2 : 2].count(0)
    # Commas, digits and line ends are ASCII, so UTF-16 CSV has many NULs on
    # one side; a few on the other come from characters such as 一 (U+4E00).
    if odd and odd >= pairs // 10 and even <= odd // 10:
        candidate = "utf-16-le"
    elif even and even >= pairs // 10 and odd <= even // 10:
        candidate = "utf-16-be"
    else:
        return None
    decoder = codecs.getincrementaldecoder(candidate)("strict")
    try:
        text = decoder.decode(head[: pairs * 2], final=False)
    except UnicodeDecodeError:
        return None
    return None if CONTROL.search(text) else candidate


def decode_failure(path: Path, encoding: str, complete: bool) -> int | None:
    """The offset of the first byte of the sample `encoding` cannot decode, or None.

    Decoding incrementally leaves a character cut in two at the end of the
    sample pending instead of counting it as an error.
    """
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    done = 0
    for chunk in sample_chunks(path):
        try:
            decoder.decode(chunk, final=False)
        except UnicodeDecodeError as err:
            return max(done + err.start, 0)
        done += len(chunk)
    if complete:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return done
    return None


def rank_legacy(path: Path) -> str:
    """cp932 or EUC-JP when both decode the sample: the one that reads as Japanese."""
    with path.open("rb") as f:
        cut = f.read(RANK_BYTES)
    # Whole lines only, so neither codec is marked down for a cut character.
    end = cut.rfind(b"\n")
    if end > 0:
        cut = cut[: end + 1]
    best = from_bytes(cut, cp_isolation=["cp932", "euc_jp"]).best()
    if best is not None and best.encoding == "euc_jp":
        return "euc-jp"
    # cp932 wins ties: it is what Excel on Windows writes.
    return "cp932"


def normalise(path: Path, requested: str, head: bytes) -> str:
    """The caller's `encoding`, checked and adjusted to the file's BOM."""
    key = requested.strip().lower()
    name = ALIASES.get(key, key)
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        raise unreadable(
            path,
            f"unknown encoding '{requested}'",
            f"文字コード「{requested}」は使えません",
            hint="use utf-8, cp932, euc-jp or utf-16",
            hint_ja="utf-8、cp932、euc-jp、utf-16 のいずれかを指定してください",
        ) from None
    # A BOM left in the text would glue itself to the first column's name.
    if codec == "utf-8" and head.startswith(UTF8_BOM):
        return "utf-8-sig"
    if codec.startswith("utf-16") and head.startswith(UTF16_BOMS):
        return "utf-16"
    return name


def sample_chunks(path: Path, size: int = SAMPLE_BYTES) -> Iterator[bytes]:
    """The first `size` bytes of the file, 64 KB at a time."""
    with path.open("rb") as f:
        left = size
        while left > 0:
            chunk = f.read(min(CHUNK_BYTES, left))
            if not chunk:
                return
            left -= len(chunk)
            yield chunk


def _mostly_utf8(path: Path, failure: int | None) -> bool:
    """True when real UTF-8 Japanese comes before the first byte UTF-8 cannot decode.

    cp932 decodes almost any bytes, so a UTF-8 file with one row pasted in
    from a cp932 file would pass as cp932 and turn into mojibake. cp932 text,
    though, is almost never valid UTF-8 for more than a character or two, so
    several non-ASCII characters that decode as UTF-8 settle it; the bad row
    is then reported when it is read.
    """
    with path.open("rb") as f:
        prefix = f.read(min(failure or 0, RANK_BYTES))
    text = prefix.decode("utf-8", errors="ignore")
    return len(text) - len(text.encode("ascii", errors="ignore")) >= UTF8_EVIDENCE


def _text_with_bad_bytes(path: Path, failures: dict[str, int | None]) -> str:
    """The encoding that reads furthest into text with a few bad bytes, or a binary-file error.

    A file that is text up to some point (a UTF-8 file with one row pasted
    from a cp932 file) is reported at the bad row when it is read, which
    tells the clerk far more than "binary file" would.
    """
    encoding = max(failures, key=lambda enc: failures[enc] or 0)
    with path.open("rb") as f:
        good = f.read(min(failures[encoding] or 0, RANK_BYTES))
    if b"\n" not in good and b"\r" not in good:
        raise binary_file(path)
    if CONTROL.search(good.decode(encoding, errors="replace")):
        raise binary_file(path)
    return encoding
