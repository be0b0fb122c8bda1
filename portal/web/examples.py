"""The API examples a dataset page shows: curl command lines a reader copies into a shell.

Each must work as pasted, against any HTTP server: every byte curl puts on the request line
is ASCII. `--data-urlencode 'name=value'` percent-encodes the value but sends the name as
written, so a Japanese field name never stands before the `=`: a filter on one goes in the
`filters` JSON object (an ASCII name, its Japanese inside the encoded value)."""

from __future__ import annotations

import json
from typing import Any

# Fields that name a row, in the order one is chosen for the filter example, and the word
# it looks for (a resident's word, found in many of the standard's datasets).
NAME_FIELDS = ("名称", "施設名", "種別")
EXAMPLE_WORD = "公園"


def examples(
    detail: dict[str, Any], fields: list[str], root: str, apiname: str | None
) -> list[tuple[str, str]]:
    links = detail["links"]
    out = [("api_rows", rows_example(links["rows"], fields)),
           ("api_download", f"curl -OJ '{links['csv']}'"),
           ("api_ckan", f"curl '{root}/api/3/action/package_show?id={detail['name']}'")]  # fmt: skip
    if apiname:
        out.append(("api_wapi", f"curl '{root}/wapi/{apiname}?maxResults=5'"))
    return out


def rows_example(rows_url: str, fields: list[str]) -> str:
    """Five rows, filtered on the row's name when the dataset has a field for it."""
    field = next((f for f in NAME_FIELDS if f in fields), None)
    if field is None:
        return f"curl '{rows_url}?limit=5'"
    filters = json.dumps({f"{field}__like": EXAMPLE_WORD}, ensure_ascii=False)
    return f"curl -G '{rows_url}' --data-urlencode 'filters={filters}' -d limit=5"
