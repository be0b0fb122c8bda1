"""CKAN DataStore's `datastore_search` over one published dataset's rows.

The rows store's own query (portal.rows.query) answers the portal's row API; CKAN's
DataStore means a few things differently, so its search is written here on the same pieces
(each back end's Sql): `_id` is the row's number in the published CSV (1, 2, …, as CKAN
numbers the records it was given), NULL sorts as the largest value (PostgreSQL's order, which
CKAN's answers follow), `distinct` drops repeated rows, and `q` is a set of words that must
each appear in some field of the row (CKAN's plainto_tsquery ANDs its words). Every value is
a bound parameter; field names are checked against the schema before they reach this module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from portal.rows.base import RowsStore, table_name
from portal.rows.query import filter_value
from portal.rows.sql import NUMERIC_KINDS, PostgresSql, Sql

ID = "_id"  # CKAN's record number
ID_TYPE = "int"  # as CKAN's datastore_search types it
ROW = "_row"  # the rows store's line number: the header is row 1, so _id = _row - 1
# The DataStore column type a field of each Table Schema type is served as (CKAN's names).
CKAN_TYPES = {"integer": "int8", "number": "numeric"}
NATIVE_TYPES = {"int8": "bigint", "numeric": "numeric", "text": "text"}


def ckan_type(kind: str) -> str:
    """Cells of other types are served as published (text): typed_value keeps them so."""
    return CKAN_TYPES.get(kind, "text")


@dataclass
class Search:
    key: str  # the standard dataset version (table)
    dataset: str  # the published dataset whose rows are searched
    types: dict[str, str]  # the schema's fields and their Table Schema types
    select: list[str]  # what each record holds, in order: ID and/or schema fields
    filters: list[tuple[str, list[Any]]] = field(default_factory=list)  # field in values
    words: list[str] = field(default_factory=list)  # each in some field of the row
    field_words: list[tuple[str, list[str]]] = field(default_factory=list)  # q as a dict
    sort: list[tuple[str, bool]] = field(default_factory=list)  # (field, descending)
    limit: int = 100
    offset: int = 0
    distinct: bool = False
    include_total: bool = True


@dataclass
class Found:
    rows: list[dict[str, Any]]  # each with the fields of `select`, in order
    total: int | None


def _matches(sql: Sql, s: Search) -> tuple[list[str], list[Any]]:
    clauses, params = [f"_dataset = {sql.param}"], [s.dataset]
    for name, values in s.filters:
        if name == ID:
            clause = f"({ROW} - 1) IN ({', '.join([sql.param] * len(values))})"
            clauses.append(clause)
            params += values
            continue
        kind = s.types[name]
        typed = [filter_value(name, kind, "eq", v) for v in values]
        one = sql.compare(name, kind, "=", typed[0]) if len(typed) == 1 else None
        clause, bound = one or sql.member(name, kind, typed)
        clauses.append(clause)
        params += bound
    searched = [(list(s.types), w) for w in s.words]
    searched += [([name], w) for name, words in s.field_words for w in words]
    for names, word in searched:
        anywhere = [sql.contains(n, "string", word) for n in names]
        clauses.append("(" + " OR ".join(c for c, _ in anywhere) + ")")
        params += [p for _, bound in anywhere for p in bound]
    return clauses, params


def _order(sql: Sql, s: Search) -> list[str]:
    """The sort: NULL after every value going up and before them going down (PostgreSQL's
    order, CKAN's answers), then the CSV's order, so that a page is the same every time."""
    terms = []
    for name, descending in s.sort:
        way = "DESC" if descending else "ASC"
        if name == ID:
            terms.append(f"{ROW} {way}")
            continue
        terms.append(f"({sql.ident(name)} IS NULL) {way}")
        terms.append(sql.order(name, s.types[name], descending))
    return terms


def _grouped(sql: Sql, s: Search) -> list[str]:
    """What `distinct` groups by: the selected columns (and on PostgreSQL the number column
    beside a number field's text, which its sort reads)."""
    terms = []
    for name in s.select:
        if name == ID:
            terms.append(ROW)
            continue
        terms.append(sql.ident(name))
        if isinstance(sql, PostgresSql) and s.types[name] in NUMERIC_KINDS:
            terms.append(sql.number(name))
    return terms


def search(store: RowsStore, s: Search) -> Found:
    """One page of the dataset's rows as `datastore_search` answers it, and the total."""
    sql = store.sql
    table = sql.ident(table_name(s.key))  # as portal.rows.query names it
    clauses, params = _matches(sql, s)
    where = " WHERE " + " AND ".join(clauses)
    names = [n for n in s.select if n != ID]
    columns = ", ".join(["_dataset", "_lgcode", *(sql.ident(n) for n in names)])
    if s.distinct:
        group = ", ".join(_grouped(sql, s))
        columns = ", ".join(["min(_dataset)", "min(_lgcode)", *(sql.ident(n) for n in names)])
        first = f"min({ROW})"
        page = (f"SELECT {first} - 1, {columns} FROM {table}{where} GROUP BY {group} "
                f"ORDER BY {', '.join([*_order(sql, s), first])}")  # fmt: skip
        count = f"SELECT count(*) FROM (SELECT 1 FROM {table}{where} GROUP BY {group}) g"
    else:
        page = (f"SELECT {ROW} - 1, {columns} FROM {table}{where} "
                f"ORDER BY {', '.join([*_order(sql, s), ROW])}")  # fmt: skip
        count = f"SELECT count(*) FROM {table}{where}"
    page += f" LIMIT {sql.param} OFFSET {sql.param}"
    statements = [(page, [*params, s.limit, s.offset])]
    if s.include_total:
        statements.append((count, list(params)))
    fetched = store.fetch(statements)
    if fetched is None:  # nothing of this standard is loaded
        return Found([], 0 if s.include_total else None)
    rows = []
    for row in fetched[0]:
        cells = sql.record(row, names, s.types)
        cells[ID] = row[0]
        rows.append({n: cells[n] for n in s.select})
    return Found(rows, fetched[1][0][0] if s.include_total else None)
