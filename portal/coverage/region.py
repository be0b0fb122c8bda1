"""region.yaml: the municipalities around the city and the catalogues that hold their data.

    name: 大阪府北部                      # shown on the page and in the report
    sources:                              # CKAN sites, read through their Action API
      - id: bodik                         # how the municipalities and the report name it
        url: https://data.bodik.jp        # the site (…/api/3/action is accepted too)
        organization: "{lgcode}"          # how a municipality's organization is named there
    municipalities:
      - "272116"                          # searched on every source, named by the template
      - lgcode: "272248"
        sources: {settsu: settsu-city}    # only there, and named so

The full commented example is docs/region.example.yaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, NoReturn

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from portal.errors import Location, PortalError
from portal.localgov import Directory

DEFAULT_ORGANIZATION = "{lgcode}"  # BODIK ODCS and this portal name an organization by its code
API_SUFFIX = re.compile(r"/api(?:/3)?/action/?$")  # a source may be given as its API base
MAX_REGION_BYTES = 1 << 20  # a region file is a short list; anything bigger is a mistake


class RegionInvalid(PortalError):
    code = "region-invalid"
    status = 422
    exit_code = 2
    template_en = "the region file cannot be used: {detail}"
    template_ja = "地域ファイル（region.yaml）が使えません: {detail_ja}"
    hint_en = "see docs/region.example.yaml for the format"
    hint_ja = "書き方は docs/region.example.yaml を参照してください"


SourceId = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]


class _Source(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: SourceId
    url: str = Field(max_length=2000)
    title: str | None = Field(default=None, max_length=200)
    organization: str = Field(default=DEFAULT_ORGANIZATION, max_length=200)

    @field_validator("url")
    @classmethod
    def _http(cls, value: str) -> str:
        if not re.match(r"^https?://[^/\s]+", value):
            raise ValueError(f"'{value}' is not an http(s) URL")
        return API_SUFFIX.sub("", value).rstrip("/")


class _Municipality(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    lgcode: str
    # source id → its organization name there (None: the source's template)
    sources: dict[SourceId, str | None] | None = None


class _Region(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(default="", max_length=200)
    sources: list[_Source] = Field(min_length=1, max_length=50)
    municipalities: list[_Municipality | str] = Field(min_length=1, max_length=2000)


@dataclass(frozen=True)
class Source:
    id: str
    url: str  # the CKAN site, without /api/3/action
    title: str


@dataclass(frozen=True)
class Holding:
    """Where to look for one municipality: a source and its organization's name there."""

    lgcode: str
    source: str
    organization: str


@dataclass(frozen=True)
class Region:
    name: str
    file: str
    sources: list[Source]
    lgcodes: list[str]  # in the file's order
    holdings: list[Holding]  # every (municipality, source) to search

    def holdings_of(self, source: str) -> list[Holding]:
        return [h for h in self.holdings if h.source == source]


def read_region(path: Path, directory: Directory) -> Region:
    """The region file, checked: known sources, existing local government codes."""
    where = Location(file=str(path))
    try:
        if path.stat().st_size > MAX_REGION_BYTES:
            _fail(where, f"larger than {MAX_REGION_BYTES} bytes", f"{MAX_REGION_BYTES}バイトを超えています")  # fmt: skip
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        _fail(
            where, f"cannot read it ({exc.strerror or exc})", f"読めません（{exc.strerror or exc}）"
        )
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        where = Location(file=str(path), line=None if line is None else line + 1)
        _fail(where, "not YAML (UTF-8)", "YAML（UTF-8）として読めません")
    try:
        parsed = _Region.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        at = ".".join(str(p) for p in first["loc"]) or "(top)"
        _fail(where, f"{at}: {first['msg']}", f"{at}: {first['msg']}")
    return _resolve(parsed, directory, where)


def _resolve(parsed: _Region, directory: Directory, where: Location) -> Region:
    sources = {s.id: s for s in parsed.sources}
    if len(sources) != len(parsed.sources):
        _fail(where, "two sources have the same id", "同じ id の取得元が2つあります")
    lgcodes: list[str] = []
    holdings: list[Holding] = []
    for entry in parsed.municipalities:
        municipality = _Municipality(lgcode=entry) if isinstance(entry, str) else entry
        lgcode = _known_code(municipality.lgcode, directory, where)
        if lgcode in lgcodes:
            continue  # listed twice: searched once
        lgcodes.append(lgcode)
        chosen = municipality.sources or dict.fromkeys(sources)
        for source_id, organization in chosen.items():
            if source_id not in sources:
                _fail(where, f"municipality {lgcode}: no source '{source_id}' in sources",
                      f"団体 {lgcode}: 取得元「{source_id}」は sources にありません")  # fmt: skip
            template = organization or sources[source_id].organization
            holdings.append(Holding(lgcode, source_id, template.replace("{lgcode}", lgcode)))
    return Region(
        name=parsed.name,
        file=str(where.file),
        sources=[Source(s.id, s.url, s.title or s.id) for s in parsed.sources],
        lgcodes=lgcodes,
        holdings=holdings,
    )


def _known_code(value: str, directory: Directory, where: Location) -> str:
    try:
        return directory.lookup(str(value).strip()).lgcode
    except PortalError as exc:
        _fail(where, exc.message_en, exc.message_ja)


def _fail(where: Location, detail: str, detail_ja: str) -> NoReturn:
    raise RegionInvalid(where, detail=detail, detail_ja=detail_ja)
