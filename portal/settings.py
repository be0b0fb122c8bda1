"""The portal's configuration: one typed object, built at start-up and passed in.

Nothing here runs at import time; call `Settings()` (environment) or
`Settings(datasets_dir=...)` (tests) where the program starts.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# The checkout this package was installed from (editable install). The data
# folders (datasets/, pipelines/, validators/) live beside the package.
PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Every setting, its environment variable and its default.

    Environment variables are `PORTAL_<NAME>` unless noted; the README's
    configuration table is checked against this class by a test.
    """

    model_config = SettingsConfigDict(env_prefix="PORTAL_", extra="ignore")

    datasets_dir: Path = Field(
        default=PROJECT_ROOT / "datasets",
        description="Folder of standard dataset definitions (schema.json + dataset.yaml).",
    )
    validators_dir: Path = Field(
        default=PROJECT_ROOT / "validators",
        description="Validation rule sets (default.yaml, datasets/<slug>.yaml, cities/<lgcode>.yaml).",
    )
    reference_dir: Path = Field(
        default=PROJECT_ROOT.parent / "shared" / "reference",
        description="Reference material that `portal datasets build` and "
        "`portal localgov build` read (standard-datasets/, localgov/).",
    )
    data_dir: Path = Field(
        default=PROJECT_ROOT / "var",
        description="Where the portal keeps its runtime data (embedded catalogue, rows store).",
    )
    towns_dir: Path | None = Field(
        default=None,
        description="Folder of アドレス・ベース・レジストリ 町字マスター CSV files (lg_code, "
        "machiaza_id, oaza_cho, chome, koaza) against which 所在地_町字 is checked; unset: "
        "<data dir>/towns. A municipality without a file there: its 町字 are not checked.",
    )
    source_roots: list[Path] = Field(
        default_factory=lambda: [PROJECT_ROOT, PROJECT_ROOT.parent / "shared" / "samples"],
        description="Folders a recipe may read its source from, besides its own folder "
        '(JSON list: ["/srv/portal/incoming"]; default: the checkout and ../shared/samples).',
    )
    ckan_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("CKAN_URL", "PORTAL_CKAN_URL"),
        description="Base URL of a CKAN to publish to (CKAN_URL). Unset: embedded catalogue.",
    )
    ckan_api_token: str | None = Field(
        default=None,
        validation_alias=AliasChoices("CKAN_API_TOKEN", "PORTAL_CKAN_API_TOKEN"),
        description="API token of a CKAN user allowed to publish (CKAN_API_TOKEN).",
    )
    catalogue: Literal["embedded", "ckan"] | None = Field(
        default=None,
        description="Where `portal publish` writes: embedded or ckan (default: ckan if CKAN_URL is set).",
    )
    package_name: str = Field(
        default="{lgcode}-{slug}",
        description="Catalogue name of a published dataset ({lgcode}, {slug}); ASCII, as CKAN requires.",
    )
    organization: str = Field(
        default="{lgcode}",
        description="Catalogue organization of the publisher ({lgcode}); a department code works too.",
    )
    license: str = Field(
        default="cc-by",
        description="Licence of published datasets: cc-by (CC BY 4.0), cc-by-sa or cc-zero.",
    )
    rate_limit: int = Field(
        default=120,
        description="Requests per minute per client on the heavy API routes (rows, downloads); 0: no limit.",
    )
    rate_limit_keyed: int = Field(
        default=1200,
        description="Requests per minute for a client that sends one of PORTAL_API_KEYS (X-API-Key).",
    )
    api_keys: list[str] = Field(
        default_factory=list,
        description='API keys that raise the rate limit (JSON list: ["key1", "key2"]).',
    )
    debug: bool = Field(
        default=False,
        description="Show tracebacks for unexpected errors (also `portal --debug`).",
    )
    max_body_bytes: int = Field(
        default=256 * 1024,
        ge=0,
        description="Largest request body the API accepts, in bytes; over it: 413.",
    )
    trusted_proxies: list[str] = Field(
        default_factory=list,
        description="Reverse proxies whose X-Forwarded-For/-Proto are believed (JSON list of "
        'addresses or networks: ["127.0.0.1", "10.0.0.0/8"]); empty: none.',
    )
    database_url: str | None = Field(
        default=None,
        description="The portal's own database (SQLAlchemy URL): sqlite:///… or "
        "postgresql+psycopg://user:password@host/db; unset: sqlite:///<data dir>/portal.db.",
    )
    secret_key: str | None = Field(
        default=None,
        description="Signs session cookies and CSRF tokens; every `portal serve` of one portal "
        "needs the same. Unset: one is made and kept in the portal's database.",
    )
    max_upload_bytes: int = Field(
        default=50 * 1024 * 1024,
        ge=0,
        description="Largest file a department may upload (browser or API), in bytes; over it: "
        "413 with a clear message.",
    )
    coverage_organizations: list[str] = Field(
        default_factory=list,
        description="Municipalities (6-digit codes) always shown on the coverage page and in "
        '`portal coverage`, even with nothing published (JSON list: ["222127", "222135"]).',
    )
    coverage_priority: Path | None = Field(
        default=None,
        description="A YAML list of standard dataset keys, most wanted first, ordering the "
        "coverage gaps; unset: portal/coverage/priority.yaml (disaster datasets first).",
    )
    search_synonyms: Path | None = Field(
        default=None,
        description="A city's own synonyms for the catalogue search (YAML: `groups:` of words "
        "that find each other, `related:` word → more words), merged over the bundled "
        "portal/search/synonyms.yaml; unset: the bundled ones only.",
    )
    rows_sync_seconds: float = Field(
        default=60,
        ge=0,
        description="How often `portal serve` loads the rows of datasets published where it "
        "does not see (CKAN from another machine), and at start-up; 0: never.",
    )
    redis_url: str | None = Field(
        default=None,
        description="Redis for the rate-limit counters (redis://host:6379/0); unset: the database.",
    )
    subscriptions_allow_private: bool = Field(
        default=False,
        description="Let subscribers' webhooks be http and on private or loopback addresses "
        "(tests, a closed network); unset: https on public hosts only.",
    )
    connectors_dir: Path | None = Field(
        default=None,
        description="Folder of connector files (one YAML per connector: ORDEN, NGSI, CKAN "
        "harvest; see Connectors); unset: no connectors.",
    )
    map_tiles: str = Field(
        default="https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png",
        pattern=r"^https?://\S*\{z\}\S*\{[xy]\}\S*\{[xy]\}\S*$",
        description="The maps' base tiles (an XYZ URL template with {z}, {x}, {y}; {s} for "
        "subdomains a–c); default: 地理院タイル (標準地図). The pages may load images from its host.",
    )
    map_attribution: str = Field(
        default='<a href="https://maps.gsi.go.jp/development/ichiran.html">地理院タイル</a>',
        description="The credit the tiles require, shown on every map (HTML: a link and text).",
    )

    @field_validator("license")
    @classmethod
    def _open_license(cls, value: str) -> str:
        """Only open licences: BODIK and the Digital Agency ingest CC BY, CC BY-SA and CC0 data."""
        # Imported here: portal.catalogue's package imports this module (the table is its data).
        from portal.catalogue.licences import spellings

        key = value.strip().lower()
        if key not in spellings():
            raise ValueError(f"'{value}' is not an open licence; use cc-by, cc-by-sa or cc-zero")
        return spellings()[key]

    @field_validator("ckan_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        """A CKAN is reached over HTTP: anything else fails later as an internal error."""
        if value is None:
            return None
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(
                f"'{value}' is not an http(s) URL with a host, e.g. https://ckan.example.jp"
            )
        return value.strip()

    @model_validator(mode="after")
    def _default_catalogue(self) -> Settings:
        if self.catalogue is None:
            self.catalogue = "ckan" if self.ckan_url else "embedded"
        return self

    @property
    def effective_database_url(self) -> str:
        """PORTAL_DATABASE_URL, or the SQLite file in the data directory."""
        return self.database_url or f"sqlite:///{(self.data_dir / 'portal.db').resolve()}"


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment, with a clear error instead of a validation dump."""
    from pydantic import ValidationError
    from pydantic_settings import SettingsError

    from portal.errors import ConfigInvalid

    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc']))}: {e['msg'].removeprefix('Value error, ')}"
            for e in exc.errors()
        )
        raise ConfigInvalid(detail=problems) from None
    except SettingsError as exc:  # a list setting that is not JSON: PORTAL_API_KEYS=key1
        field = re.search(r'field "(\w+)"', str(exc))
        name = env_name(field.group(1)) if field else "a list setting"
        raise ConfigInvalid(detail=f'{name}: not a JSON list like ["a", "b"]') from None


def env_name(field: str) -> str:
    """The environment variable that sets `field`: PORTAL_<FIELD>, or its alias (CKAN_URL)."""
    alias = Settings.model_fields[field].validation_alias
    if isinstance(alias, AliasChoices):
        return str(alias.choices[0])
    return f"PORTAL_{field.upper()}"
