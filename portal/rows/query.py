"""Row queries: filters, text search, sort, paging (offset or cursor), distance.

Query strings such as `?種別=消火栓&総人口__gte=1000&ID__in=1,2,3` become a
Query; every value is a bound parameter, field names are checked against the
schema, so nothing from the request reaches the SQL text unchecked.
"""

from __future__ import annotations

import base64
import json
import math
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from portal.errors import PortalError
from portal.normalize import haversine_km
from portal.rows.store import LAT, LON, RowsStore, quote, table_name
from portal.standards import Definition
from portal.standards.definition import typed_value

OPS = {
    "eq": "=",
    "ne": "!=",
    "gt": ">",
    "gte": ">=",
    "lt": "<",
    "lte": "<=",
    "in": "IN",
    "like": "LIKE",
}
MAX_LIMIT = 1000
MAX_OFFSET = 10_000


class BadQuery(PortalError):
    code = "bad-query"
    status = 400
    template_en = "{detail}"
    template_ja = "{detail_ja}"


@dataclass
class Query:
    key: str  # the standard dataset version (table)
    fields: list[str]  # the schema's field names, in order
    types: dict[str, str]
    datasets: list[str] | None = None  # only these published datasets
    lgcodes: list[str] | None = None
    filters: list[tuple[str, str, Any]] = field(default_factory=list)
    q: str | None = None
    sort: list[tuple[str, bool]] = field(default_factory=list)  # (field, descending)
    select: list[str] | None = None
    limit: int = 100
    offset: int = 0
    cursor: str | None = None
    near: tuple[float, float, float] | None = None  # lat, lon, metres

    @classmethod
    def of(cls, definition: Definition, **params: Any) -> Query:
        """A query on one standard dataset's table, its fields and types from the schema."""
        types = {f["name"]: f["type"] for f in definition.fields}
        return cls(key=definition.key, fields=definition.field_names, types=types, **params)

    def check(self) -> None:
        known = set(self.fields)
        for name in (
            [f for f, _, _ in self.filters] + [s for s, _ in self.sort] + (self.select or [])
        ):
            if name not in known:
                raise BadQuery(
                    detail=f"unknown field '{name}'", detail_ja=f"項目「{name}」はありません"
                )
        if not 0 < self.limit <= MAX_LIMIT:
            raise BadQuery(
                detail=f"limit must be 1–{MAX_LIMIT}", detail_ja=f"limit は 1〜{MAX_LIMIT} です"
            )
        if self.offset > MAX_OFFSET:
            raise BadQuery(detail=f"offset is capped at {MAX_OFFSET}; page further with the cursor (next)",
                           detail_ja=f"offset の上限は {MAX_OFFSET} です。それ以降は cursor（next）で取得してください")  # fmt: skip
        if self.cursor and self.sort:
            raise BadQuery(
                detail="cursor paging follows the stored order; drop sort",
                detail_ja="cursor は sort と併用できません",
            )


@dataclass
class Page:
    rows: list[dict[str, Any]]
    total: int
    next_cursor: str | None


def _encode(last_id: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"after": last_id}).encode()).decode().rstrip("=")


def _decode(cursor: str) -> int:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        return int(json.loads(base64.urlsafe_b64decode(padded))["after"])
    except (ValueError, KeyError, TypeError):
        raise BadQuery(
            detail="the cursor is not one this API gave", detail_ja="cursor が正しくありません"
        ) from None


def _where(q: Query) -> tuple[list[str], list[Any]]:
    clauses, params = [], []
    if q.datasets is not None:
        clauses.append(f"_dataset IN ({', '.join('?' * len(q.datasets))})")
        params += q.datasets
    if q.lgcodes:
        clauses.append(f"_lgcode IN ({', '.join('?' * len(q.lgcodes))})")
        params += q.lgcodes
    for name, op, value in q.filters:
        kind = q.types.get(name, "string")
        if op == "in":
            values = [typed_value(v, kind) for v in value]
            clauses.append(f"{quote(name)} IN ({', '.join('?' * len(values))})")
            params += values
        elif op == "like":
            clauses.append(f"{quote(name)} LIKE ?")
            params.append(f"%{value}%")
        else:
            clauses.append(f"{quote(name)} {OPS[op]} ?")
            params.append(typed_value(value, kind))
    if q.q:
        text = [n for n in q.fields if q.types.get(n) == "string"]
        clauses.append("(" + " OR ".join(f"{quote(n)} LIKE ?" for n in text) + ")")
        params += [f"%{q.q}%"] * len(text)
    return clauses, params


