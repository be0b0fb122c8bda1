"""Related searches for a query that found nothing: the words of its synonym groups, each of
its words alone (when several together found nothing) and the categories whose standards' words
it shares; the categories to browse when nothing is related. A resident who typed a word the
catalogue does not know still gets somewhere."""

from __future__ import annotations

import unicodedata

from portal.search.categories import categories
from portal.search.index import terms
from portal.search.synonyms import Synonyms, key

MAX_RELATED = 8


def related_searches(query: str, synonyms: Synonyms) -> list[str]:
    """Searches to suggest for `query`, best first, at most MAX_RELATED, never the query itself."""
    words = unicodedata.normalize("NFKC", query).split()
    wanted = {t for w in words for t in terms(w)}
    out: list[str] = []
    if len(words) > 1:
        out += words  # every word together found nothing: each alone may
    for group in synonyms.groups():
        if any(wanted & set(terms(w)) for w in group):
            out += [w for w in group if key(w) not in {key(x) for x in words}][:3]
    for category in categories():
        if wanted & set(terms(category.name)):
            out.append(category.name)
    if not out:  # nothing related known: offer the categories to browse
        out = [c.name for c in categories()]
    unique: dict[str, str] = {}
    for suggestion in out:
        if (k := key(suggestion)) != key(query):
            unique.setdefault(k, suggestion)
    return list(unique.values())[:MAX_RELATED]
