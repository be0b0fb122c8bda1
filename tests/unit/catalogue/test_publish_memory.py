"""Publishing a big dataset keeps memory flat (issue 17): the content hash is computed while
reading each file in blocks, and is the same hash as before, so no dataset already
published is republished by an upgrade."""

from __future__ import annotations

import hashlib
import json
import tracemalloc
from pathlib import Path

from portal.catalogue.base import FileSpec
from portal.catalogue.mapping import content_hash

FILE_MIB = 32
CEILING_MIB = 4  # far below the file: the file is never held whole


def test_content_hash_reads_files_in_blocks_and_keeps_its_value(tmp_path: Path) -> None:
    big = tmp_path / "x.geojson"
    with big.open("wb") as fh:
        for i in range(FILE_MIB):
            fh.write(bytes([i]) * (1 << 20))
    small = tmp_path / "datapackage.json"
    small.write_text('{"name": "x"}', encoding="utf-8")
    files = [FileSpec("x.geojson", big, "GeoJSON", "application/geo+json"),
             FileSpec("datapackage.json", small, "JSON", "application/json")]  # fmt: skip
    metadata = {"title": "避難所", "extras": []}

    tracemalloc.start()
    try:
        digest = content_hash(files, metadata)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert peak < CEILING_MIB << 20, f"hashing a {FILE_MIB} MiB file peaked at {peak >> 20} MiB"
    expected = hashlib.sha256(json.dumps(metadata, ensure_ascii=False, sort_keys=True).encode())
    for f in sorted(files, key=lambda f: f.name):
        expected.update(f.name.encode() + hashlib.sha256(f.path.read_bytes()).digest())
    assert digest == expected.hexdigest()