def _near(q: Query, table: str, clauses: list[str], params: list[Any]) -> None:
    lat, lon, metres = q.near  # type: ignore[misc]
    dlat = metres / 111_320.0
    dlon = metres / (111_320.0 * max(math.cos(math.radians(lat)), 0.01))
    clauses.append(
        f"_id IN (SELECT id FROM {quote(table + '__geo')} WHERE lat1 >= ? AND lat0 <= ? AND lon1 >= ? AND lon0 <= ?)"
    )
    params += [lat - dlat, lat + dlat, lon - dlon, lon + dlon]


MAX_NEAR = 50_000  # candidates a distance query may examine


def run(store: RowsStore, q: Query) -> Page:
    q.check()
    if q.near:
        return _run_near(store, q)
    table = table_name(q.key)
    clauses, params = _where(q)
    count_sql = f"SELECT count(*) FROM {quote(table)}" + (
        " WHERE " + " AND ".join(clauses) if clauses else ""
    )
    count_params = list(params)
    if q.cursor:
        clauses.append("_id > ?")
        params.append(_decode(q.cursor))
    where = " WHERE " + " AND ".join(clauses) if clauses else ""
    order = ", ".join(f"{quote(n)} {'DESC' if d else 'ASC'}" for n, d in q.sort) or "_id"
    columns = q.select or q.fields
    sql = f"SELECT {_columns(columns)} FROM {quote(table)}{where} ORDER BY {order} LIMIT ? OFFSET ?"
    with store.db() as db:
        try:
            total = db.execute(count_sql, count_params).fetchone()[0]
            fetched = db.execute(sql, [*params, q.limit, q.offset]).fetchall()
        except sqlite3.OperationalError as exc:
            if "no such table" in str(exc):  # nothing of this standard is published yet
                return Page([], 0, None)
            raise
    rows = [_record(r, columns) for r in fetched]
    more = not q.sort and len(fetched) == q.limit
    return Page(rows, total, _encode(fetched[-1][0]) if more else None)


def _run_near(store: RowsStore, q: Query) -> Page:
    """Every row in the bounding box, measured exactly, nearest first, then paged."""
    if LAT not in q.fields or LON not in q.fields:
        raise BadQuery(
            detail="this dataset has no coordinates", detail_ja="このデータには座標がありません"
        )
    table = table_name(q.key)
    clauses, params = _where(q)
    _near(q, table, clauses, params)
    columns = list(dict.fromkeys([*(q.select or q.fields), LAT, LON]))
    sql = f"SELECT {_columns(columns)} FROM {quote(table)} WHERE {' AND '.join(clauses)} LIMIT {MAX_NEAR}"
    with store.db() as db:
        try:
            fetched = db.execute(sql, params).fetchall()
        except sqlite3.OperationalError as exc:
            if "no such table" in str(exc):
                return Page([], 0, None)
            raise
    rows = _within([_record(r, columns) for r in fetched], q.near)  # type: ignore[arg-type]
    if q.select is not None:
        rows = [{k: v for k, v in r.items() if k in q.select or k.startswith("_")} for r in rows]
    return Page(rows[q.offset : q.offset + q.limit], len(rows), None)


def _columns(columns: list[str]) -> str:
    return ", ".join(["_id", "_dataset", "_lgcode", *(quote(c) for c in columns)])


def _record(row: tuple[Any, ...], columns: list[str]) -> dict[str, Any]:
    record = {"_dataset": row[1], "_lgcode": row[2]}
    record.update(zip(columns, row[3:], strict=True))
    return record


def _within(rows: list[dict[str, Any]], near: tuple[float, float, float]) -> list[dict[str, Any]]:
    """Exact distance after the R*Tree's bounding box; nearest first, with the distance."""
    lat, lon, metres = near
    kept = []
    for r in rows:
        if isinstance(r.get(LAT), float) and isinstance(r.get(LON), float):
            d = haversine_km(lat, lon, r[LAT], r[LON]) * 1000
            if d <= metres:
                kept.append({**r, "_distance_m": round(d, 1)})
    return sorted(kept, key=lambda r: r["_distance_m"])
