"""Rows of a standard dataset ↔ NGSI-v2 entities (normalized representation).

One row is one entity: its `type` per dataset (types.yaml, or the connector's), its `id` from
the row's 全国地方公共団体コード and ID (`urn:ngsi-ld:AED:011002:FF0100022200` by default), one
attribute per field under an ASCII name (attributes.yaml: NGSI-v2 names are plain ASCII),
typed by the Table Schema type (Text, Integer, Number, Boolean, DateTime) and `location` a
geo:json Point from 緯度/経度. `row_of` reads an entity back into the dataset's fields, so
a push followed by a pull gives the rows again.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import yaml

from portal.connectors.ngsi.config import NGSI_NAME, RESERVED, NgsiOptions
from portal.errors import PortalError
from portal.standards import Definition

HERE = Path(__file__).parent
LAT, LON = "緯度", "経度"
LOCATION = "location"
ID_FIELDS = ("ID", "NO")  # a dataset's row key when no field is of kind "id" (legacy: NO)
ID_JOIN = "-"  # between the values of a key of several fields
# Characters Orion refuses in a text value unless its type is TextUnrestricted; `%` too
# when percent-encoding, so that decoding gives the value back exactly.
FORBIDDEN_IN_VALUE = frozenset("<>\"'=;()")
ENCODED = FORBIDDEN_IN_VALUE | {"%"}
# What an id may hold as it is (NGSI_NAME's set); anything else is percent-encoded.
ID_SAFE = "!$%*+,-.:@[\\]^_`{|}~"
NGSI_TYPES = {"string": "Text", "integer": "Integer", "number": "Number", "boolean": "Boolean",
              "date": "DateTime", "datetime": "DateTime"}  # fmt: skip
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class NgsiMappingError(PortalError):
    """A dataset that cannot be made into entities as configured (bad input: not retried)."""

    code = "ngsi-mapping-failed"
    status = 422
    template_en = "{dataset}: {detail}"
    template_ja = "{dataset}: {detail_ja}"
    hint_en = "set the connector's options (id_fields, types, attributes) for this dataset"
    hint_ja = (
        "コネクタの options（id_fields, types, attributes）でこのデータセットの設定をしてください"
    )


@cache
def attribute_table() -> dict[str, str]:
    return dict(yaml.safe_load((HERE / "attributes.yaml").read_text(encoding="utf-8")))


@cache
def _defaults() -> dict[str, Any]:
    return dict(yaml.safe_load((HERE / "types.yaml").read_text(encoding="utf-8")))


def type_table() -> dict[str, str]:
    return dict(_defaults()["types"])


def default_id_fields() -> dict[str, list[str]]:
    return dict(_defaults()["id_fields"])


def ascii_name(field: str) -> str:
    """A field missing from attributes.yaml, in Hepburn camelCase (名称_カナ → meishouKana)."""
    import pykakasi  # only for a field the table lacks

    words = re.findall(
        r"[A-Za-z0-9]+", " ".join(i["hepburn"] for i in pykakasi.kakasi().convert(field))
    )
    name = "".join(w[:1].upper() + w[1:] for w in words)
    return (name[:1].lower() + name[1:])[:256] or "field"


@dataclass(frozen=True)
class Attribute:
    field: str  # the dataset's field name
    name: str  # the NGSI attribute name
    kind: str  # the Table Schema type


@dataclass(frozen=True)
class EntityMapping:
    """How the rows of one standard dataset become entities, and back."""

    entity_type: str
    attributes: tuple[Attribute, ...]
    id_fields: tuple[str, ...]
    lgcode_field: str | None
    id_template: str
    percent_encode: bool
    guessed: tuple[str, ...]  # fields named by ascii_name (not in any table)

    @classmethod
    def of(cls, definition: Definition, options: NgsiOptions, *, dataset: str = "",
           entity_type: str | None = None) -> EntityMapping:  # fmt: skip
        """The mapping of `definition`'s rows; `entity_type` (the connector's id map) first,
        then options.types by dataset name or slug, then types.yaml."""
        where = dataset or definition.key
        kind = (entity_type or options.types.get(dataset) or options.types.get(definition.slug)
                or type_table().get(definition.slug))  # fmt: skip
        if not kind or not NGSI_NAME.fullmatch(kind):
            raise NgsiMappingError(
                dataset=where, detail=f"no NGSI entity type for {definition.slug!r}",
                detail_ja=f"{definition.slug} のエンティティ型が決まっていません")  # fmt: skip
        attributes, guessed = _attributes(definition, options, where)
        return cls(kind, attributes, _id_fields(definition, options, where),
                   next((f["name"] for f in definition.fields if f.get("kind") == "lgcode"), None),
                   options.id_template, options.forbidden_characters == "percent-encode",
                   guessed)  # fmt: skip

    @property
    def has_location(self) -> bool:
        return {LAT, LON} <= {a.field for a in self.attributes}

    def entity_id(self, row: Mapping[str, Any], lgcode: str) -> str:
        key = ID_JOIN.join(_text(row.get(f)) for f in self.id_fields)
        if not key:
            raise ValueError("the row has no ID")
        code = _text(row.get(self.lgcode_field)) if self.lgcode_field else ""
        made = self.id_template.format(
            type=self.entity_type, lgcode=quote(code or lgcode, safe=ID_SAFE),
            id=quote(key, safe=ID_SAFE))  # fmt: skip
        if not NGSI_NAME.fullmatch(made):
            raise ValueError(f"the entity id {made[:80]!r}… is over 256 characters")
        return made

    def entity(self, row: Mapping[str, Any], lgcode: str) -> dict[str, Any]:
        """The row (field → value as the rows store holds it) as an entity; ValueError names
        what makes the row unusable (no ID, too long an id)."""
        entity: dict[str, Any] = {"id": self.entity_id(row, lgcode), "type": self.entity_type}
        point = _point(row.get(LAT), row.get(LON)) if self.has_location else None
        for a in self.attributes:
            if point is not None and a.field in (LAT, LON):
                continue  # carried by location
            entity[a.name] = self._attribute(a, row.get(a.field))
        if point is not None:
            entity[LOCATION] = {"type": "geo:json", "value": point}
        return entity

    def _attribute(self, a: Attribute, value: Any) -> dict[str, Any]:
        kind = NGSI_TYPES.get(a.kind, "Text")
        if value is None:
            return {"type": kind, "value": None}
        if kind == "Integer" and isinstance(value, int) and not isinstance(value, bool):
            return {"type": kind, "value": value}
        if kind == "Number" and isinstance(value, int | float) and not isinstance(value, bool):
            return {"type": kind, "value": value}
        if kind == "Boolean" and isinstance(value, bool):
            return {"type": kind, "value": value}
        if (
            kind == "DateTime"
            and isinstance(value, str)
            and DATE.fullmatch(value)
            and _is_date(value)
        ):
            return {"type": kind, "value": f"{value}T00:00:00.000Z"}
        return self._text(str(value))  # a cell that is not of its type stays its text

    def _text(self, value: str) -> dict[str, Any]:
        if self.percent_encode:  # only what Orion refuses, and %: Japanese stays readable
            return {"type": "Text", "value": "".join(
                f"%{ord(c):02X}" if c in ENCODED else c for c in value)}  # fmt: skip
        if FORBIDDEN_IN_VALUE.intersection(value):
            return {"type": "TextUnrestricted", "value": value}
        return {"type": "Text", "value": value}

    def row_of(self, entity: Mapping[str, Any]) -> dict[str, Any]:
        """The entity's attributes back as the dataset's fields (a field it lacks is None)."""
        row: dict[str, Any] = {}
        for a in self.attributes:
            attr = entity.get(a.name)
            row[a.field] = self._value_of(a, attr) if isinstance(attr, Mapping) else None
        location = entity.get(LOCATION)
        if self.has_location and isinstance(location, Mapping):
            coordinates = (location.get("value") or {}).get("coordinates")
            if isinstance(coordinates, list) and len(coordinates) >= 2:
                row[LON], row[LAT] = coordinates[0], coordinates[1]
        return row

    def _value_of(self, a: Attribute, attr: Mapping[str, Any]) -> Any:
        value = attr.get("value")
        if attr.get("type") == "DateTime" and a.kind == "date" and isinstance(value, str):
            return value[:10]
        if attr.get("type") == "Text" and isinstance(value, str) and self.percent_encode:
            return unquote(value, encoding="utf-8")
        return value


def _attributes(definition: Definition, options: NgsiOptions,
                where: str) -> tuple[tuple[Attribute, ...], tuple[str, ...]]:  # fmt: skip
    table = attribute_table()
    made: list[Attribute] = []
    guessed: list[str] = []
    taken: dict[str, str] = {}
    for field in definition.fields:
        name = options.attributes.get(field["name"]) or table.get(field["name"])
        if name is None:
            name = ascii_name(field["name"])
            guessed.append(field["name"])
        if name in taken or name in RESERVED:
            raise NgsiMappingError(
                dataset=where,
                detail=f"fields {taken.get(name, name)!r} and {field['name']!r} both become attribute {name!r}",
                detail_ja=f"項目 {taken.get(name, name)} と {field['name']} が同じ属性名 {name} になります")  # fmt: skip
        taken[name] = field["name"]
        made.append(Attribute(field["name"], name, str(field.get("type", "string"))))
    return tuple(made), tuple(guessed)


def _id_fields(definition: Definition, options: NgsiOptions, where: str) -> tuple[str, ...]:
    configured = (options.id_fields.get(where) or options.id_fields.get(definition.slug)
                  or default_id_fields().get(definition.slug))  # fmt: skip
    if configured:
        missing = [f for f in configured if f not in definition.field_names]
        if missing:
            raise NgsiMappingError(
                dataset=where, detail=f"id_fields {missing} are not fields of {definition.slug}",
                detail_ja=f"id_fields の {missing} は {definition.slug} の項目ではありません")  # fmt: skip
        return tuple(configured)
    kinds = [f["name"] for f in definition.fields if f.get("kind") == "id"]
    found = kinds[:1] or [n for n in ID_FIELDS if n in definition.field_names][:1]
    if not found:
        raise NgsiMappingError(
            dataset=where, detail=f"{definition.slug} has no ID field to make entity ids from",
            detail_ja=f"{definition.slug} にはエンティティIDの元になるID項目がありません")  # fmt: skip
    return tuple(found)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _is_date(value: str) -> bool:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _point(lat: Any, lon: Any) -> dict[str, Any] | None:
    """A GeoJSON Point ([longitude, latitude], as GeoJSON orders them), if both are numbers
    on the globe."""
    ok = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (lat, lon))
    if not ok or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return {"type": "Point", "coordinates": [lon, lat]}


def batches(entities: Iterable[dict[str, Any]], size: int) -> Iterator[dict[str, Any]]:
    """`POST /v2/op/update` bodies of at most `size` entities each (upsert: append)."""
    batch: list[dict[str, Any]] = []
    for entity in entities:
        batch.append(entity)
        if len(batch) == size:
            yield {"actionType": "append", "entities": batch}
            batch = []
    if batch:
        yield {"actionType": "append", "entities": batch}
