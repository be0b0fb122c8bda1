"""An upload's files on disk, outside the public file store until published:

    <data dir>/uploads/<id>/source/<file name>   the bytes as uploaded (name sanitised)
    <data dir>/uploads/<id>/recipe.yaml          the recipe (written from the database's copy)
    <data dir>/uploads/<id>/converted/           the preview conversion (what is published)

What arrives is checked before anything reads it as a table: its size (while it streams in),
its name, its content (sniffed by portal.formats, never trusted from the extension)."""

from __future__ import annotations

import hashlib
import re
import shutil
import unicodedata
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import BinaryIO

from portal.formats import open_table
from portal.formats.base import unreadable
from portal.submissions.errors import UploadTooLarge

UPLOADS_DIR = "uploads"
SOURCE_DIR = "source"
RECIPE_FILE = "recipe.yaml"
CONVERTED_DIR = "converted"
CHUNK = 1 << 16
NAME_MAX = 120  # characters of a sanitised file name, its extension kept
FALLBACK_NAME = "upload"
# Characters Windows refuses in a name and path separators of every system.
_UNSAFE = re.compile(r'[\\/:*?"<>|]')
# Text files that are not tables though the CSV reader would take them: a web page (a login
# or error page saved instead of the file), an XML document.
_MARKUP = re.compile(rb"\s*(<!doctype\s+html|<html|<head|<body|<\?xml|<!--)", re.IGNORECASE)
_BOMS = (b"\xef\xbb\xbf",)


@dataclass(frozen=True)
class Received:
    name: str
    size: int
    content_hash: str
    file_format: str


def folder(data_dir: Path, upload_id: str) -> Path:
    return data_dir / UPLOADS_DIR / upload_id


def source_path(data_dir: Path, upload_id: str, name: str) -> Path:
    return folder(data_dir, upload_id) / SOURCE_DIR / name


def sanitise_name(name: str) -> str:
    """A file name safe to store and show: the last part of any path, NFC, no control or
    format characters, no characters a file system refuses, no leading dots, capped."""
    name = re.split(r"[\\/]", name)[-1]
    name = unicodedata.normalize("NFC", name)
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")
    name = _UNSAFE.sub("_", name).strip().lstrip(".").strip()
    if len(name) > NAME_MAX:
        stem, dot, suffix = name.rpartition(".")
        keep = f".{suffix}" if dot and stem and len(suffix) <= 8 else ""
        name = name[: NAME_MAX - len(keep)].rstrip() + keep
    return name or FALLBACK_NAME


def receive(content: BinaryIO, data_dir: Path, upload_id: str, name: str, limit: int) -> Received:
    """Copy the content into the upload's folder, refusing it (and keeping nothing) once it
    passes `limit` bytes; then find out what it is (422 input-unreadable if not a table)."""
    target = source_path(data_dir, upload_id, sanitise_name(name))
    target.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    try:
        with target.open("wb") as out:
            while chunk := content.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise UploadTooLarge(limit)
                digest.update(chunk)
                out.write(chunk)
        file_format = sniff(target)
    except BaseException:
        discard(data_dir, upload_id)
        raise
    return Received(target.name, size, digest.hexdigest(), file_format)


def sniff(path: Path) -> str:
    """What the file is (csv, xlsx, xls, ods), from its content: portal.formats opens it as
    `portal convert` would (a ZIP, an image, a binary are refused there); a web page or XML,
    which would read as text, is refused here. The first rows are read, so a file that
    cannot be decoded is refused now rather than at the preview."""
    with path.open("rb") as f:
        head = f.read(CHUNK)
    for bom in _BOMS:
        head = head.removeprefix(bom)
    if _MARKUP.match(head):
        raise unreadable(
            path,
            "the file is a web page (HTML/XML), not a table",
            "ファイルはウェブページ（HTML/XML）で、表ではありません",
            hint="download the table itself (CSV or xlsx) and upload that file",
            hint_ja="表そのもの（CSV または xlsx）をダウンロードして、そのファイルをアップロードしてください",
        )
    with open_table(path) as table:
        list(islice(table.rows(), 2))
        return table.info.format


def discard(data_dir: Path, upload_id: str) -> None:
    shutil.rmtree(folder(data_dir, upload_id), ignore_errors=True)
