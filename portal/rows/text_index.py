"""The free-text index of a standard's rows on SQLite: an FTS5 table with the trigram
tokenizer over the standard's text fields, its content kept in the rows table itself
(external content, so the text is stored once).

`q` is answered as before — a LIKE on every text field, OR-ed — and the index only narrows
the rows that LIKE reads: for a query of three or more characters without LIKE's wildcards,
every row whose field contains the text holds all the text's trigrams in that field, so
`MATCH "<text>"` finds a superset of the LIKE's rows (trigram folds case as LIKE does for
ASCII, and more), never fewer. A shorter query (most two-character Japanese words, 堺市) has
no trigram to look up and reads every row, as before. Nationwide (1,741 municipalities × 200
rows) this takes a free-text query from a scan of every row to the few that hold it
(bench/national.py).
"""

from __future__ import annotations

import sqlite3

from portal.rows.base import quote
from portal.standards import Definition

MIN_CHARS = 3  # a trigram index has nothing to look up for a shorter text
SUFFIX = "__text"


def text_fields(definition: Definition) -> list[str]:
    """The fields `q` searches: those of type string (as portal.rows.query does)."""
    return [f["name"] for f in definition.fields if f.get("type", "string") == "string"]


def _create(table: str, fields: list[str]) -> str:
    columns = ", ".join(quote(n) for n in fields)
    return (f"CREATE VIRTUAL TABLE {quote(table + SUFFIX)} USING fts5({columns}, "
            f"content='{table}', content_rowid='_id', tokenize='trigram case_sensitive 0')")  # fmt: skip


def ensure(db: sqlite3.Connection, table: str, definition: Definition) -> None:
    """The index as the definition's text fields want it: made (and filled from the rows
    already loaded, so an older rows store gains it on its next load), or made again when the
    definition gained a text field."""
    fields = text_fields(definition)
    wanted = _create(table, fields) if fields else None
    row = db.execute("SELECT sql FROM sqlite_master WHERE name=?", (table + SUFFIX,)).fetchone()
    if row is not None and row[0] == wanted:
        return
    if row is not None:
        db.execute(f"DROP TABLE {quote(table + SUFFIX)}")
    if wanted is not None:
        db.execute(wanted)
        index = quote(table + SUFFIX)
        db.execute(f"INSERT INTO {index}({index}) VALUES ('rebuild')")


def _columns(db: sqlite3.Connection, table: str) -> list[str] | None:
    rows = db.execute(f"PRAGMA table_info({quote(table + SUFFIX)})").fetchall()
    return [r[1] for r in rows] or None


def add(db: sqlite3.Connection, table: str, dataset: str) -> None:
    """Index the rows of `dataset` just inserted."""
    if (fields := _columns(db, table)) is None:
        return
    columns = ", ".join(quote(n) for n in fields)
    db.execute(f"INSERT INTO {quote(table + SUFFIX)}(rowid, {columns}) "
               f"SELECT _id, {columns} FROM {quote(table)} WHERE _dataset=?", (dataset,))  # fmt: skip


def remove(db: sqlite3.Connection, table: str, dataset: str) -> None:
    """Take the rows of `dataset` out of the index, before they are deleted (an external
    content index is told the values it indexed)."""
    if (fields := _columns(db, table)) is None:
        return
    index, columns = quote(table + SUFFIX), ", ".join(quote(n) for n in fields)
    db.execute(f"INSERT INTO {index}({index}, rowid, {columns}) "
               f"SELECT 'delete', _id, {columns} FROM {quote(table)} WHERE _dataset=?", (dataset,))  # fmt: skip


def prefilter(db: sqlite3.Connection, table: str, text: str,
              column: str | None = None) -> tuple[str, list[str]] | None:  # fmt: skip
    """A clause narrowing a text match to the rows the index finds — in any field, or in
    `column` alone (FTS5's column filter) — or None when the index cannot help (too short,
    LIKE wildcards, no index in this store, a column it does not hold)."""
    if len(text) < MIN_CHARS or "%" in text or "_" in text:
        return None
    fields = _columns(db, table)
    if fields is None or (column is not None and column not in fields):
        return None
    index = quote(table + SUFFIX)
    phrase = '"' + text.replace('"', '""') + '"'
    if column is not None:
        phrase = f"{quote(column)} : {phrase}"
    return f"_id IN (SELECT rowid FROM {index} WHERE {index} MATCH ?)", [phrase]
