"""What every connector is (issue 15): its configuration (one YAML file each), the protocol a
plugin implements, a platform's notice, and the reports of an exchange.

A connector's secrets are never in its YAML: the file names the environment variables that
hold them (`token_env`, `password_env`, `secret_env`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Literal, NamedTuple, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field

from portal.errors import PortalError

if TYPE_CHECKING:
    from portal.catalogue.base import Package
    from portal.composition import Portal
    from portal.connectors.http import Outbound

ItemOutcome = Literal["published", "draft", "unchanged", "skipped", "failed", "pushed", "ok"]


class ConnectorAuthFailed(PortalError):
    code = "connector-auth-failed"
    status = 401
    template_en = "the notice to connector {name} is not authenticated: {reason}"
    template_ja = "コネクタ {name} への通知の認証に失敗しました: {reason}"
    hint_en = "send the credentials configured for this connector"
    hint_ja = "このコネクタに設定された認証情報を付けて送ってください"


class ConnectorNoticeInvalid(PortalError):
    code = "connector-notice-invalid"
    status = 400
    template_en = "the notice to connector {name} cannot be read: {reason}"
    template_ja = "コネクタ {name} への通知を読み取れません: {reason}"


class ConnectorUnknownCatalog(PortalError):
    code = "connector-unknown-catalog"
    status = 404
    template_en = "connector {name} has no dataset mapped to catalog {catalog_id}"
    template_ja = "コネクタ {name} にはカタログ {catalog_id} に対応するデータセットがありません"
    hint_en = "add the catalog to the connector's `ids` map"
    hint_ja = "コネクタ設定の `ids` にカタログを追加してください"


class ConnectorNotFound(PortalError):
    code = "connector-not-found"
    status = 404
    exit_code = 2  # `portal connectors check NAME` with a name no file gives
    template_en = "there is no connector named {name}"
    template_ja = "コネクタ {name} はありません"
    hint_en = "`portal connectors list` shows the configured connectors (PORTAL_CONNECTORS_DIR)"
    hint_ja = (
        "`portal connectors list` で設定済みのコネクタを確認してください（PORTAL_CONNECTORS_DIR）"
    )


class ConnectorSecretMissing(PortalError):
    code = "connector-secret-missing"
    status = 500
    template_en = "connector {name}: the environment variable {env} is not set"
    template_ja = "コネクタ {name}: 環境変数 {env} が設定されていません"
    hint_en = "set it where the portal runs (the YAML names the variable, never the secret)"
    hint_ja = "ポータルを動かす環境で設定してください（YAML には変数名だけを書きます）"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AuthConfig(Strict):
    scheme: Literal["bearer", "basic", "hmac", "none"] = "none"
    token_env: str | None = None  # bearer: the variable holding the token
    username: str | None = None  # basic
    password_env: str | None = None  # basic
    secret_env: str | None = None  # hmac: the shared secret's variable
    header: str = "X-Signature"  # hmac: the header carrying the signature
    algorithm: Literal["sha256"] = "sha256"


class IdMapEntry(Strict):
    """One of our datasets and what the platform calls it."""

    dataset: str  # our dataset name (222127-aed) or a standard's slug (aed)
    catalog_id: str | None = None  # ORDEN / CKAN: the platform's catalog or package id
    topic: str | None = None  # ORDEN's topic name
    entity_type: str | None = None  # NGSI: the entities' type
    recipe: str | None = None  # a recipe (YAML path) converting their file; none: as is


class MetadataMapping(Strict):
    fields: dict[str, str] = Field(default_factory=dict)  # our field → theirs
    passthrough: bool = True  # fields not in `fields` kept under their own names


class OutboundLimits(Strict):
    """How long and how much the connector's calls may take (portal/connectors/http.py)."""

    timeout: float = Field(default=10.0, gt=0)  # seconds per attempt
    retries: int = Field(default=3, ge=0)
    backoff: float = Field(default=0.5, ge=0)  # seconds, doubled after each attempt
    max_bytes: int = Field(default=50 << 20, gt=0)  # what is read of one answer


