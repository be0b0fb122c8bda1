"""A remote CKAN package → what we import: is it one to take (open licence, a CSV, a
standard dataset — portal/coverage/harvest_rules.py decides, as for the region harvest),
its metadata in our terms (DatasetMetadata), and its provenance (the `portal_source_*`
extras stored with our package and shown on its page).

Pure functions, no network: the plugin fetches, these decide.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any, ClassVar

import yaml

from portal.catalogue.licences import spellings
from portal.catalogue.mapping import INVALID_TAG
from portal.catalogue.meta import PortalMeta, moment_text, string_extras
from portal.catalogue.metadata import DatasetMetadata
from portal.coverage.harvest_rules import (
    Note,
    by_tags,
    csv_resource,
    declared_validation,
    is_open,
    licence_of,
    rules,
    tags_of,
)
from portal.standards import Definition, Registry

NOTES_FILE = Path(__file__).with_name("notes.yaml")
LGCODE_FIELD = "全国地方公共団体コード"


@cache
def _notes() -> dict[str, dict[str, str]]:
    loaded: dict[str, dict[str, str]] = yaml.safe_load(NOTES_FILE.read_text(encoding="utf-8"))
    return loaded


def note(code: str, **params: object) -> Note:
    """One line of the harvest's report: this connector's own words (notes.yaml), or the
    region harvest's for what both report (harvest_rules.yaml)."""
    words = _notes().get(code)
    if words is None:
        return Note.of(code, **params)
    return Note(code, words["en"].format(**params), words["ja"].format(**params))


@dataclass(frozen=True)
class Candidate:
    """A remote package worth downloading: open licence (one we can state), with a CSV."""

    package: Mapping[str, Any]
    csv: Mapping[str, Any]  # its CSV resource
    licence: str  # our licence id
    definition: Definition | None  # by BODIK's tags; None: its CSV's header decides


def select(package: Mapping[str, Any], registry: Registry) -> Candidate | Note:
    """Whether to download the package, or why not."""
    licence = licence_of(package)
    if not is_open(licence):
        return note("licence-not-open", licence=licence or "-")
    ours = spellings().get(licence.lower())
    if ours is None:
        return note("licence-not-stated", licence=licence)
    resource = csv_resource(package)
    if resource is None:
        return note("no-csv")
    return Candidate(package, resource, ours, by_tags(tags_of(package), registry))


def metadata_of(package: Mapping[str, Any], candidate: Candidate, definition: Definition,
                fields_map: Mapping[str, str] | None = None) -> DatasetMetadata:  # fmt: skip
    """The remote package's title, description, contact and keywords as our metadata; the
    marker tags, the standard's own tags and 要修正 are not keywords. `fields_map` (our
    field → their field, the connector's metadata mapping) reads a field from elsewhere."""
    markers = set(rules().markers)
    not_keywords = {INVALID_TAG, *markers, *(str(t) for t in definition.meta.get("tags", []))}
    given = DatasetMetadata.from_package(_remapped(package, fields_map or {}), not_keywords)
    return given.model_copy(update={"license": candidate.licence})


# Our metadata field → where DatasetMetadata.from_package reads it in a CKAN package.
PACKAGE_KEYS = {"title": "title", "description": "notes", "department": "maintainer",
                "contact_email": "maintainer_email", "license": "license_id"}  # fmt: skip


def _remapped(package: Mapping[str, Any], fields_map: Mapping[str, str]) -> dict[str, Any]:
    """The package with each mapped field read from the package key (or extra) named."""
    out = dict(package)
    extras = string_extras(package)
    for ours, theirs in fields_map.items():
        value = package.get(theirs, extras.get(theirs))
        if ours in PACKAGE_KEYS and isinstance(value, str):
            out[PACKAGE_KEYS[ours]] = value
    return out


def lgcode_of(package: Mapping[str, Any], lgcodes: Mapping[str, str]) -> str | None:
    """Whose data it is, where the package says so: a portal's own extra, else the
    connector's organization → code table. (Else the CSV's 全国地方公共団体コード.)"""
    stated = PortalMeta.from_package(package).lgcode
    if stated:
        return stated
    organization = package.get("organization")
    name = organization.get("name") if isinstance(organization, Mapping) else None
    return lgcodes.get(str(name)) if name else None


# The provenance extras: public, part of our package, spelled here and nowhere else.
SOURCE_URL = "portal_source_url"


@dataclass(frozen=True)
class Provenance:
    """Where a harvested dataset came from, stored as `portal_source_*` extras."""

    source_url: str  # the dataset's page on the source CKAN
    source_name: str
    source_id: str
    source_modified: str  # the source's metadata_modified, as it gave it
    csv_url: str
    csv_sha256: str
    harvested_at: datetime
    source_validation: str | None  # what the source said of its validity, if anything
    connector: str

    KEYS: ClassVar[dict[str, str]] = {"source_url": SOURCE_URL, "source_name": "portal_source_name",
            "source_id": "portal_source_id", "source_modified": "portal_source_modified",
            "csv_url": "portal_source_csv_url", "csv_sha256": "portal_source_csv_sha256",
            "harvested_at": "portal_harvested_at",
            "source_validation": "portal_source_validation",
            "connector": "portal_harvested_by"}  # fmt: skip

    def to_extras(self) -> list[dict[str, str]]:
        out = []
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, datetime):
                value = moment_text(value)
            if value is not None:
                out.append({"key": self.KEYS[f.name], "value": str(value)})
        return out

    @classmethod
    def from_package(cls, package: Mapping[str, Any]) -> Provenance | None:
        """The provenance our package holds; None for one not harvested (or unreadable)."""
        extras = string_extras(package)
        found: dict[str, Any] = {name: extras.get(key) for name, key in cls.KEYS.items()}
        try:
            found["harvested_at"] = datetime.fromisoformat(found["harvested_at"] or "")
        except ValueError:
            return None
        needed = [n for n in found if n != "source_validation"]
        if any(found[n] is None for n in needed):
            return None
        return cls(**found)


def provenance(package: Mapping[str, Any], site: str, csv_url: str, body: bytes,
               harvested_at: datetime, connector: str) -> Provenance:  # fmt: skip
    """The provenance of `body`, the CSV just downloaded from the source package."""
    declared = declared_validation(package)
    name = str(package.get("name") or "")
    return Provenance(
        source_url=f"{site}/dataset/{name}", source_name=name,
        source_id=str(package.get("id") or ""),
        source_modified=str(package.get("metadata_modified") or ""),
        csv_url=csv_url, csv_sha256=hashlib.sha256(body).hexdigest(),
        harvested_at=harvested_at,
        source_validation=declared.text if declared else None, connector=connector,
    )  # fmt: skip


def unchanged(ours: Mapping[str, Any] | None, package: Mapping[str, Any]) -> bool:
    """Our copy was harvested from this very version of the source package (same id, same
    metadata_modified): nothing to download, nothing to write."""
    held = Provenance.from_package(ours) if ours is not None else None
    return (
        held is not None
        and held.source_id == str(package.get("id") or "")
        and held.source_modified == str(package.get("metadata_modified") or "")
    )


def source_key(package: Mapping[str, Any]) -> str:
    """The idempotency key of one version of a source package (drafts are kept under it)."""
    return f"{package.get('name')}@{package.get('metadata_modified')}"
