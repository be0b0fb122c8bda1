"""What the facade asks of the catalogue: search, show, organizations — answered by CKAN
when one is configured, else by the embedded catalogue and the bigram search index."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import ckanapi

from portal.catalogue import Catalogue, CkanCatalogue, EmbeddedCatalogue, Package
from portal.catalogue.base import extras
from portal.catalogue.meta import STANDARD_FILTER
from portal.search.index import SearchIndex

ORG_PAGE = 25
FACETS = ("tags", "organization", "license_id", "res_format", STANDARD_FILTER)
FQ_TERM = re.compile(r'(\+?[\w.-]+):(?:"([^"]*)"|\[(\S+) TO (\S+)\]|(\S+))')


@dataclass
class Search:
    q: str = ""
    fq: dict[str, str] = field(
        default_factory=dict
    )  # field → value; metadata_modified → lower bound
    rows: int = 20
    start: int = 0
    sort: str = ""
    facets: list[str] = field(default_factory=list)


def parse_fq(fq: str) -> dict[str, str]:
    """CKAN/Solr filter syntax as harvesters send it: `tags:"自治体標準ODS" organization:272051`,
    `metadata_modified:[2026-01-01T00:00:00Z TO *]`, `-organization:272051` (exclude)."""
    out: dict[str, str] = {}
    for m in FQ_TERM.finditer(fq):
        key = m.group(1).lstrip("+")
        if m.group(3) is not None:
            if key == "metadata_modified" and m.group(3) != "*":
                out["metadata_modified"] = m.group(3)
        else:
            out[key] = m.group(2) if m.group(2) is not None else m.group(5)
    return out


class CatalogueView(ABC):
    @abstractmethod
    def search(self, s: Search) -> dict[str, Any]:
        """{"count", "results", "facets"} as CKAN's package_search gives them."""

    @abstractmethod
    def show(self, name: str) -> Package | None: ...

    @abstractmethod
    def packages(self) -> list[Package]: ...

    @abstractmethod
    def organizations(self) -> list[dict[str, Any]]: ...

    @abstractmethod
    def status(self) -> dict[str, Any]: ...

    def organization(self, name: str) -> dict[str, Any] | None:
        return next((o for o in self.organizations() if name in (o["name"], o.get("id"))), None)


def _value(package: Package, key: str) -> list[str]:
    if key == "tags":
        return [t["name"] for t in package.get("tags", [])]
    if key == "organization":
        return [(package.get("organization") or {}).get("name", "")]
    if key == "res_format":
        return sorted({r.get("format", "") for r in package.get("resources", [])})
    if key.startswith("extras_"):
        return [extras(package).get(key[7:], "")]
    return [str(package.get(key, ""))]


class EmbeddedView(CatalogueView):
    def __init__(self, catalogue: EmbeddedCatalogue) -> None:
        self.catalogue = catalogue
        self.index = SearchIndex()

    def _public(self) -> list[Package]:
        packages = [p for p in self.catalogue.packages() if not p.get("private")]
        version = (len(packages), max((p["metadata_modified"] for p in packages), default=""))
        if version != self.index.version:  # the catalogue changed since the last search
            self.index.rebuild(packages, version)
        return packages

    def search(self, s: Search) -> dict[str, Any]:
        packages = self._public()
        if s.q and s.q.strip() not in ("*:*", "*"):
            ranked = {name: i for i, name in enumerate(self.index.search(s.q))}
            packages = sorted(
                (p for p in packages if p["name"] in ranked), key=lambda p: ranked[p["name"]]
            )
        for key, wanted in s.fq.items():
            if key == "metadata_modified":
                packages = [p for p in packages if p["metadata_modified"] >= wanted.rstrip("Z")]
            elif key.startswith("-"):  # harvesters exclude with -organization:name
                packages = [p for p in packages if wanted not in _value(p, key[1:])]
            else:
                packages = [p for p in packages if wanted in _value(p, key)]
        packages = _sorted(packages, s.sort, bool(s.q))
        facets = {
            f: dict(Counter(v for p in packages for v in _value(p, f) if v).most_common())
            for f in s.facets
        }
        return {
            "count": len(packages),
            "results": packages[s.start : s.start + s.rows],
            "facets": facets,
        }

    def show(self, name: str) -> Package | None:
        package = self.catalogue.package_show(name)
        return package if package and not package.get("private") else None

    def packages(self) -> list[Package]:
        return self._public()

    def organizations(self) -> list[dict[str, Any]]:
        return [
            o
            for o in (
                self.catalogue.organization_show(n) for n in self.catalogue.organization_list()
            )
            if o
        ]

    def status(self) -> dict[str, Any]:
        return self.catalogue.status_show()


def _sorted(packages: list[Package], sort: str, ranked: bool) -> list[Package]:
    key, _, direction = (sort or ("" if ranked else "metadata_modified desc")).partition(" ")
    if not key or key == "score":
        return packages
    field_name = {"title_string": "title"}.get(key, key)
    return sorted(packages, key=lambda p: str(p.get(field_name, "")), reverse=direction == "desc")


class CkanView(CatalogueView):
    """The configured CKAN answers: its search (with the Japanese-aware Solr), its datasets."""

    def __init__(self, catalogue: CkanCatalogue) -> None:
        self.catalogue = catalogue

    def search(self, s: Search) -> dict[str, Any]:
        fq = " ".join(
            f"metadata_modified:[{v} TO *]" if k == "metadata_modified" else f'{k}:"{v}"'
            for k, v in s.fq.items()
        )
        params: dict[str, Any] = {"q": s.q or "*:*", "fq": fq, "rows": s.rows, "start": s.start}
        if s.sort:
            params["sort"] = s.sort
        if s.facets:
            params["facet.field"] = str(list(s.facets)).replace("'", '"')
        found = self.catalogue.action("package_search", **params)
        return {
            "count": found["count"],
            "results": found["results"],
            "facets": found.get("facets", {}),
        }

    def show(self, name: str) -> Package | None:
        package = self.catalogue.package_show(name)
        return package if package and not package.get("private") else None

    def packages(self) -> list[Package]:
        return list(self.catalogue.action("current_package_list_with_resources", limit=1000))

    def organizations(self) -> list[dict[str, Any]]:
        # CKAN answers at most 25 organizations with all_fields per call
        # (ckan.group_and_organization_list_all_fields_max): page until it runs out.
        out: list[dict[str, Any]] = []
        while page := self.catalogue.action(
            "organization_list", all_fields=True, limit=ORG_PAGE, offset=len(out)
        ):
            out += page
            if len(page) < ORG_PAGE:
                break
        return out

    def organization(self, name: str) -> dict[str, Any] | None:
        try:
            found: dict[str, Any] = self.catalogue.action(
                "organization_show", id=name, include_datasets=False, include_users=False
            )
        except ckanapi.NotFound:
            return None
        return found

    def status(self) -> dict[str, Any]:
        return self.catalogue.status_show()


def view_of(catalogue: Catalogue) -> CatalogueView:
    """The read view of `catalogue`: CKAN's own search when it is a CKAN, else the bigram index."""
    if isinstance(catalogue, CkanCatalogue):
        return CkanView(catalogue)
    assert isinstance(catalogue, EmbeddedCatalogue)
    return EmbeddedView(catalogue)
