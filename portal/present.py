"""What the API and the public pages both show over HTTP: the Portal a request is served by
(a FastAPI dependency), the site's root URL, and a dataset as both present it — its summary,
links and files. Shared here so that `portal.api` and `portal.web` never import each other."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request

from portal.catalogue.base import Package
from portal.catalogue.meta import PortalMeta
from portal.composition import Portal
from portal.localgov import Directory, LocalGov
from portal.localgov.english import english_name


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


def summary(package: Package, root: str, svc: Portal) -> dict[str, Any]:
    """A dataset as lists and pages show it, with its title and publisher in English too."""
    meta = PortalMeta.from_package(package)
    org = package.get("organization") or {}
    return {
        "name": package["name"],
        "title": package.get("title", ""),
        "title_en": title_en(package, svc),
        "organization": {
            "name": org.get("name"),
            "title": org.get("title"),
            "title_en": organization_title_en(org, svc.directory),
        },  # fmt: skip
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


def publisher_body(package: Package, directory: Directory) -> LocalGov | None:
    """The local government a dataset is of (its 全国地方公共団体コード), if the list has it."""
    lgcode = PortalMeta.from_package(package).lgcode
    return directory.get(lgcode) if lgcode else None


def title_en(package: Package, svc: Portal) -> str:
    """The English title: the standard's English title and the municipality in Latin letters,
    "AED locations (Yaizu City, Shizuoka)"; the title as given for a dataset of no standard."""
    definition = svc.definition(package)
    body = publisher_body(package, svc.directory)
    if definition is None:
        return str(package.get("title", ""))
    if body is None:
        return definition.title_en
    return f"{definition.title_en} ({english_name(body, svc.directory)})"


def organization_body(org: dict[str, Any], directory: Directory) -> LocalGov | None:
    """The local government an organization is: named by its code (the default, {lgcode}),
    or titled with its full name (静岡県焼津市) when named otherwise."""
    found = directory.get(str(org.get("name") or ""))
    if found is not None:
        return found
    title = org.get("title")
    return next((body for body in directory if title and body.full_name == title), None)


def organization_title_en(org: dict[str, Any], directory: Directory) -> str | None:
    body = organization_body(org, directory)
    return english_name(body, directory) if body else org.get("title")


# The notes the portal writes when a department gives no description (catalogue/mapping.py):
# they start with the body and the standard, after the 要修正 line of an invalid dataset.
INVALID_NOTE = "【要修正】"


def description_en(package: Package, svc: Portal) -> str | None:
    """The description in English where the notes are the standard's own (a department's
    own description has no English; None then, and the page shows it as written)."""
    definition = svc.definition(package)
    body = publisher_body(package, svc.directory)
    notes = str(package.get("notes") or "")
    if definition is None or body is None:
        return None
    own = notes.split("\n\n", 1)[1] if notes.startswith(INVALID_NOTE) and "\n\n" in notes else notes
    if not own.startswith(f"{body.full_name}の{definition.title_ja}です。"):
        return None
    text = (
        f"{definition.title_en} of {english_name(body, svc.directory)} ({body.lgcode}), "
        f"published in the layout of the Digital Agency's standard open dataset {definition.number}."
    )
    validation = PortalMeta.from_package(package).validation
    if validation is not None and not validation.valid:
        errors = "errors" if validation.errors is None else f"{validation.errors} errors"
        text = f"Needs fixing: this data has {errors} against the standard (see the validation report).\n\n{text}"
    return text
