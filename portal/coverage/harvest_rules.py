"""How a region harvest reads one package of another CKAN catalogue: is it a standard
dataset (BODIK's tags, else its CSV header), under an open licence, when was it
published — and the package in the shape `compute` reads (the portal's own extras).

Pure functions, no network: the harvest fetches, these decide (harvest_rules.yaml holds
the markers, the open licences and the report's words).
"""

from __future__ import annotations

import tempfile
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import yaml

from portal.catalogue.base import Package
from portal.catalogue.mapping import INVALID_TAG
from portal.catalogue.meta import PortalMeta, Validation
from portal.errors import PortalError
from portal.formats import Limits
from portal.formats.layout_reader import read_table
from portal.standards import Definition, Registry
from portal.standards.detect import Detection, detect

RULES_FILE = Path(__file__).with_name("harvest_rules.yaml")
BY_TAGS = "tags"
BY_HEADER = "header"


@dataclass(frozen=True)
class Rules:
    markers: dict[str, str]  # tag → registry version (current, legacy)
    open_licences: frozenset[str]
    notes: dict[str, dict[str, str]]  # code → {en, ja}


@lru_cache(maxsize=1)
def rules(path: Path = RULES_FILE) -> Rules:
    loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Rules(
        markers={_norm(k): str(v) for k, v in loaded["markers"].items()},
        open_licences=frozenset(str(x).lower() for x in loaded["open_licences"]),
        notes=loaded["notes"],
    )


@dataclass(frozen=True)
class Note:
    """One line of the harvest's report, in both languages."""

    code: str
    en: str
    ja: str

    @classmethod
    def of(cls, code: str, **params: object) -> Note:
        words = rules().notes[code]
        return cls(code, words["en"].format(**params), words["ja"].format(**params))

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message_en": self.en, "message_ja": self.ja}


def _norm(text: str) -> str:
    # Full-width letters (ＡＥＤ) and stray spaces are how the same tag differs between sites.
    return unicodedata.normalize("NFKC", text).strip()


def tags_of(package: Mapping[str, Any]) -> list[str]:
    listed = package.get("tags")
    if not isinstance(listed, list):
        return []
    names = (t.get("name") if isinstance(t, Mapping) else t for t in listed)
    return [_norm(n) for n in names if isinstance(n, str) and n.strip()]


def by_tags(tags: list[str], registry: Registry) -> Definition | None:
    """BODIK's rule: a marker tag (自治体標準ODS, 推奨データセット) and the dataset's name tag.
    The marker chooses the version; a name the registry knows only in the other version
    still names the dataset."""
    marked = {rules().markers[t] for t in tags if t in rules().markers}
    if not marked:
        return None
    names = {t for t in tags if t not in rules().markers}
    found = [d for d in registry.all() if names & _names_of(d)]
    found.sort(key=lambda d: (d.version not in marked, d.version != "current"))
    return found[0] if found else None


def _names_of(definition: Definition) -> set[str]:
    tags = [_norm(str(t)) for t in definition.meta.get("tags", [])]
    return {t for t in tags if t not in rules().markers} | {_norm(definition.title_ja)}


def licence_of(package: Mapping[str, Any]) -> str:
    return str(package.get("license_id") or "").strip()


def is_open(licence: str) -> bool:
    return licence.lower() in rules().open_licences


def csv_resource(package: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The first resource that is a CSV, by its declared format or its URL."""
    resources = package.get("resources")
    for resource in resources if isinstance(resources, list) else []:
        if not isinstance(resource, Mapping) or not isinstance(resource.get("url"), str):
            continue
        kind = str(resource.get("format") or "").strip().lower()
        if kind == "csv" or urlparse(resource["url"]).path.lower().endswith(".csv"):
            return resource
    return None


def detect_head(head: bytes, registry: Registry, complete: bool) -> Detection:
    """The dataset a CSV's first bytes belong to, read as `portal validate` reads a file
    (encoding, title rows above the header). A cut-off last line is dropped."""
    if not complete and b"\n" in head:
        head = head[: head.rindex(b"\n") + 1]
    known = {name for d in registry.all() for name in d.field_names}
    with tempfile.TemporaryDirectory(prefix="portal-harvest-") as folder:
        path = Path(folder) / "head.csv"
        path.write_bytes(head)
        try:
            with read_table(path, known=known, limits=Limits(max_file_bytes=len(head) + 1)) as t:
                header = t.layout.header
        except PortalError:
            return Detection(None, 0.0)
    return detect(header, registry)


def published_at(package: Mapping[str, Any]) -> datetime | None:
    """When it was published: the portal's own extra when a portal published it, else the
    catalogue's last change of the dataset (CKAN writes it in UTC without an offset)."""
    own = PortalMeta.from_package(package).published_at
    if own is not None:
        return own
    text = package.get("metadata_modified")
    try:
        moment = datetime.fromisoformat(str(text))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def declared_validation(package: Mapping[str, Any]) -> Validation | None:
    """What the package itself says of its validity: a portal's extra, or the 要修正 tag."""
    declared = PortalMeta.from_package(package).validation
    if declared is None and INVALID_TAG in tags_of(package):
        return Validation(False, None)
    return declared


@dataclass(frozen=True)
class Judged:
    """One harvested package as coverage counts it."""

    lgcode: str
    definition: Definition
    validation: Validation | None  # None: not known (not validated, nothing declared)
    published_at: datetime | None
    page_url: str


def normalised(package: Mapping[str, Any], judged: Judged) -> Package:
    """The package in the CKAN shape `compute` reads: the peer's name, title and extras
    (its update frequency among them) with the portal's extras set from what was judged."""
    definition = judged.definition
    meta = PortalMeta(
        standard=definition.slug,
        standard_version=definition.version,
        spec_revision=str(definition.meta.get("spec_revision", "")) or None,
        standard_number=definition.number,
        lgcode=judged.lgcode,
        validation=judged.validation,
        published_at=judged.published_at,
    )
    theirs = [
        e
        for e in package.get("extras") or []
        if isinstance(e, Mapping) and not str(e.get("key", "")).startswith("portal_")
    ]
    return {
        "name": str(package.get("name") or ""),
        "title": str(package.get("title") or ""),
        "url": judged.page_url,
        "organization": package.get("organization"),
        "metadata_modified": package.get("metadata_modified"),
        "tags": package.get("tags") or [],
        "resources": package.get("resources") or [],  # its validation report, if a portal's
        "extras": meta.to_extras() + list(theirs),
    }
