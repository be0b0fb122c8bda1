"""Catalogue search as CKAN's package_search takes it: the query (`Search`, with `fq` parsed
from Solr's filter syntax), and for the embedded catalogue the filters, facets and sorting
applied to the datasets its database search found (CKAN's Solr does all that itself).

Two kinds of filter: `fq`, the portal's own (field → value, from its pages and API), and
`filter_query`, a Solr filter query as CKAN's clients send it (portal/catalogue/fq.py
answers it as CKAN's Solr does; the CKAN catalogue passes it to CKAN)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from portal.catalogue.base import Package, extras
from portal.catalogue.fq import parse_filter
from portal.catalogue.meta import STANDARD_FILTER
from portal.search.synonyms import Expansion

FACETS = ("tags", "organization", "license_id", "res_format", STANDARD_FILTER)


@dataclass
class Search:
    q: str = ""
    fq: dict[str, str] = field(
        default_factory=dict
    )  # field → value; metadata_modified → lower bound
    rows: int = 20
    start: int = 0
    sort: str = ""
    facets: list[str] = field(default_factory=list)
    filter_query: str = ""  # Solr syntax, as package_search's fq
    # The query's words with their synonyms (portal/search/synonyms.py), when the portal's own
    # search expanded it; () for q as given (the CKAN Action API's package_search).
    expansion: Expansion = ()


def _value(package: Package, key: str) -> list[str]:
    if key == "tags":
        return [t["name"] for t in package.get("tags", [])]
    if key == "organization":
        return [(package.get("organization") or {}).get("name", "")]
    if key == "res_format":
        return sorted({r.get("format", "") for r in package.get("resources", [])})
    if key.startswith("extras_"):
        return [extras(package).get(key[7:], "")]
    return [str(package.get(key, ""))]


def found(packages: list[Package], s: Search, ranked: list[str] | None) -> dict[str, Any]:
    """{"count", "results", "facets"} as CKAN's package_search gives them, from the public
    `packages` (newest first) and, for a text query, the names it `ranked` (best first)."""
    if ranked is not None:
        rank = {name: i for i, name in enumerate(ranked)}
        packages = sorted((p for p in packages if p["name"] in rank), key=lambda p: rank[p["name"]])
    if s.filter_query:
        kept = parse_filter(s.filter_query)
        packages = [p for p in packages if kept(p)]
    for key, wanted in s.fq.items():
        if key == "metadata_modified":
            packages = [p for p in packages if p["metadata_modified"] >= wanted.rstrip("Z")]
        elif key.startswith("-"):  # harvesters exclude with -organization:name
            packages = [p for p in packages if wanted not in _value(p, key[1:])]
        else:
            packages = [p for p in packages if wanted in _value(p, key)]
    packages = _sorted(packages, s.sort, ranked is not None)
    facets = {
        f: dict(Counter(v for p in packages for v in _value(p, f) if v).most_common())
        for f in s.facets
    }
    return {
        "count": len(packages),
        "results": packages[s.start : s.start + s.rows],
        "facets": facets,
    }


def text_query(s: Search) -> str | Expansion | None:
    """The words to search for (with their synonyms when expanded); None for none (an empty
    query or Solr's match-all)."""
    if s.expansion:
        return s.expansion
    return s.q if s.q and s.q.strip() not in ("*:*", "*") else None


def _sorted(packages: list[Package], sort: str, ranked: bool) -> list[Package]:
    key, _, direction = (sort or ("" if ranked else "metadata_modified desc")).partition(" ")
    if not key or key == "score":
        return packages
    field_name = {"title_string": "title"}.get(key, key)
    return sorted(packages, key=lambda p: str(p.get(field_name, "")), reverse=direction == "desc")
