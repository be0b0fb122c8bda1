"""The API examples a dataset page shows (curl command lines a reader copies)."""

from __future__ import annotations

from typing import Any


def examples(
    detail: dict[str, Any], fields: list[str], root: str, apiname: str | None
) -> list[tuple[str, str]]:
    links = detail["links"]
    name = detail["name"]
    filter_field = next(
        (f for f in ("名称", "種別", "施設名") if f in fields), fields[0] if fields else ""
    )
    # -G with --data-urlencode keeps the Japanese field name readable in the example.
    rows = (f"curl -G '{links['rows']}' --data-urlencode '{filter_field}__like=公園' -d limit=5"
            if filter_field else f"curl '{links['rows']}'")  # fmt: skip
    out = [("api_rows", rows), ("api_download", f"curl -OJ '{links['csv']}'"),
           ("api_ckan", f"curl '{root}/api/3/action/package_show?id={name}'")]  # fmt: skip
    if apiname:
        out.append(("api_wapi", f"curl '{root}/wapi/{apiname}?maxResults=5'"))
    return out
