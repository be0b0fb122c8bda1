"""The converted dataset's files: CSV (canonical), JSON, GeoJSON and datapackage.json.

Files are written into a staging folder and moved into place only when all are
complete, so a failed run never leaves a half-written file where a good one was.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import math
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, Any

from portal.standards import Definition
from portal.standards.definition import typed_value
from portal.validation.formula_cells import neutralise_row

# Data Package v2: the standards' schemas use field-level missingValues (a v2 feature); without
# a $schema a reader takes the package for v1.
DATAPACKAGE_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"

LAT, LON = "緯度", "経度"
COORDINATE_DECIMALS = 6  # of a GeoJSON point's coordinates (RFC 7946 §11.2)
# Distinct values whose JSON text is remembered per column; past this many the memory is given
# back, so a column of names or ids does not grow with the file (issue 17: flat memory).
FRAGMENT_LIMIT = 50_000
# What json.dumps(value, ensure_ascii=False) writes, without building an encoder for each
# value as json.dumps does when given options (most of the cost of a column of distinct names).
_json_text = json.JSONEncoder(ensure_ascii=False).encode


class DatasetWriter:
    def __init__(self, out_dir: Path, stem: str, definition: Definition, bom: bool = False) -> None:
        self.out_dir = out_dir
        self.stem = stem
        self.definition = definition
        self.fields = definition.field_names
        self.types = [f["type"] for f in definition.fields]
        self.geo = LAT in self.fields and LON in self.fields
        self.encoding = "utf-8-sig" if bom else "utf-8"
        # With a BOM the CSV is for opening in Excel: cells Excel would run as a formula get a
        # leading ' (portal/validation/formula_cells.py). Without, it is the canonical file.
        self.for_spreadsheets = bom
        out_dir.mkdir(parents=True, exist_ok=True)
        self.staging = Path(tempfile.mkdtemp(prefix=".converting-", dir=out_dir))
        self.names = {"csv": f"{stem}.csv", "json": f"{stem}.json"}
        if self.geo:
            self.names["geojson"] = f"{stem}.geojson"
        self.csv = HashedCsv(self.staging / self.names["csv"], bom)
        self.handles: dict[str, IO[str]] = {
            kind: (self.staging / name).open("w", encoding="utf-8", newline="")
            for kind, name in self.names.items()
            if kind != "csv"
        }
        self.csv.writerows([self.fields])
        self.handles["json"].write("[")
        if self.geo:
            self.handles["geojson"].write('{"type":"FeatureCollection","features":[')
        self.count = 0
        self.fragments: list[dict[str, str]] = [{} for _ in self.fields]

    def write(
        self, rows: Sequence[list[str]], columns: Sequence[Sequence[str]] | None = None
    ) -> None:
        """Append rows to every file; `columns`, the same rows as columns, when the caller
        has them (the JSON is built column by column)."""
        if not rows:
            return
        self.csv.writerows(map(neutralise_row, rows) if self.for_spreadsheets else rows)
        if columns is None:
            columns = list(zip(*rows, strict=True))
        records = self._records(columns)
        # Compact, as json.dumps(..., separators=(",", ":")) writes it: a published file is
        # downloaded far more often than read by eye (issue 17: output size).
        sep = "," if self.count else ""
        self.handles["json"].write(sep + ",".join(records))
        if self.geo:
            lat, lon = columns[self.fields.index(LAT)], columns[self.fields.index(LON)]
            features = [
                f'{{"type":"Feature","geometry":{_point_json(a, b)},"properties":{record}}}'
                for a, b, record in zip(lat, lon, records, strict=True)
            ]
            self.handles["geojson"].write(sep + ",".join(features))
        self.count += len(rows)

    def _records(self, columns: Sequence[Sequence[str]]) -> list[str]:
        """Each row's JSON object. A column with one value in the chunk (an empty column of the
        standard, a constant) is put in a %-template once instead of joined into every row."""
        parts, varying = [], []
        for index, column in enumerate(columns):
            encoded = self._encode(index, column)
            if isinstance(encoded, str):
                parts.append(encoded.replace("%", "%%"))
            else:
                parts.append("%s")
                varying.append(encoded)
        template = "{" + ",".join(parts) + "}"
        if not varying:
            return [template % ()] * len(columns[0])
        return list(map(template.__mod__, zip(*varying, strict=True)))

    def _encode(self, index: int, column: Sequence[str]) -> str | list[str]:
        """`"field": value` JSON text for each cell (one text when the chunk's cells are all
        the same); each distinct value is encoded once."""
        fragments = self.fragments[index]
        if len(fragments) > FRAGMENT_LIMIT:
            fragments.clear()
        key = json.dumps(self.fields[index], ensure_ascii=False) + ":"
        kind = self.types[index]
        distinct = set(column)
        for value in distinct.difference(fragments):
            fragments[value] = key + _json_text(typed_value(value, kind))
        if len(distinct) == 1:
            return fragments[column[0]]
        return list(map(fragments.__getitem__, column))

    def finish(self, extra: dict[str, Any]) -> dict[str, Path]:
        """Close the files, write datapackage.json, move everything into place."""
        self.handles["json"].write("]\n")
        if self.geo:
            self.handles["geojson"].write("]}\n")
        self.csv.close()
        for handle in self.handles.values():
            handle.close()
        package = self._package(extra)
        (self.staging / "datapackage.json").write_text(
            json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        placed = {}
        for kind, name in [*self.names.items(), ("datapackage", "datapackage.json")]:
            target = self.out_dir / name
            (self.staging / name).replace(target)
            placed[kind] = target
        shutil.rmtree(self.staging, ignore_errors=True)
        return placed

    def abandon(self) -> None:
        self.csv.close()
        for handle in self.handles.values():
            handle.close()
        shutil.rmtree(self.staging, ignore_errors=True)

    def _package(self, extra: dict[str, Any]) -> dict[str, Any]:
        d = self.definition
        resources: list[dict[str, Any]] = [
            {
                "name": self.stem.lower(),
                "path": self.names["csv"],
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": self.encoding,
                "bytes": self.csv.bytes,
                "hash": "sha256:" + self.csv.sha256.hexdigest(),
                "schema": d.schema,
            },
            {
                "name": f"{self.stem.lower()}-json",
                "path": self.names["json"],
                "format": "json",
                "mediatype": "application/json",
            },
        ]
        if self.geo:
            resources.append({"name": f"{self.stem.lower()}-geojson", "path": self.names["geojson"],
                              "format": "geojson", "mediatype": "application/geo+json"})  # fmt: skip
        return {
            "$schema": DATAPACKAGE_PROFILE,
            "name": self.stem.lower(),
            "title": d.title_ja,
            "keywords": list(d.meta.get("tags", [])),
            "resources": resources,
            **extra,
        }


class HashedCsv:
    """The CSV file, hashed and counted as it is written: a file that may be a gigabyte is
    never read back (issue 17: hashes computed while streaming)."""

    def __init__(self, path: Path, bom: bool) -> None:
        self.file = path.open("wb")
        self.sha256 = hashlib.sha256()
        self.bytes = 0
        self.buffer = io.StringIO()
        self.writer = csv.writer(self.buffer, lineterminator="\r\n")
        if bom:
            self._put(codecs.BOM_UTF8)

    def writerows(self, rows: Iterable[Sequence[str]]) -> None:
        self.writer.writerows(rows)
        self._put(self.buffer.getvalue().encode("utf-8"))
        self.buffer.seek(0)
        self.buffer.truncate()

    def _put(self, data: bytes) -> None:
        self.sha256.update(data)
        self.bytes += len(data)
        self.file.write(data)

    def close(self) -> None:
        self.file.close()


def _point_json(lat: str, lon: str) -> str:
    return json.dumps(_point(lat, lon), separators=(",", ":"))


def _point(lat: str, lon: str) -> dict[str, Any] | None:
    try:
        x, y = float(lon), float(lat)
    except ValueError:
        return None  # GeoJSON allows a feature without geometry; the row is still published
    if not (math.isfinite(x) and math.isfinite(y) and -180 <= x <= 180 and -90 <= y <= 90):
        return None  # `inf`, `nan` or off the globe: no point (JSON has no Infinity)
    # RFC 7946 §11.2: six decimals (about 10 cm) is all a point needs; a value given with
    # fewer digits keeps them (round() then repr() never lengthens it).
    return {
        "type": "Point",
        "coordinates": [round(x, COORDINATE_DECIMALS), round(y, COORDINATE_DECIMALS)],
    }
