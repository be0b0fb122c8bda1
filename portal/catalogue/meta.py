"""The portal's own metadata on a catalogue dataset, as one typed model: which standard and
version, which local government, whether it validated (and with how many errors), what
content, from which recipe, how many rows, when and by whom it was published.

In the catalogue it lives as CKAN extras: `portal_*` keys with string values. They are
public (CKAN's API, the portal's own API, harvesters) and part of the content hash, so
`to_extras()` writes exactly the keys, values and order the portal has always written —
a different order or spelling would change every dataset's hash and republish it.
`from_package()` reads any package: one the portal published, one an older portal
published, or one someone else put in the catalogue; what is missing or unreadable is
None, and it never raises.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

# The extras' keys: the public wire format, spelled here and nowhere else.
STANDARD = "portal_standard"
STANDARD_VERSION = "portal_standard_version"
STANDARD_NUMBER = "portal_standard_number"
LGCODE = "portal_lgcode"
VALIDATION = "portal_validation"
RECIPE = "portal_recipe"
ROWS = "portal_rows"
CONTENT_HASH = "portal_content_hash"
PUBLISHED_AT = "portal_published_at"
PUBLISHED_BY = "portal_published_by"
# CKAN (Solr) names an extra `extras_<key>` in search filters and facets; so does the
# embedded catalogue.
STANDARD_FILTER = f"extras_{STANDARD}"

VALID_TEXT = "valid"
LEGACY_VERSION = "legacy"
# "invalid: 3 errors" as the portal writes it ("1 errors" too); a bare "invalid" is read
# as invalid with an unknown count. ASCII digits only: the value may come from anyone.
INVALID_TEXT = re.compile(r"invalid(?:: ([0-9]+) errors?)?")


@dataclass(frozen=True)
class Validation:
    """Whether the published data passed the standard's validation, and with how many
    errors (0 when valid; None when the catalogue does not say)."""

    valid: bool
    errors: int | None

    @classmethod
    def of(cls, valid: bool, errors: int) -> Validation:
        return cls(True, 0) if valid else cls(False, errors)

    @classmethod
    def parse(cls, text: str | None) -> Validation | None:
        if text == VALID_TEXT:
            return cls(True, 0)
        found = INVALID_TEXT.fullmatch(text or "")
        if found is None:
            return None
        return cls(False, int(found.group(1)) if found.group(1) else None)

    @property
    def text(self) -> str:
        if self.valid:
            return VALID_TEXT
        return "invalid" if self.errors is None else f"invalid: {self.errors} errors"


@dataclass(frozen=True)
class PortalMeta:
    """The `portal_*` extras of one dataset, typed. Field order is the extras' order."""

    standard: str | None = None  # the standard dataset's slug, e.g. evacuation_space
    standard_version: str | None = None  # the registry's version: current | legacy
    spec_revision: str | None = None  # e.g. 2026-08-01, "v1 (pre-2021)", unknown
    standard_number: str | None = None  # the specification's number, e.g. D01
    lgcode: str | None = None  # the local government's 6-digit code
    validation: Validation | None = None
    recipe: str | None = None  # "" when converted without a recipe
    rows: int | None = None
    content_hash: str | None = None
    published_at: datetime | None = None
    published_by: str | None = None  # the organization (the extras are public)

    @property
    def legacy(self) -> bool:
        """Published in a legacy (推奨データセット) version of the standard."""
        return (self.standard_version or "").startswith(LEGACY_VERSION)

    @property
    def validation_text(self) -> str | None:
        return self.validation.text if self.validation else None

    @property
    def published_at_text(self) -> str | None:
        return moment_text(self.published_at) if self.published_at else None

    @classmethod
    def from_package(cls, package: Mapping[str, Any]) -> PortalMeta:
        found = string_extras(package)
        version, revision = _split_version(found.get(STANDARD_VERSION))
        return cls(
            standard=found.get(STANDARD),
            standard_version=version,
            spec_revision=revision,
            standard_number=found.get(STANDARD_NUMBER),
            lgcode=found.get(LGCODE),
            validation=Validation.parse(found.get(VALIDATION)),
            recipe=found.get(RECIPE),
            rows=_count(found.get(ROWS)),
            content_hash=found.get(CONTENT_HASH),
            published_at=_moment(found.get(PUBLISHED_AT)),
            published_by=found.get(PUBLISHED_BY),
        )

    def to_extras(self) -> list[dict[str, str]]:
        """The CKAN extras for the fields that are set, in the order the portal writes them."""
        texts = (
            (STANDARD, self.standard),
            (STANDARD_VERSION, self._version_text()),
            (STANDARD_NUMBER, self.standard_number),
            (LGCODE, self.lgcode),
            (VALIDATION, self.validation_text),
            (RECIPE, self.recipe),
            (ROWS, None if self.rows is None else str(self.rows)),
            (CONTENT_HASH, self.content_hash),
            (PUBLISHED_AT, self.published_at_text),
            (PUBLISHED_BY, self.published_by),
        )
        return [{"key": key, "value": value} for key, value in texts if value is not None]

    def _version_text(self) -> str | None:
        if self.standard_version is None:
            return None
        return f"{self.standard_version} {self.spec_revision or ''}".strip()


def moment_text(moment: datetime) -> str:
    """A publish time as the extras hold it: ISO 8601 to the second, with its offset."""
    return moment.isoformat(timespec="seconds")


def string_extras(package: Mapping[str, Any]) -> dict[str, str]:
    """The package's extras with string values; anything else is ignored, so a
    package from another publisher (or a malformed one) reads as having none."""
    listed = package.get("extras") if isinstance(package, Mapping) else None
    if not isinstance(listed, list):
        return {}
    found: dict[str, str] = {}
    for extra in listed:
        if not isinstance(extra, Mapping):
            continue
        key, value = extra.get("key"), extra.get("value")
        if isinstance(key, str) and isinstance(value, str):
            found[key] = value
    return found


def _split_version(text: str | None) -> tuple[str | None, str | None]:
    if not text:
        return None, None
    version, _, revision = text.partition(" ")
    return version, revision or None


def _count(text: str | None) -> int | None:
    if text is None or not (text.isascii() and text.isdecimal()):
        return None
    return int(text)


def _moment(text: str | None) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text or "")
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # the portal writes UTC
