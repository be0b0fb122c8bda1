"""Row queries: filters, text search, sort, paging (offset or cursor), distance.

Query strings such as `?種別=消火栓&総人口__gte=1000&ID__in=1,2,3` become a
Query; every value is a bound parameter, field names are checked against the
schema, so nothing from the request reaches the SQL text unchecked.
"""

from __future__ import annotations

import base64
import json
import math
import re
from dataclasses import dataclass, field
from typing import Any

from portal.errors import PortalError
from portal.normalize import haversine_km
from portal.rows.base import LAT, LON, RowsStore, table_name
from portal.rows.sql import Sql
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
# Bounds on what one query may ask, well inside SQLite's own limits (a LIKE pattern of
# 50,000 bytes, an expression tree 1,000 deep, bound variables) so that a request over
# them is a 400 that says which, never an SQLite error.
MAX_TEXT = 1_000  # characters of `q` or of one filter value
MAX_FILTERS = 50  # field filters in one query
MAX_VALUES = 500  # values of one `__in` filter, or municipality codes
MAX_CURSOR = 100  # characters of a cursor (this API's are about 20)
INT64 = (-(2**63), 2**63 - 1)  # what SQLite stores as an INTEGER


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
        self._check_sizes()
        if self.near is not None:
            _check_near(*self.near)
        # A field named twice would make SQLite refuse thousands of columns or sort terms.
        first: dict[str, bool] = {}
        for name, descending in self.sort:
            first.setdefault(name, descending)
        self.sort = list(first.items())
        self.select = list(dict.fromkeys(self.select)) if self.select else self.select
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

    def _check_sizes(self) -> None:
        if len(self.filters) > MAX_FILTERS:
            raise BadQuery(detail=f"at most {MAX_FILTERS} filters in one query ({len(self.filters)} given)",
                           detail_ja=f"フィルタは 1 回に {MAX_FILTERS} 個までです（{len(self.filters)} 個）")  # fmt: skip
        if len(self.lgcodes or []) > MAX_VALUES:
            raise BadQuery(detail=f"at most {MAX_VALUES} municipality codes in lgcode",
                           detail_ja=f"lgcode の団体コードは {MAX_VALUES} 個までです")  # fmt: skip
        if self.q is not None and len(self.q) > MAX_TEXT:
            raise BadQuery(detail=f"q is {len(self.q):,} characters long; at most {MAX_TEXT:,}",
                           detail_ja=f"q が長すぎます（{len(self.q):,} 文字、上限 {MAX_TEXT:,} 文字）")  # fmt: skip
        for name, op, value in self.filters:
            values = value if op == "in" else [value]
            if len(values) > MAX_VALUES:
                raise BadQuery(detail=f"at most {MAX_VALUES} values in {name}__in",
                               detail_ja=f"{name}__in の値は {MAX_VALUES} 個までです")  # fmt: skip
            if any(len(str(v)) > MAX_TEXT for v in values):
                raise BadQuery(detail=f"a value of {name} is over {MAX_TEXT:,} characters",
                               detail_ja=f"{name} の値が長すぎます（上限 {MAX_TEXT:,} 文字）")  # fmt: skip


def _check_near(lat: float, lon: float, metres: float) -> None:
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):  # also false for NaN
        raise BadQuery(detail=f"lat must be -90…90 and lon -180…180 (given {lat}, {lon})",
                       detail_ja=f"lat は -90〜90、lon は -180〜180 で指定してください（{lat}, {lon}）")  # fmt: skip
    if not 0.0 < metres <= 100_000.0:
        raise BadQuery(detail="distance must be over 0 and at most 100000 metres",
                       detail_ja="distance は 0 より大きく 100000 m 以下で指定してください")  # fmt: skip


RANGES = ("gt", "gte", "lt", "lte")


def filter_value(name: str, kind: str, op: str, value: str) -> Any:
    """A filter value typed as the field's values are stored. A number the store cannot hold
    as one (an integer beyond 64 bits, an infinite or NaN number) is kept as its text, so
    `=` finds the cell that holds it; a range over it is a 400, not an SQLite error or an
    order of text against numbers."""
    stripped = value.strip()
    if op in RANGES and kind == "integer" and re.fullmatch(r"[+-]?\d+", stripped):
        if not INT64[0] <= int(stripped) <= INT64[1]:
            raise BadQuery(detail=f"{name}__{op}: {value} is beyond the integers this API compares (±9.2×10^18)",
                           detail_ja=f"{name}__{op}: {value} は比較できる整数の範囲（±9.2×10^18）を超えています")  # fmt: skip
    if op in RANGES and kind == "number" and _is_float(stripped):
        if not math.isfinite(float(stripped)):
            raise BadQuery(detail=f"{name}__{op}: {value} is not a finite number",
                           detail_ja=f"{name}__{op}: {value} は有限の数値ではありません")  # fmt: skip
    typed = typed_value(value, kind)
    if isinstance(typed, int) and not INT64[0] <= typed <= INT64[1]:
        return value  # as the rows store keeps such a cell
    if isinstance(typed, float) and not math.isfinite(typed):
        return value
    return typed


def _is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


@dataclass
class Page:
    rows: list[dict[str, Any]]
    total: int
    next_cursor: str | None


def _encode(last_id: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"after": last_id}).encode()).decode().rstrip("=")


