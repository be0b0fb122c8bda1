"""Datasets, resources, organizations and tags in the shape CKAN's Action API gives them, with
every field CKAN clients read: ids for organizations and tags, licence title/URL/isopen,
state, the null fields CKAN shows (url, version, author…), each resource's CKAN fields and
whether its rows are in the DataStore (the portal's rows store).

The embedded catalogue keeps organizations and tags by name; their ids are derived from the
name (UUID 5), so they are the same on every request and every server. What a catalogue
already answers (a real CKAN's own ids and fields) is kept as it is.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from portal.catalogue.base import Package
from portal.catalogue.licences import licences

# The portal's namespace for the ids it derives (fixed: changing it changes every id).
ID_NAMESPACE = uuid.UUID("5f0c2a8e-6f4a-4a55-9a55-2f1e0d6c7b31")
PACKAGE_NULLS = ("url", "version", "author", "author_email", "maintainer", "maintainer_email")
RESOURCE_NULLS = ("mimetype_inner", "cache_url", "cache_last_updated", "resource_type")


def derived_id(kind: str, name: str) -> str:
    return str(uuid.uuid5(ID_NAMESPACE, f"{kind}:{name}"))


def licence_fields(license_id: str | None) -> dict[str, Any]:
    """license_title, license_url and isopen as CKAN derives them from license_id (its id
    exactly, as CKAN looks it up in its register: no alias)."""
    known = licences().get(license_id or "")
    if known is None:  # CKAN shows an unknown licence's id as its title
        return {"license_title": license_id, "isopen": False}
    return {"license_title": known.ckan.title, "license_url": known.ckan.url,
            "isopen": known.ckan.isopen}  # fmt: skip


def organization(org: dict[str, Any]) -> dict[str, Any]:
    """An organization as organization_show gives it (without its datasets)."""
    name = org["name"]
    title = org.get("title") or name
    return {"id": derived_id("organization", name), "name": name, "title": title,
            "display_name": title, "description": "", "image_url": "", "image_display_url": "",
            "created": None, "state": "active", "type": "organization", "is_organization": True,
            "approval_status": "approved", "num_followers": 0, "package_count": 0,
            **org}  # fmt: skip


def tag(given: dict[str, Any]) -> dict[str, Any]:
    name = given["name"]
    return {"id": derived_id("tag", name), "name": name, "display_name": name,
            "state": "active", "vocabulary_id": None, **given}  # fmt: skip


@dataclass
class Shaper:
    """Shapes the answers of one request: `root` makes resource URLs absolute (as CKAN's
    are), `organizations` completes each dataset's organization, and `datastore_active`
    says whether a dataset's rows are in the rows store."""

    root: str
    organizations: dict[str, dict[str, Any]]
    datastore_active: Callable[[Package], bool]

    def package(self, package: Package) -> Package:
        out: dict[str, Any] = dict.fromkeys(PACKAGE_NULLS) | dict(package)
        out.update(licence_fields(package.get("license_id")))
        out.setdefault("state", "active")
        out.setdefault("type", "dataset")
        out["private"] = bool(package.get("private", False))
        out.setdefault("groups", [])
        out.setdefault("extras", [])
        out.setdefault("relationships_as_subject", [])
        out.setdefault("relationships_as_object", [])
        out["tags"] = [tag(t) for t in package.get("tags", [])]
        org_name = (package.get("organization") or {}).get("name")
        if org_name:
            known = self.organizations.get(org_name, {})
            shown = organization({**(package.get("organization") or {}), **known})
            out["organization"] = {k: v for k, v in shown.items()
                                   if k not in ("package_count", "num_followers", "display_name",
                                                "image_display_url")}  # fmt: skip
            out["owner_org"] = shown["id"]  # CKAN's owner_org is the organization's id
        active = self.datastore_active(package)
        out["resources"] = [self.resource(r, out, i, active) for i, r in
                            enumerate(package.get("resources", []))]  # fmt: skip
        out["num_resources"] = len(out["resources"])
        out["num_tags"] = len(out["tags"])
        return out

    def resource(self, given: dict[str, Any], package: Package, position: int,
                 rows_loaded: bool) -> dict[str, Any]:  # fmt: skip
        out: dict[str, Any] = dict.fromkeys(RESOURCE_NULLS) | dict(given)
        url = str(out.get("url", ""))
        if url.startswith("/"):
            out["url"] = self.root + url
        out.setdefault("package_id", package.get("id"))
        out.setdefault("position", position)
        out.setdefault("state", "active")
        out.setdefault("url_type", "upload")
        out.setdefault("hash", "")
        out.setdefault("created", package.get("metadata_created"))
        out.setdefault("last_modified", package.get("metadata_modified"))
        out.setdefault("metadata_modified", out.get("last_modified"))
        for key in ("mimetype", "size", "description", "format"):
            out.setdefault(key, None)
        # The DataStore is keyed by the CSV resource (portal/api/routes/datastore.py).
        first_csv = next(
            (r for r in package.get("resources", []) if r.get("format") == "CSV"), None
        )
        is_csv = first_csv is not None and first_csv.get("id") == given.get("id")
        out["datastore_active"] = bool(rows_loaded and is_csv) or bool(
            given.get("datastore_active")
        )
        return out
