"""Catalogue search in the database, alike on SQLite and PostgreSQL.

Both index the same document: packages.search_terms, the bigram terms of
portal/search/index.py (Japanese has no spaces between words; every CJK run is cut into
overlapping two-character terms). A query is cut the same way and every term must match. An expanded query (portal/search/synonyms.py:
each word with its synonyms) matches when every word matches through any of its alternatives, and an
alternative matches when all its terms do: an AND of ORs of ANDs.

- SQLite: an FTS5 table that triggers keep in step with packages (migration 0001),
  ranked by BM25, as the in-memory index does today.
- PostgreSQL: `to_tsvector('simple', search_terms)`, GIN-indexed, ranked by ts_rank. The
  'simple' configuration neither stems nor drops words, so a term is a lexeme as it is.
  Why not pg_trgm: a two-character query (「焼津」, most Japanese words) has no trigram
  to look up, and substring matching would not search like the SQLite side. Why not
  pg_bigm: an extension few managed PostgreSQL services offer.
"""

from __future__ import annotations

from sqlalchemy import Connection, TextClause, text

from portal.search.index import terms
from portal.search.synonyms import Expansion

SQLITE_QUERY = text(
    "SELECT name FROM package_search WHERE package_search MATCH :match"
    " ORDER BY bm25(package_search), name LIMIT :limit"
)
# {query}: a tsquery built of plainto_tsquery(:tN) joined by && and || (every term a parameter)
POSTGRESQL_QUERY = (
    "SELECT name FROM packages"
    " WHERE to_tsvector('simple'::regconfig, search_terms) @@ ({query})"
    " ORDER BY ts_rank(to_tsvector('simple'::regconfig, search_terms), ({query})) DESC, name"
    " LIMIT :limit"
)
MAX_RESULTS = 1000


def search_names(
    connection: Connection, query: str | Expansion, limit: int = MAX_RESULTS
) -> list[str]:
    """Names of the packages matching `query` (every term of it, or for an expansion every
    word through one of its alternatives), best first; [] for no terms."""
    words = [[" ".join(t) for a in word if (t := terms(a))] for word in _words(query)]
    words = [w for w in words if w]
    if not words:
        return []
    if connection.dialect.name == "sqlite":
        rows = connection.execute(SQLITE_QUERY, {"match": _fts5_match(words), "limit": limit})
    else:
        statement, params = _tsquery(words)
        rows = connection.execute(statement, {**params, "limit": limit})
    return [name for (name,) in rows]


def _words(query: str | Expansion) -> Expansion:
    return ((query,),) if isinstance(query, str) else query


def _fts5_match(words: list[list[str]]) -> str:
    """FTS5's query: ("a" AND "b") OR ("c" AND "d"), words joined by AND."""

    def alternative(spaced: str) -> str:
        return "(" + " AND ".join('"' + t.replace('"', '""') + '"' for t in spaced.split()) + ")"

    return " AND ".join("(" + " OR ".join(map(alternative, word)) + ")" for word in words)


def _tsquery(words: list[list[str]]) -> tuple[TextClause, dict[str, str]]:
    """The tsquery of the words, each alternative a parameter of plainto_tsquery (all its
    terms must match; the 'simple' configuration keeps every term as it is)."""
    params: dict[str, str] = {}
    clauses = []
    for word in words:
        ors = []
        for spaced in word:
            name = f"t{len(params)}"
            params[name] = spaced
            ors.append(f"plainto_tsquery('simple', :{name})")
        clauses.append("(" + " || ".join(ors) + ")")
    return text(POSTGRESQL_QUERY.format(query=" && ".join(clauses))), params
