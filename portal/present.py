"""What the API and the public pages both show over HTTP: the Portal a request is served by
(a FastAPI dependency), the site's root URL, and a dataset as both present it — its summary,
links and files. Shared here so that `portal.api` and `portal.web` never import each other."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request

from portal.catalogue.base import Package
from portal.catalogue.meta import PortalMeta
from portal.composition import Portal


def portal_of(request: Request) -> Portal:
    """The Portal the app was made with (portal.server.create_app)."""
    found: Portal = request.app.state.portal
    return found


PortalDep = Annotated[Portal, Depends(portal_of)]


def base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def links(package: Package, root: str) -> dict[str, str]:
    api = f"{root}/api/v1/datasets/{package['name']}"
    out = {"self": api, "page": f"{root}/datasets/{package['name']}", "rows": f"{api}/rows",
           "csv": f"{api}/download.csv", "json": f"{api}/download.json"}  # fmt: skip
    if any(r.get("format") == "GeoJSON" for r in package.get("resources", [])):
        out["geojson"] = f"{api}/download.geojson"
    return out


def summary(package: Package, root: str) -> dict[str, Any]:
    meta = PortalMeta.from_package(package)
    org = package.get("organization") or {}
    return {
        "name": package["name"],
        "title": package.get("title", ""),
        "organization": {"name": org.get("name"), "title": org.get("title")},
        "standard": meta.standard,
        "standard_number": meta.standard_number,
        "lgcode": meta.lgcode,
        "license": package.get("license_id"),
        "tags": [t["name"] for t in package.get("tags", [])],
        "modified": package.get("metadata_modified"),
        "validation": meta.validation_text,
        "rows": meta.rows,
        "links": links(package, root),
    }


def resources(package: Package, root: str) -> list[dict[str, Any]]:
    out = []
    for r in package.get("resources", []):
        url = r.get("url", "")
        out.append({"id": r.get("id"), "name": r["name"], "format": r.get("format"), "mimetype": r.get("mimetype"),
                    "description": r.get("description", ""), "size": r.get("size"),
                    "url": root + url if url.startswith("/") else url})  # fmt: skip
    return out
