"""Catalogue search as CKAN's package_search takes it: the query (`Search`, with `fq` parsed
from Solr's filter syntax), and for the embedded catalogue the filters, facets and sorting
applied to the datasets its database search found (CKAN's Solr does all that itself)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from portal.catalogue.base import Package, extras
from portal.catalogue.meta import STANDARD_FILTER
from portal.search.synonyms import Expansion

FACETS = ("tags", "organization", "license_id", "res_format", STANDARD_FILTER)
FQ_TERM = re.compile(r'(\+?[\w.-]+):(?:"([^"]*)"|\[(\S+) TO (\S+)\]|(\S+))')


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
    # The query's words with their synonyms (portal/search/synonyms.py), when the portal's own
    # search expanded it; () for q as given (the CKAN Action API's package_search).
    expansion: Expansion = ()


def parse_fq(fq: str) -> dict[str, str]:
    """CKAN/Solr filter syntax as harvesters send it: `tags:"自治体標準ODS" organization:272051`,
    `metadata_modified:[2026-01-01T00:00:00Z TO *]`, `-organization:272051` (exclude)."""
    out: dict[str, str] = {}
    for m in FQ_TERM.finditer(fq):
        key = m.group(1).lstrip("+")
        if m.group(3) is not None:
            if key == "metadata_modified" and m.group(3) != "*":
                out["metadata_modified"] = m.group(3)
        else:
            out[key] = m.group(2) if m.group(2) is not None else m.group(5)
    return out


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
