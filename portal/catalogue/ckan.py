"""The catalogue on a real CKAN, through ckanapi.

A replacement is one `package_revise` call: the old resources are filtered out
and the new ones, with their files, added in the same request. CKAN writes the
uploaded files under the new resources' ids and commits its database at the
end, so if CKAN dies mid-request the old resources, and their files, are what
remains. (Updating resources in place would overwrite their files before the
commit.) A consequence: each new version has new resource URLs; the portal's
own API gives stable download URLs.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

import ckanapi
import requests

from portal.catalogue.base import (
    Catalogue,
    CatalogueForbidden,
    CatalogueRejected,
    CatalogueUnavailable,
    FileSpec,
    Package,
    PackageChanged,
)
from portal.catalogue.search import Search
from portal.search.synonyms import solr_query

ORG_PAGE = 25  # organizations per organization_list call (CKAN's cap with all_fields)
# maintainer (担当課) and maintainer_email: a dataset's metadata, when its department gave it.
PORTAL_FIELDS = ("name", "title", "notes", "owner_org", "license_id", "tags", "extras", "private",
                 "maintainer", "maintainer_email")  # fmt: skip


class CkanCatalogue(Catalogue):
    kind = "ckan"

    def __init__(self, url: str, token: str | None, timeout: float = 120.0) -> None:
        self.where = url.rstrip("/")
        self.token = token
        self.client = ckanapi.RemoteCKAN(self.where, apikey=token, user_agent="portal/0.1")
        self.timeout = timeout
        self.writes = 0

    # Error mapping: ckanapi's errors become the catalogue's, once, here.

    @contextmanager
    def _calls(self, name: str = "") -> Iterator[None]:
        try:
            yield
        except ckanapi.ValidationError as exc:
            detail = exc.error_dict if hasattr(exc, "error_dict") else exc.args
            if isinstance(detail, dict) and "match" in detail:
                raise PackageChanged(name=name) from None
            raise CatalogueRejected(
                name=name, detail=json.dumps(detail, ensure_ascii=False)[:500]
            ) from None
        except ckanapi.NotAuthorized:
            raise CatalogueForbidden(name=name, where=self.where) from None
        except ckanapi.NotFound:
            raise  # a CKANAPIError too, but an answer: the caller decides what absence means
        except (requests.ConnectionError, requests.Timeout) as exc:
            raise CatalogueUnavailable(where=self.where, detail=type(exc).__name__) from None
        except ckanapi.CKANAPIError as exc:
            # ckanapi raises this for 5xx and non-JSON answers (a restarting CKAN, a proxy page)
            raise CatalogueUnavailable(where=self.where, detail=str(exc)[:200]) from None

    def _read(self, action: str, name: str = "", **params: Any) -> Any:
        with self._calls(name):
            return self.client.call_action(
                action, params, requests_kwargs={"timeout": self.timeout}
            )

    def _write(
        self,
        action: str,
        params: dict[str, Any],
        name: str = "",
        files: dict[str, Any] | None = None,
    ) -> Any:
        self.writes += 1
        with self._calls(name):
            return self.client.call_action(
                action, params, files=files, requests_kwargs={"timeout": self.timeout}
            )

    # Reads

    def status_show(self) -> dict[str, Any]:
        result: dict[str, Any] = self._read("status_show")
        return result

    def organization_list(self) -> list[str]:
        return list(self._read("organization_list"))

    def package_show(self, name: str) -> Package | None:
        try:
            with self._calls(name):
                shown: Package = self.client.call_action(
                    "package_show", {"id": name}, requests_kwargs={"timeout": self.timeout}
                )
        except ckanapi.NotFound:
            return None
        return shown if shown.get("state") == "active" else None

    def packages_shown(self, names: list[str]) -> dict[str, Package | None]:
        """One package_search for the names (Solr holds each dataset as package_show gives
        it); a name the search does not find is asked with package_show, so a dataset the
        index has not caught up with is never taken for a new one."""
        if not names:
            return {}
        wanted = " OR ".join(f'"{n}"' for n in names)
        found = self._read("package_search", fq=f"name:({wanted})", rows=len(names),
                           include_private=True)["results"]  # fmt: skip
        shown: dict[str, Package | None] = {
            p["name"]: p for p in found if p.get("name") in names and p.get("state") == "active"
        }
        for name in names:
            if name not in shown:
                shown[name] = self.package_show(name)
        return shown

    def package_list(self) -> list[str]:
        return list(self._read("package_list"))

    def package_search(self, fq: dict[str, str] | None = None, rows: int = 1000) -> list[Package]:
        query = " AND ".join(f'{k}:"{v}"' for k, v in (fq or {}).items())
        found = self._read(
            "package_search",
            fq=query,
            rows=rows,
            sort="metadata_modified desc",
            include_private=True,
        )
        return list(found["results"])

    def resource_bytes(self, resource: dict[str, Any]) -> bytes:
        headers = {"Authorization": self.token} if self.token else {}
        try:
            response = requests.get(resource["url"], headers=headers, timeout=self.timeout)
        except (requests.ConnectionError, requests.Timeout) as exc:
            raise CatalogueUnavailable(where=self.where, detail=type(exc).__name__) from None
        if response.status_code >= 500:
            raise CatalogueUnavailable(where=self.where, detail=f"HTTP {response.status_code}")
        response.raise_for_status()
        return response.content

    # What the public sees: CKAN's own search (with the Japanese-aware Solr), its datasets.

    def search(self, s: Search) -> dict[str, Any]:
        fq = " ".join(
            f"metadata_modified:[{v} TO *]" if k == "metadata_modified" else f'{k}:"{v}"'
            for k, v in s.fq.items()
        )
        if s.filter_query:  # a CKAN client's own fq, first: CKAN's Solr answers it as it is
            fq = f"{s.filter_query} {fq}".strip()
        # An expanded query (the portal's own search) as a Solr query of its alternatives.
        q = solr_query(s.expansion) if s.expansion else s.q or "*:*"
        params: dict[str, Any] = {"q": q, "fq": fq, "rows": s.rows, "start": s.start}
        if s.sort:
            params["sort"] = s.sort
        if s.facets:
            params["facet.field"] = str(list(s.facets)).replace("'", '"')
        found = self._read("package_search", **params)
        return {"count": found["count"], "results": found["results"],
                "facets": found.get("facets", {})}  # fmt: skip

    def public_packages(self) -> list[Package]:
        return list(self._read("current_package_list_with_resources", limit=1000))

    def organizations(self) -> list[dict[str, Any]]:
        # CKAN answers at most 25 organizations with all_fields per call
        # (ckan.group_and_organization_list_all_fields_max): page until it runs out.
        out: list[dict[str, Any]] = []
        while page := self._read(
            "organization_list", all_fields=True, limit=ORG_PAGE, offset=len(out)
        ):
            out += page
            if len(page) < ORG_PAGE:
                break
        return out

    def organization(self, name: str) -> dict[str, Any] | None:
        try:
            found: dict[str, Any] = self._read(
                "organization_show", name, id=name, include_datasets=False, include_users=False
            )
        except ckanapi.NotFound:
            return None
        return found

    def history(self, name: str) -> list[dict[str, Any]]:
        try:
            activities = self._read("package_activity_list", name, id=name, limit=50)
        except CatalogueRejected:
            return []  # the activity plugin is off
        return [
            {"at": a["timestamp"], "who": a.get("user_id", ""), "action": a["activity_type"]}
            for a in activities
        ]

    # Writes

    def organization_ensure(self, name: str, title: str) -> None:
        if self._organization_exists(name):
            return
        try:
            self._write("organization_create", {"name": name, "title": title}, name)
        except CatalogueRejected:
            if not self._organization_exists(name):  # created meanwhile by a concurrent publish
                raise

    def _organization_exists(self, name: str) -> bool:
        try:
            self._read("organization_show", name, id=name, include_datasets=False)
        except ckanapi.NotFound:
            return False
        return True

    def package_put(self, package: Package, files: list[FileSpec], seen: Package | None) -> Package:
        name = package["name"]
        if seen is None:
            # Created private and empty, then filled and made public in one revise below:
            # a failure in between leaves nothing public, and a retry finds and completes it.
            seen = self._write(
                "package_create", {**package, "private": True, "resources": []}, name
            )
            assert seen is not None
        update = {k: package[k] for k in PORTAL_FIELDS if k in package}
        update["resources"] = [
            {
                "name": f.name,
                "url": f.name,
                "format": f.format,
                "mimetype": f.mimetype,
                "description": f.description,
            }
            for f in files
        ]
        match = {"id": seen["id"], "metadata_modified": seen["metadata_modified"]}
        with ExitStack() as stack:
            uploads = {
                f"update__resources__{i}__upload": (f.name, stack.enter_context(f.path.open("rb")))
                for i, f in enumerate(files)
            }
            params = {
                "match": json.dumps(match),
                "filter": json.dumps(
                    ["-resources", "-extras", "-tags", "-maintainer", "-maintainer_email"]
                ),
                "update": json.dumps(update, ensure_ascii=False),
            }
            revised = self._write("package_revise", params, name, files=uploads)
        result: Package = revised["package"]
        return result

    def package_delete(self, name: str) -> None:
        self._write("dataset_purge", {"id": name}, name)