def _decode(cursor: str) -> int:
    try:
        if len(cursor) > MAX_CURSOR:
            raise ValueError("longer than any cursor this API gives")
        padded = cursor + "=" * (-len(cursor) % 4)
        after = json.loads(base64.urlsafe_b64decode(padded))["after"]
        if not isinstance(after, int) or not 0 <= after <= INT64[1]:
            raise ValueError("not a row id")
        return after
    except (ValueError, KeyError, TypeError, RecursionError):
        raise BadQuery(
            detail="the cursor is not one this API gave", detail_ja="cursor が正しくありません"
        ) from None


def _where(q: Query, store: RowsStore) -> tuple[list[str], list[Any]]:
    sql = store.sql
    clauses, params = [], []
    if q.datasets is not None:
        clauses.append(f"_dataset IN ({', '.join([sql.param] * len(q.datasets))})")
        params += q.datasets
    if q.lgcodes:
        clauses.append(f"_lgcode IN ({', '.join([sql.param] * len(q.lgcodes))})")
        params += q.lgcodes
    for name, op, value in q.filters:
        kind = q.types.get(name, "string")
        if op == "in":
            clause, values = sql.member(
                name, kind, [filter_value(name, kind, op, v) for v in value]
            )
        elif op == "like":
            clause, values = sql.contains(name, kind, value)
            if kind == "string" and (narrowed := _narrowed(store, q, value, name)):
                clauses.append(narrowed[0])
                params += narrowed[1]
        else:
            clause, values = sql.compare(name, kind, OPS[op], filter_value(name, kind, op, value))
        clauses.append(clause)
        params += values
    if q.q:
        searched = _text_fields(q)
        if narrowed := _narrowed(store, q, q.q):
            clauses.append(narrowed[0])
            params += narrowed[1]
        text = [sql.contains(n, "string", q.q) for n in searched]
        clauses.append("(" + " OR ".join(clause for clause, _ in text) + ")")
        params += [p for _, values in text for p in values]
    return clauses, params


def _text_fields(q: Query) -> list[str]:
    return [n for n in q.fields if q.types.get(n) == "string"]


def _narrowed(
    store: RowsStore, q: Query, text: str, column: str | None = None
) -> tuple[str, list[Any]] | None:
    """The text index's narrowing of a text match (`q`, or a `like` filter on `column`)."""
    return store.text_filter(table_name(q.key), _text_fields(q), text, column)


def _near(q: Query, sql: Sql, table: str) -> tuple[str, list[Any]]:
    lat, lon, metres = q.near  # type: ignore[misc]
    dlat = metres / 111_320.0
    dlon = metres / (111_320.0 * max(math.cos(math.radians(lat)), 0.01))
    return sql.box(table, q.types, (lat - dlat, lat + dlat), (lon - dlon, lon + dlon))


MAX_NEAR = 50_000  # candidates a distance query may examine


def run(store: RowsStore, q: Query) -> Page:
    q.check()
    if q.near:
        return _run_near(store, q)
    sql, table = store.sql, table_name(q.key)
    clauses, params = _where(q, store)
    count_sql = f"SELECT count(*) FROM {sql.ident(table)}" + (
        " WHERE " + " AND ".join(clauses) if clauses else ""
    )
    count_params = list(params)
    if q.cursor:
        clauses.append(f"_id > {sql.param}")
        params.append(_decode(q.cursor))
    where = " WHERE " + " AND ".join(clauses) if clauses else ""
    # _id last: rows that sort alike come in one order, page after page.
    order = ", ".join([*(sql.order(n, q.types.get(n, "string"), d) for n, d in q.sort), "_id"])
    columns = q.select or q.fields
    page = f"SELECT {sql.select(columns, q.types)} FROM {sql.ident(table)}{where} ORDER BY {order} LIMIT {sql.param} OFFSET {sql.param}"
    fetched = store.fetch([(count_sql, count_params), (page, [*params, q.limit, q.offset])])
    if fetched is None:  # nothing of this standard is published yet
        return Page([], 0, None)
    (total,), rows = fetched[0][0], fetched[1]
    records = [sql.record(r, columns, q.types) for r in rows]
    more = not q.sort and len(rows) == q.limit
    return Page(records, total, _encode(rows[-1][0]) if more else None)


def _run_near(store: RowsStore, q: Query) -> Page:
    """Every row in the bounding box, measured exactly, nearest first, then paged."""
    if LAT not in q.fields or LON not in q.fields:
        raise BadQuery(
            detail="this dataset has no coordinates", detail_ja="このデータには座標がありません"
        )
    sql, table = store.sql, table_name(q.key)
    clauses, params = _where(q, store)
    box, corners = _near(q, sql, table)
    clauses.append(box)
    params += corners
    columns = list(dict.fromkeys([*(q.select or q.fields), LAT, LON]))
    statement = f"SELECT {sql.select(columns, q.types)} FROM {sql.ident(table)} WHERE {' AND '.join(clauses)} LIMIT {MAX_NEAR}"
    fetched = store.fetch([(statement, params)])
    if fetched is None:
        return Page([], 0, None)
    rows = _within([sql.record(r, columns, q.types) for r in fetched[0]], q.near)  # type: ignore[arg-type]
    if q.select is not None:
        rows = [{k: v for k, v in r.items() if k in q.select or k.startswith("_")} for r in rows]
    return Page(rows[q.offset : q.offset + q.limit], len(rows), None)


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
