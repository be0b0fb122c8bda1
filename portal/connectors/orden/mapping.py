"""Ours ↔ ORDEN's: a published dataset as an ORDEN catalog record (the metadata mapping of
the connector file, unknown fields passed through under their own names), and a subscriber
notification's body read into catalog ID, version and file URL (the notify paths)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs

from portal.catalogue.base import Package
from portal.catalogue.mapping import metadata_of
from portal.catalogue.meta import PortalMeta
from portal.connectors.orden.config import NotifyOptions
from portal.rows.published import csv_resource
from portal.standards import Definition

# Our side of the metadata mapping: every field a record may have, in the order a sheet lists
# them (the README lists them too).
OUR_FIELDS = (
    "catalog_id", "topic", "dataset", "title", "description", "department", "contact_email",
    "contact_phone", "contact_url", "update_frequency", "update_frequency_ja", "keywords",
    "license", "standard", "standard_number", "standard_title", "lgcode", "organization",
    "rows", "validation", "published_at", "csv_url",
)  # fmt: skip
KEYWORD_JOIN = ","


def our_record(
    package: Package, definition: Definition | None, *, catalog_id: str, topic: str | None
) -> dict[str, Any]:
    """The dataset's metadata under our field names (OUR_FIELDS); what is unknown is left out."""
    given = metadata_of(package, definition)
    meta = PortalMeta.from_package(package)
    resource = csv_resource(package)
    frequency = given.frequency
    found: dict[str, Any] = {
        "catalog_id": catalog_id,
        "topic": topic,
        "dataset": package.get("name"),
        "title": package.get("title"),
        "description": package.get("notes"),
        "department": given.department,
        "contact_email": given.contact_email,
        "contact_phone": given.contact_phone,
        "contact_url": given.contact_url,
        "update_frequency": frequency.uri if frequency else None,
        "update_frequency_ja": frequency.ja if frequency else None,
        "keywords": list(given.keywords) or None,
        "license": package.get("license_id"),
        "standard": meta.standard,
        "standard_number": meta.standard_number,
        "standard_title": definition.title_ja if definition else None,
        "lgcode": meta.lgcode,
        "organization": meta.published_by,
        "rows": meta.rows,
        "validation": meta.validation_text,
        "published_at": meta.published_at_text,
        "csv_url": resource.get("url") if resource else None,
    }
    return {key: value for key, value in found.items() if value not in (None, "")}


def to_orden(
    record: Mapping[str, Any],
    fields: Mapping[str, str],
    *,
    passthrough: bool = True,
    constants: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """`record` renamed by `fields` (ours → theirs); a field the mapping does not name is kept
    under its own name when `passthrough`, dropped otherwise; `constants` added last."""
    mapped: dict[str, Any] = {}
    for ours, value in record.items():
        if ours in fields:
            mapped[fields[ours]] = value
        elif passthrough:
            mapped.setdefault(ours, value)
    mapped.update(constants or {})
    return mapped


def as_text(value: Any) -> str:
    """A record's value as a form field or a sheet cell holds it (keywords comma-separated)."""
    if isinstance(value, list | tuple):
        return KEYWORD_JOIN.join(str(v) for v in value)
    return "" if value is None else str(value)


class NoticeUnreadable(ValueError):
    """The body is not the JSON or form the notify options describe (the plugin says why)."""


def notice_document(body: bytes, content_type: str, options: NotifyOptions) -> Any:
    """The notification body as a JSON document or as form fields (a dict of first values)."""
    kind = options.format
    if kind == "auto":
        kind = "form" if "x-www-form-urlencoded" in content_type.lower() else "json"
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise NoticeUnreadable("the body is not UTF-8 text") from None
    if kind == "form":
        return {key: values[0] for key, values in parse_qs(text, keep_blank_values=True).items()}
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise NoticeUnreadable(f"the body is not JSON: {exc}") from None


def lookup(document: Any, path: str) -> Any:
    """The value at `path`: a JSON pointer (RFC 6901: /a/0/b, ~1 for "/", ~0 for "~") into a
    JSON document, or a field name in form fields. None when it is not there."""
    if not path.startswith("/"):
        return document.get(path) if isinstance(document, Mapping) else None
    found = document
    for token in path[1:].split("/"):
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(found, Mapping):
            found = found.get(token)
        elif isinstance(found, list) and token.isdecimal() and int(token) < len(found):
            found = found[int(token)]
        else:
            return None
    return found


def notice_fields(document: Any, options: NotifyOptions) -> dict[str, str | None]:
    """catalog_id, version (or the timestamp when no version) and file_url, as text or None."""

    def text(path: str | None) -> str | None:
        value = lookup(document, path) if path else None
        if value is None or isinstance(value, dict | list) or str(value).strip() == "":
            return None
        return str(value).strip()

    return {
        "catalog_id": text(options.catalog_id),
        "version": text(options.version) or text(options.timestamp),
        "file_url": text(options.file_url),
    }