class ConnectorConfig(Strict):
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    kind: str
    enabled: bool = True
    endpoints: dict[str, str] = Field(default_factory=dict)
    auth: AuthConfig | None = None
    ids: list[IdMapEntry] = Field(default_factory=list)
    metadata: MetadataMapping = Field(default_factory=MetadataMapping)
    limits: OutboundLimits = Field(default_factory=OutboundLimits)
    options: dict[str, Any] = Field(default_factory=dict)  # validated by the plugin's model

    def entry_for_catalog(self, catalog_id: str) -> IdMapEntry | None:
        return next((e for e in self.ids if e.catalog_id == catalog_id), None)

    def entry_for_dataset(self, dataset: str) -> IdMapEntry | None:
        return next((e for e in self.ids if e.dataset == dataset), None)


@dataclass(frozen=True)
class Notice:
    """A platform's word that a catalog has a new version."""

    catalog_id: str
    version: str  # a version or a timestamp
    file_url: str | None
    dataset: str  # ours, from the id map
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """The idempotency key: a repeated notice of the same version does nothing twice."""
        return f"{self.catalog_id}@{self.version}"

    def to_dict(self) -> dict[str, Any]:
        return {"catalog_id": self.catalog_id, "version": self.version,
                "file_url": self.file_url, "dataset": self.dataset, "raw": self.raw}  # fmt: skip

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Notice:
        return cls(catalog_id=str(data["catalog_id"]), version=str(data["version"]),
                   file_url=data.get("file_url"), dataset=str(data["dataset"]),
                   raw=dict(data.get("raw") or {}))  # fmt: skip


class ExchangeItem(BaseModel):
    dataset: str
    outcome: ItemOutcome
    message: str = ""
    detail: dict[str, Any] = Field(default_factory=dict)


class ExchangeReport(BaseModel):
    """What a pull or push did, per dataset."""

    connector: str
    items: list[ExchangeItem] = Field(default_factory=list)

    def add(self, dataset: str, outcome: ItemOutcome, message: str = "",
            **detail: Any) -> ExchangeItem:  # fmt: skip
        item = ExchangeItem(dataset=dataset, outcome=outcome, message=message, detail=detail)
        self.items.append(item)
        return item

    @property
    def failed(self) -> list[ExchangeItem]:
        return [i for i in self.items if i.outcome == "failed"]


class CheckItem(BaseModel):
    what: str  # an endpoint, a secret, a mapped dataset
    ok: bool
    message: str = ""


class CheckReport(BaseModel):
    connector: str
    items: list[CheckItem] = Field(default_factory=list)

    def add(self, what: str, ok: bool, message: str = "") -> None:
        self.items.append(CheckItem(what=what, ok=ok, message=message))

    @property
    def ok(self) -> bool:
        return all(i.ok for i in self.items)


class Connector(Protocol):
    config: ConnectorConfig

    def check(self, portal: Portal) -> CheckReport: ...

    def pull(self, portal: Portal) -> ExchangeReport: ...

    def push(self, portal: Portal, names: list[str] | None) -> ExchangeReport: ...

    def on_notify(self, portal: Portal, body: bytes, headers: Mapping[str, str]) -> Notice:
        """Parse and verify a notice: ConnectorAuthFailed (401), ConnectorNoticeInvalid
        (400), ConnectorUnknownCatalog (404)."""
        ...

    def map_metadata(self, package: Package) -> dict[str, Any]: ...


class Fetcher(NamedTuple):
    """How a notified file is fetched: the client (hosts and limits) and the headers to send."""

    outbound: Outbound
    headers: Mapping[str, str]


@runtime_checkable
class FetchesNotifiedFiles(Protocol):
    """Optional for a connector: its own way to fetch a notified file — e.g. with its
    credentials for calling the platform. Without it the intake fetches with
    `Outbound.for_connector` (the endpoints' hosts, `limits`) and no credentials."""

    def fetcher(self, portal: Portal) -> Fetcher: ...


class ConnectorPlugin(Protocol):
    kind: ClassVar[str]

    def make(self, config: ConnectorConfig) -> Connector: ...


def map_fields(mapping: MetadataMapping, ours: Mapping[str, Any]) -> dict[str, Any]:
    """Our metadata under the platform's field names: the mapped ones renamed, the others
    kept under their own names when `passthrough`, else left out."""
    out: dict[str, Any] = {}
    for name, value in ours.items():
        if name in mapping.fields:
            out[mapping.fields[name]] = value
        elif mapping.passthrough:
            out[name] = value
    return out
