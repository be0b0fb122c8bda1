"""Downloads gzip-compressed by content negotiation (issue 17): `Accept-Encoding: gzip` gets
`Content-Encoding: gzip`, made once per published content and kept, not compressed again for
every client.

Starlette's GZipMiddleware would compress a streamed file too, but at level 9 for every
request and every 64 KiB block (a 1 GB GeoJSON: about a minute of CPU per download); a copy
made once at level 6 costs that once and sends a smaller body. The copy is named by the
representation's ETag, so a republish makes a new one; the previous copies of the same file
are removed when it is made. Each encoding has its own ETag (RFC 9110 §8.8.3: a strong
validator differs between content codings), and every answer says `Vary: Accept-Encoding`.
A Range request is answered from the representation chosen (RFC 9110 §14: the gzip copy's
bytes when gzip was accepted), so a resumed download keeps the Accept-Encoding it began with.
"""

from __future__ import annotations

import os
import tempfile
import zlib
from pathlib import Path

from fastapi import Request
from fastapi.responses import FileResponse

GZIP_LEVEL = 6  # zlib's default: nearly level 9's size at a fraction of its time
BLOCK = 1 << 20
GZIP_DIR = "gzip"  # under the data directory: the compressed copies of downloads


def accepts_gzip(request: Request) -> bool:
    """Whether `Accept-Encoding` accepts gzip (or `*`) with a q above 0 (RFC 9110 §12.5.3)."""
    header = request.headers.get("accept-encoding", "")
    weights: dict[str, float] = {}
    for item in header.split(","):
        name, *params = (part.strip() for part in item.split(";"))
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if name:
            weights[name.lower()] = q
    return weights.get("gzip", weights.get("x-gzip", weights.get("*", 0.0))) > 0


def vary(headers: dict[str, str]) -> dict[str, str]:
    return {**headers, "Vary": "Accept-Encoding"}


def gzip_file_response(
    source: Path, folder: Path, key: str, media_type: str, headers: dict[str, str]
) -> FileResponse:
    """`source` gzip-compressed (the copy in `folder` named by `key`, made if missing). Where
    no copy can be kept (a read-only data directory), the file as it is: the middleware then
    compresses it on the way."""
    try:
        packed = compressed_copy(source, folder, key)
    except OSError:
        return FileResponse(source, media_type=media_type, headers=vary(headers))
    return FileResponse(
        packed, media_type=media_type, headers={**vary(headers), "Content-Encoding": "gzip"}
    )


def compressed_copy(source: Path, folder: Path, key: str) -> Path:
    """The gzip copy of `source` for `key` ("<dataset>.<format>.<etag>"): made in blocks into a
    temporary file and moved into place, so a reader never sees half a copy; the copies of
    the same dataset and format for other keys are removed then (a republish replaced them)."""
    target = folder / f"{key}.gz"
    if target.is_file():
        return target
    folder.mkdir(parents=True, exist_ok=True)
    handle, staging = tempfile.mkstemp(prefix=f".{key}.", suffix=".part", dir=folder)
    try:
        with os.fdopen(handle, "wb") as out, source.open("rb") as data:
            # wbits 16+: a gzip header and trailer (mtime 0: the same bytes every time)
            packer = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
            while block := data.read(BLOCK):
                out.write(packer.compress(block))
            out.write(packer.flush())
        os.replace(staging, target)
    finally:
        Path(staging).unlink(missing_ok=True)
    stem = key.rsplit(".", 1)[0]
    for old in folder.glob(f"{stem}.*.gz"):
        if old != target:
            old.unlink(missing_ok=True)  # a client still reading it keeps its open file
    return target
