"""A facility's name finds its dataset: the distinct names of a dataset's rows, bounded.

市役所 should find the AED list that has 市役所本館. The names are carried with the published
package (extras `row_names`, set by portal/catalogue/mapping.py), so that both catalogue back
ends index them with the rest of the dataset: the embedded one through portal/search/index.py's
document, CKAN because its Solr schema copies every extras_* field into `text`. A harvester sees
them as one more extra. Bounded so that a 100,000-row dataset does not carry a megabyte of
names in its metadata: the first MAX_NAMES distinct names, at most MAX_BYTES of UTF-8.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

ROW_NAMES = "row_names"  # the package extra
# The standards' name columns (datasets/*/schema.json): 名称 in most; the others where a
# standard names its rows differently.
NAME_FIELDS = ("名称", "名称_通称", "介護サービス事業所名称", "施設名称", "イベント名", "場所名称")
MAX_NAMES = 300
MAX_BYTES = 8192
SEPARATOR = " / "


def row_names(csv_path: Path) -> str:
    """The distinct values of the name columns of a converted CSV (UTF-8, the standard's
    header), in row order, joined by SEPARATOR, within MAX_NAMES and MAX_BYTES; "" for none."""
    try:
        with csv_path.open(encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            columns = [c for c in NAME_FIELDS if c in (reader.fieldnames or [])]
            if not columns:
                return ""
            values = ((row.get(c) or "").strip() for row in reader for c in columns)
            return _bounded(v for v in values if v)
    except (OSError, UnicodeDecodeError, csv.Error):
        return ""  # the names only help search: a file that cannot be read has none


def _bounded(values: Iterable[str]) -> str:
    names: dict[str, None] = {}
    size = 0
    for value in values:
        if value in names:
            continue
        cost = len(value.encode("utf-8")) + len(SEPARATOR.encode("utf-8"))
        if len(names) >= MAX_NAMES or size + cost > MAX_BYTES:
            break
        names[value] = None
        size += cost
    return SEPARATOR.join(names)
