"""The ORDEN connector's own options (a connector file's `options:` block), validated here.

ORDEN's member API is not public (it is issued to tenants by the secretariat), so every HTTP
shape is configuration: where a notification carries the catalog ID, version and file URL;
where to poll; how a push is sent (method, URL template, multipart or raw body, field names).
The URLs themselves are the connector's `endpoints` (so the outbound client allows exactly
their hosts): `pull` and `push` (templates with {catalog_id}, {topic}, {dataset}),
`push_metadata` (a second request for the metadata when the CSV goes as the raw body) and
`files` (where notified files may be fetched from).
"""

from __future__ import annotations

import string
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from portal.connectors.base import AuthConfig

# What a URL or file-name template may name.
PLACEHOLDERS = frozenset({"catalog_id", "topic", "dataset"})
MAX_NOTICE_BYTES = 64 << 10  # a notification is a few fields, never a file


def check_template(text: str) -> str:
    """A template naming only PLACEHOLDERS ({catalog_id}, {topic}, {dataset})."""
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError as exc:
        raise ValueError(f"'{text}' is not a template: {exc}") from None
    unknown = names - PLACEHOLDERS
    if unknown:
        raise ValueError(
            f"'{text}' names {', '.join(sorted(unknown))}; a template may name only "
            + ", ".join("{" + p + "}" for p in sorted(PLACEHOLDERS))
        )
    return text


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NotifyOptions(Strict):
    """Where a subscriber notification carries what we need. In a JSON body each is a JSON
    pointer (RFC 6901, e.g. /catalog/id); in a form body (application/x-www-form-urlencoded)
    a field name. `auto` reads the Content-Type."""

    format: Literal["auto", "json", "form"] = "auto"
    catalog_id: str = "/catalog_id"
    version: str = "/version"
    timestamp: str | None = "/timestamp"  # read when the version is absent
    file_url: str | None = "/file_url"  # absent: the pull endpoint's URL for that catalog
    # HMAC: the signature header's value is <prefix><hex or base64 of HMAC(secret, raw body)>.
    signature_prefix: str = ""
    signature_encoding: Literal["hex", "base64"] = "hex"
    max_bytes: int = Field(default=MAX_NOTICE_BYTES, gt=0)


class PullOptions(Strict):
    """The pull fallback: endpoints.pull per catalog ID, polled with ETag / If-Modified-Since.
    `csv`: the answer is the catalog's CSV export; `json`: a list API whose entries are read
    with the notify paths (catalog ID, version, file URL), found at the `items` pointer."""

    format: Literal["csv", "json"] = "csv"
    items: str = ""  # "" = the document itself (a list, or one entry)


class PushOptions(Strict):
    """How endpoints.push takes a CSV and its metadata.

    body `multipart`: the CSV is the part `file_field`; the metadata is one form field per
    mapped field (`fields`) or one JSON part named `metadata_field` (`json-part`).
    body `csv`: the CSV is the raw body (text/csv; charset=utf-8); the metadata goes as JSON to
    endpoints.push_metadata with `metadata_method` (`json`), or not at all (`none`)."""

    method: Literal["POST", "PUT", "PATCH"] = "POST"
    body: Literal["multipart", "csv"] = "multipart"
    file_field: str = "file"
    file_name: str = "{dataset}.csv"
    metadata_as: Literal["fields", "json-part", "json", "none"] = "fields"
    metadata_field: str = "metadata"
    metadata_method: Literal["POST", "PUT", "PATCH"] = "PUT"
    headers: dict[str, str] = Field(default_factory=dict)  # fixed extra headers

    @field_validator("file_name")
    @classmethod
    def _file_name(cls, value: str) -> str:
        return check_template(value)

    @model_validator(mode="after")
    def _metadata_fits_body(self) -> PushOptions:
        fits = {"multipart": {"fields", "json-part", "none"}, "csv": {"json", "none"}}
        if self.metadata_as not in fits[self.body]:
            raise ValueError(
                f"metadata_as '{self.metadata_as}' cannot go with body '{self.body}'; "
                f"use one of {', '.join(sorted(fits[self.body]))}"
            )
        return self


class OrdenOptions(Strict):
    notify: NotifyOptions = Field(default_factory=NotifyOptions)
    pull: PullOptions = Field(default_factory=PullOptions)
    # Used when endpoints.push is set; without it a push writes an upload bundle for staff.
    push: PushOptions = Field(default_factory=PushOptions)
    # Our credentials when we call ORDEN (pull, push); the connector's `auth` is what ORDEN's
    # notifications must carry. An HMAC signs the request body (notify's prefix and encoding).
    outbound_auth: AuthConfig | None = None
    # Fixed catalog fields added to every pushed metadata record (e.g. a tenant name).
    constants: dict[str, str] = Field(default_factory=dict)
    # A push refuses a dataset whose CSV is larger (ORDEN's upload limit is not public).
    max_push_bytes: int = Field(default=50 << 20, gt=0)
