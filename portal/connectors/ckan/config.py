"""The CKAN harvest's own options (a connector file's `options:` block), and the
package_search filter query they make.

The CKAN is named by the connector's `endpoints.ckan` (the site's address, as ckanapi
takes it; a trailing `/api/3/action` is accepted). Its CSVs may live on other hosts (an
object store): those are listed in `resource_hosts`, and no other host is ever asked.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator

ENDPOINT = "ckan"  # the key of the connector's `endpoints` that names the CKAN
API_PATH = "/api/3/action"
PAGE_ROWS = 100  # package_search rows per page
MAX_PAGE_ROWS = 1000  # CKAN's own ckan.search.rows_max default
MAX_DATASETS = 500  # one pull reads at most this many packages
MAX_CSV_BYTES = 20 << 20  # a CSV larger than this is refused, not imported
# Solr's special characters: a value put in an fq is quoted, these escaped.
SOLR_QUOTED = str.maketrans({'"': '\\"', "\\": "\\\\"})


class HarvestOptions(BaseModel):
    """What to harvest and within which bounds (every field optional)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    organizations: list[str] = Field(default_factory=list)  # any of these (CKAN names)
    tags: list[str] = Field(default_factory=list)  # any of these
    modified_since: datetime | None = None  # only packages changed since (metadata_modified)
    fq: str | None = None  # a further Solr filter, ANDed with the above
    lgcodes: dict[str, str] = Field(default_factory=dict)  # organization name → 6-digit code
    resource_hosts: list[str] = Field(default_factory=list)  # where its CSVs may live
    page_rows: int = Field(default=PAGE_ROWS, ge=1, le=MAX_PAGE_ROWS)
    max_datasets: int = Field(default=MAX_DATASETS, ge=1)
    max_csv_bytes: int = Field(default=MAX_CSV_BYTES, ge=1)

    @field_validator("lgcodes")
    @classmethod
    def _six_digits(cls, value: dict[str, str]) -> dict[str, str]:
        for organization, code in value.items():
            if not (len(code) == 6 and code.isascii() and code.isdigit()):
                raise ValueError(
                    f"{organization}: '{code}' is not a 6-digit 全国地方公共団体コード"
                )
        return value

    @field_validator("modified_since")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        # CKAN stores metadata_modified in UTC without an offset; a date given without
        # one is read as UTC too.
        if value is None:
            return None
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)

    def filter_query(self) -> str:
        """The package_search `fq`: every configured condition, ANDed."""
        parts = []
        if self.organizations:
            parts.append(_any_of("organization", self.organizations))
        if self.tags:
            parts.append(_any_of("tags", self.tags))
        if self.modified_since is not None:
            since = self.modified_since.strftime("%Y-%m-%dT%H:%M:%SZ")
            parts.append(f"metadata_modified:[{since} TO *]")
        if self.fq:
            parts.append(f"({self.fq})")
        return " AND ".join(parts)


def _any_of(field: str, values: list[str]) -> str:
    quoted = " OR ".join(f'"{v.translate(SOLR_QUOTED)}"' for v in values)
    return f"{field}:({quoted})"


def site_url(endpoint: str) -> str:
    """The CKAN site's address from the configured endpoint, without the API path."""
    url = endpoint.strip().rstrip("/")
    return url.removesuffix(API_PATH).rstrip("/")


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def allowed_hosts(endpoint: str, options: HarvestOptions) -> list[str]:
    """The only hosts a pull may ask: the CKAN's and the configured resource hosts."""
    hosts = [host_of(site_url(endpoint)), *(h.strip().lower() for h in options.resource_hosts)]
    return list(dict.fromkeys(h for h in hosts if h))
