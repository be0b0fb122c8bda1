"""The NGSI-v2 connector's own options (a connector YAML's `options:`), checked on load.

Endpoints and auth are the common ConnectorConfig's (`endpoints.broker` is the broker's base
URL, e.g. http://orion:1026); everything NGSI-specific is here, with the defaults a FIWARE
Orion of the 都市OS reference takes as it is.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

# Orion answers at most 1000 entities per page (its `limit` cap); a batch of 100 entities
# of a standard dataset (40 attributes) stays well inside Orion's 1 MB request limit.
DEFAULT_BATCH_SIZE = 100
MAX_BATCH_SIZE = 1000
DEFAULT_PAGE_SIZE = 1000
MAX_PAGE_SIZE = 1000
DEFAULT_ID_TEMPLATE = "urn:ngsi-ld:{type}:{lgcode}:{id}"
# NGSI-v2 "Field syntax restrictions": ASCII, no control characters, whitespace, & ? / #;
# Orion also refuses < > " ' = ; ( ) in every id, type and name ("forbidden characters").
NGSI_NAME = re.compile(r"[!$%*+,\-.0-9:@A-Z\[\\\]^_`a-z{|}~]{1,256}")
# Fiware-Service: a tenant — lower-case ASCII letters, digits and underscores, up to 50.
SERVICE = re.compile(r"[a-z0-9_]{0,50}")
# Fiware-ServicePath: "/" or up to 10 levels of /word (letters, digits, underscores, ≤ 50).
SERVICE_PATH = re.compile(r"/|(/[A-Za-z0-9_]{1,50}){1,10}")


class NgsiOptions(BaseModel):
    """`options:` of a connector of kind "ngsi"."""

    model_config = ConfigDict(extra="forbid")

    service: str = Field("", description="Fiware-Service header (tenant); empty: none sent")
    service_path: str = Field("/", description="Fiware-ServicePath header")
    batch_size: int = Field(DEFAULT_BATCH_SIZE, ge=1, le=MAX_BATCH_SIZE)
    page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)
    # {type}, {lgcode} and {id} (the row's ID field) are filled in; other characters as written
    id_template: str = DEFAULT_ID_TEMPLATE
    # slug or dataset name → the field(s) whose values make the entity id's {id}, where the
    # standard has no ID field (e.g. population_by_area_age: [地域コード, 調査年月日])
    id_fields: dict[str, list[str]] = Field(default_factory=dict)
    # slug or dataset name → entity type, over portal/connectors/ngsi/types.yaml
    types: dict[str, str] = Field(default_factory=dict)
    # field name (Japanese) → attribute name, over portal/connectors/ngsi/attributes.yaml
    attributes: dict[str, str] = Field(default_factory=dict)
    # A text value with a character Orion forbids: sent as type TextUnrestricted (Orion 3+),
    # or percent-encoded as Text (any broker; decoded again by pull).
    forbidden_characters: Literal["unrestricted", "percent-encode"] = "unrestricted"
    push_on_publish: bool = False  # a publish of a standard dataset enqueues a push job

    @field_validator("service")
    @classmethod
    def _service(cls, value: str) -> str:
        if not SERVICE.fullmatch(value):
            raise ValueError(
                "Fiware-Service is lower-case letters, digits and underscores, up to 50"
            )
        return value

    @field_validator("service_path")
    @classmethod
    def _service_path(cls, value: str) -> str:
        if not SERVICE_PATH.fullmatch(value):
            raise ValueError("Fiware-ServicePath is / or /level[/level…] (letters, digits, _)")
        return value

    @field_validator("id_template")
    @classmethod
    def _id_template(cls, value: str) -> str:
        if "{id}" not in value:
            raise ValueError("the id template needs {id} (the row's ID) to keep ids unique")
        unknown = set(re.findall(r"{(\w*)}", value)) - {"type", "lgcode", "id"}
        if unknown:
            raise ValueError(
                f"unknown placeholder(s) {sorted(unknown)}: use {{type}}, {{lgcode}}, {{id}}"
            )
        return value

    @field_validator("types", "attributes")
    @classmethod
    def _names(cls, value: dict[str, str]) -> dict[str, str]:
        for key, name in value.items():
            if not NGSI_NAME.fullmatch(name) or name in RESERVED:
                raise ValueError(
                    f"{name!r} (for {key}) is not an NGSI-v2 name: ASCII, no whitespace,"
                    " & ? / # < > \" ' = ; ( ), 1–256 characters, not a reserved name"
                )
        return value


# Names the broker keeps for itself (NGSI-v2 "Builtin attributes" and geo:json's type).
RESERVED = frozenset(
    {"id", "type", "geo:json", "dateCreated", "dateModified", "dateExpires", "alterationType",
     "location"}
)  # fmt: skip
