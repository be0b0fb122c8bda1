"""Catalogue search in the database, alike on SQLite and PostgreSQL.

Both index the same document: packages.search_terms, the bigram terms of
portal/search/index.py (Japanese has no spaces between words; every CJK run is cut into
overlapping two-character terms). A query is cut the same way and every term must match.

- SQLite: an FTS5 table that triggers keep in step with packages (migration 0001),
  ranked by BM25, as the in-memory index does today.
- PostgreSQL: `to_tsvector('simple', search_terms)`, GIN-indexed, ranked by ts_rank. The
  'simple' configuration neither stems nor drops words, so a term is a lexeme as it is.
  Why not pg_trgm: a two-character query (「焼津」, most Japanese words) has no trigram
  to look up, and substring matching would not search like the SQLite side. Why not
  pg_bigm: an extension few managed PostgreSQL services offer.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from portal.search.index import terms

SQLITE_QUERY = text(
    "SELECT name FROM package_search WHERE package_search MATCH :match"
    " ORDER BY bm25(package_search), name LIMIT :limit"
)
POSTGRESQL_QUERY = text(
    "SELECT name FROM packages"
    " WHERE to_tsvector('simple'::regconfig, search_terms) @@ plainto_tsquery('simple', :terms)"
    " ORDER BY ts_rank(to_tsvector('simple'::regconfig, search_terms),"
    " plainto_tsquery('simple', :terms)) DESC, name LIMIT :limit"
)
MAX_RESULTS = 1000


def search_names(connection: Connection, query: str, limit: int = MAX_RESULTS) -> list[str]:
    """Names of the packages matching every term of `query`, best first; [] for no terms."""
    wanted = terms(query)
    if not wanted:
        return []
    if connection.dialect.name == "sqlite":
        match = " AND ".join('"' + t.replace('"', '""') + '"' for t in wanted)
        rows = connection.execute(SQLITE_QUERY, {"match": match, "limit": limit})
    else:
        rows = connection.execute(POSTGRESQL_QUERY, {"terms": " ".join(wanted), "limit": limit})
    return [name for (name,) in rows]
