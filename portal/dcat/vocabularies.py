"""The controlled vocabularies of the DCAT output (vocabularies.yaml): file types and media
types by format, data themes by standard, the language, the catalogue's description."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml


@dataclass(frozen=True)
class Format:
    file_type: str  # IRI in the EU file-type table
    media_type: str  # IANA media type, e.g. text/csv


@dataclass(frozen=True)
class Theme:
    iri: str
    label_en: str


@cache
def _table() -> dict[str, Any]:
    text = resources.files("portal.dcat").joinpath("vocabularies.yaml").read_text("utf-8")
    table: dict[str, Any] = yaml.safe_load(text)
    return table


def format_of(name: str | None) -> Format | None:
    """The file type and default media type of a resource's `format` (CSV, GeoJSON…)."""
    entry = _table()["formats"].get(name or "")
    if entry is None:
        return None
    return Format(_table()["file_type_base"] + entry["file_type"], entry["media_type"])


def media_type_iri(media_type: str) -> str:
    """The IANA registry's IRI of a media type: text/csv → …/media-types/text/csv."""
    return str(_table()["media_type_base"]) + media_type


def themes_of(standard: str | None) -> list[Theme]:
    table = _table()
    codes: list[str] = table["standard_themes"].get(standard or "", [])
    return [Theme(f"{table['theme_scheme']}/{code}", table["themes"][code]) for code in codes]


def theme_scheme() -> tuple[str, str]:
    """The data-theme table's IRI and title."""
    return _table()["theme_scheme"], _table()["theme_scheme_title"]


def language() -> str:
    return str(_table()["language"])


def publisher_type() -> tuple[str, str]:
    """The ADMS publisher type of a municipality: IRI and label."""
    return _table()["publisher_type"], _table()["publisher_type_label"]


def catalogue_description(publisher: str, lang: str) -> str:
    return str(_table()["catalogue_description"][lang]).format(publisher=publisher)
