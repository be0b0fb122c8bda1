"""Catalogue search that works on Japanese: CJK text indexed as overlapping bigrams.

Japanese has no spaces between words, so a whitespace tokenizer makes a title
one token and "避難場所" finds nothing in "指定緊急避難場所一覧". Here every run of
CJK characters is cut into two-character terms (避難 難場 場所 …) and Latin words
and numbers are kept whole; a query is cut the same way and all its terms must
match. The database indexes these terms (portal/store/search.py: FTS5 on SQLite, a
tsvector on PostgreSQL). The same idea as the Solr analyser of scripts/solr_japanese.py,
so every back end searches alike.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from portal.search.extras import SEARCH_EXTRAS

CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3005\u3006\u30fc]+")
WORD = re.compile(r"[0-9a-z]+")


def terms(text: str) -> list[str]:
    """Index terms of a text: CJK bigrams (a lone character stays whole), Latin words, numbers."""
    norm = unicodedata.normalize("NFKC", text).lower()
    out: list[str] = []
    for match in re.finditer(f"{CJK.pattern}|{WORD.pattern}", norm):
        run = match.group(0)
        if CJK.fullmatch(run):
            out += [run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)]
        else:
            out.append(run)
    return out


def document(package: dict[str, Any]) -> str:
    """The search document of a dataset: its index terms, space-separated (packages.search_terms)."""
    parts = [package.get("name", ""), package.get("title", ""), package.get("notes", "")]
    parts += [t["name"] for t in package.get("tags", [])]
    parts += [(package.get("organization") or {}).get("title", "")]
    parts += [r.get("name", "") for r in package.get("resources", [])]
    # The standard's title, its category and the rows' names (portal/search/extras.py), which
    # CKAN's Solr indexes too (extras_* are copied into its text field).
    parts += [
        e.get("value", "") for e in package.get("extras", []) if e.get("key") in SEARCH_EXTRAS
    ]
    text = " ".join(p for p in parts if p)
    # Single characters too, so that a one-character query (「市」, a one-kanji name) finds something.
    singles = {c for run in CJK.findall(unicodedata.normalize("NFKC", text)) for c in run}
    return " ".join([*terms(text), *sorted(singles)])
