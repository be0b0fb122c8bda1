"""Search in residents' words: a query's words expanded with synonyms and related terms.

A resident types 避難所, the standard's title says 指定緊急避難場所: the words of a query are
looked up in portal/search/synonyms.yaml (plus a city's own file, PORTAL_SEARCH_SYNONYMS), and
each word becomes the alternatives it stands for. Both catalogue back ends search the same
expansion: the embedded one as an AND of ORs of bigram terms (portal/store/search.py), CKAN as
a Solr query of quoted phrases (`solr_query`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from portal.errors import Location, PortalError

BUNDLED = "synonyms.yaml"
# What a word's look-up ignores: Wi-Fi, WiFi and wi fi are one key; 医療・福祉 and 医療福祉 too.
SEPARATORS = re.compile(r"[\s\-‐―・_./]+")
MAX_WORDS = (
    8  # a query's words expanded; more are searched as typed (bounds the SQL and Solr query)
)
MAX_ALTERNATIVES = 16  # alternatives per word
MATCH_ALL = ("*", "*:*")

Expansion = tuple[tuple[str, ...], ...]  # per word of the query, the alternatives (the word first)


class BadSynonyms(PortalError):
    code = "bad-synonyms"
    status = 500
    exit_code = 2
    template_en = "{path}: {detail}"
    template_ja = "{path}: {detail_ja}"
    hint_en = "the file has `groups:` (lists of words) and `related:` (word: [words]); see portal/search/synonyms.yaml"
    hint_ja = "`groups:`（語のリスト）と `related:`（語: [語, …]）の形で書いてください。portal/search/synonyms.yaml が例です"


def key(word: str) -> str:
    """The look-up form of a word: widths and case folded, separators dropped (ＷｉＦｉ = Wi-Fi)."""
    return SEPARATORS.sub("", unicodedata.normalize("NFKC", word).casefold())


@dataclass(frozen=True)
class Synonyms:
    """Word → the words it also finds, by look-up key."""

    finds: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def alternatives(self, word: str) -> tuple[str, ...]:
        """The word and what it also finds, the word first, without repeats."""
        more = self.finds.get(key(word), ())
        return tuple(dict.fromkeys([word, *more]))[:MAX_ALTERNATIVES]

    def expand(self, query: str) -> Expansion:
        """Every word of `query` (split on spaces, full-width ones too) with its alternatives;
        () for no words or Solr's match-all (every dataset)."""
        if query.strip() in MATCH_ALL:
            return ()
        words = unicodedata.normalize("NFKC", query).split()
        return tuple(self.alternatives(w) if i < MAX_WORDS else (w,) for i, w in enumerate(words))

    def groups(self) -> list[tuple[str, ...]]:
        """Every distinct list of alternatives (for related searches)."""
        return list(dict.fromkeys(self.finds.values()))


def parse(data: Any, where: str) -> tuple[list[list[str]], dict[str, list[str]]]:
    """The groups and related terms of a synonyms file, checked."""
    data = data or {}
    groups, related = data.get("groups", []), data.get("related", {})
    good = (
        isinstance(data, dict)
        and isinstance(groups, list)
        and all(isinstance(g, list) and all(isinstance(w, str) for w in g) for g in groups)
        and isinstance(related, dict)
        and all(
            isinstance(k, str) and isinstance(v, list) and all(isinstance(w, str) for w in v)
            for k, v in related.items()
        )
    )
    if not good:
        raise BadSynonyms(path=where, detail="not the shape of a synonyms file",
                          detail_ja="同義語ファイルの形ではありません", location=Location(file=where))  # fmt: skip
    return groups, related


def build(sources: list[tuple[Any, str]]) -> Synonyms:
    """Synonyms from the parsed files, in order (a city's file after the bundled one)."""
    finds: dict[str, list[str]] = {}
    for data, where in sources:
        groups, related = parse(data, where)
        for group in groups:
            for word in group:
                finds.setdefault(key(word), []).extend(w for w in group if key(w) != key(word))
        for word, terms in related.items():
            finds.setdefault(key(word), []).extend(terms)
    return Synonyms({k: tuple(dict.fromkeys(v)) for k, v in finds.items()})


def _read(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise BadSynonyms(path=str(path), detail=f"cannot read it ({type(exc).__name__})",
                          detail_ja=f"読めません（{type(exc).__name__}）", location=Location(file=str(path))) from None  # fmt: skip


@cache
def synonyms(extra: Path | None = None) -> Synonyms:
    """The bundled synonyms, with a city's own file (PORTAL_SEARCH_SYNONYMS) merged over them."""
    bundled = resources.files("portal.search").joinpath(BUNDLED).read_text(encoding="utf-8")
    sources = [(yaml.safe_load(bundled), f"portal/search/{BUNDLED}")]
    if extra is not None:
        sources.append((_read(extra), str(extra)))
    return build(sources)


def solr_phrase(text: str) -> str:
    """A quoted Solr phrase (the Japanese analyser cuts it into bigrams that must follow each other)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def solr_query(expansion: Expansion) -> str:
    """CKAN's `q` for an expansion: every word, any of its alternatives, in the `text` field.

    A `q` with a field name goes to Solr's standard parser (CKAN uses dismax only for a q
    without `:`, and dismax takes no OR), with CKAN's q.op=AND between the words. `text` is
    where CKAN's schema copies the title, notes, tags, organization and extras_*.
    """
    words = [
        "text:(" + " OR ".join(solr_phrase(a) for a in alternatives) + ")"
        for alternatives in expansion
        if any(a.strip('"\\ ') for a in alternatives)
    ]
    return " AND ".join(words) or "*:*"
