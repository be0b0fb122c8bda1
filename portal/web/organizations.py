"""The municipalities' pages: who runs this catalogue, and what each municipality publishes —
its datasets by standard with their validity (適合/要修正) and freshness — and which standard
datasets it does not publish yet (portal.coverage: the same cells the DX office's page shows).

    GET /organizations          every municipality that publishes here
    GET /organizations/{name}   one of them (404 for a name the catalogue does not have)
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from portal.catalogue.base import OrganizationMissing, Package
from portal.catalogue.meta import PortalMeta
from portal.catalogue.metadata import DatasetMetadata
from portal.composition import Portal
from portal.coverage import model
from portal.coverage.model import CellState
from portal.coverage.policy import max_age_days
from portal.localgov import LocalGov
from portal.localgov.english import english_name
from portal.present import PortalDep, base, organization_body, organization_title_en, summary
from portal.web.pages import render

router = APIRouter(include_in_schema=False)
TEMPLATE_MARK = "{"  # settings.organization is a template ({lgcode}): each publisher is its own


@dataclass(frozen=True)
class Named:
    """A municipality as the pages name it, in both languages."""

    name: str  # the catalogue's organization name (a link), or its code
    title: str
    title_en: str
    url: str | None = None  # its official website
    lgcode: str | None = None


def named(svc: Portal, org: dict[str, Any]) -> Named:
    body = organization_body(org, svc.directory)
    title = str(org.get("title") or (body.full_name if body else org.get("name")))
    return Named(str(org.get("name")), title, organization_title_en(org, svc.directory) or title,
                 body.url if body else None, body.lgcode if body else None)  # fmt: skip


def operators(svc: Portal) -> list[Named]:
    """Who runs the catalogue: the organization every dataset is published as
    (settings.organization, when it names one), else the municipalities the DX office's
    coverage lists as its own (settings.coverage_organizations); none when neither says."""
    fixed = svc.settings.organization
    if TEMPLATE_MARK not in fixed:
        org = svc.catalogue.organization(fixed) or {"name": fixed}
        return [named(svc, org)]
    bodies = [svc.directory.get(code) for code in svc.settings.coverage_organizations]
    return [_of_body(svc, body) for body in bodies if body is not None]


def _of_body(svc: Portal, body: LocalGov) -> Named:
    english = english_name(body, svc.directory)
    return Named(body.lgcode, body.full_name, english, body.url, body.lgcode)


@router.get("/organizations", response_class=HTMLResponse)
def organizations_page(request: Request, svc: PortalDep) -> HTMLResponse:
    packages = svc.catalogue.public_packages()
    counts = Counter(_org_name(p) for p in packages)
    valid = Counter(_org_name(p) for p in packages if _valid(p))
    listed = sorted((named(svc, org) for org in svc.catalogue.organizations()),
                    key=lambda o: (o.lgcode or "~", o.name))  # fmt: skip
    shown = [
        {"org": org, "datasets": counts[org.name], "valid": valid[org.name]}
        for org in listed if counts[org.name]
    ]  # fmt: skip
    return render(request, "organizations.html", organizations=shown, operators=operators(svc))


@router.get("/organizations/{name}", response_class=HTMLResponse)
def organization_page(request: Request, name: str, svc: PortalDep) -> HTMLResponse:
    org = svc.catalogue.organization(name)
    if org is None:  # as a missing dataset is: 404, not an empty list
        raise OrganizationMissing(name=name)
    shown = named(svc, org)
    packages = [p for p in svc.catalogue.public_packages() if _org_name(p) == org["name"]]
    lgcode = shown.lgcode or next((m for p in packages if (m := PortalMeta.from_package(p).lgcode)), None)  # fmt: skip
    root, now = base(request), datetime.now(UTC)
    datasets = [_published(svc, p, root, now) for p in packages]
    datasets.sort(key=lambda d: (d["standard_number"] or "~", d["name"]))
    return render(request, "organization.html", org=shown, datasets=datasets,
                  missing=_not_published(svc, lgcode), operators=operators(svc))  # fmt: skip


def _org_name(package: Package) -> str:
    return str((package.get("organization") or {}).get("name") or "")


def _valid(package: Package) -> bool:
    validation = PortalMeta.from_package(package).validation
    return validation is not None and validation.valid


def _published(svc: Portal, package: Package, root: str, now: datetime) -> dict[str, Any]:
    """The dataset as the page lists it: its summary, its standard's titles, and whether it
    is fresh (published within the time its update frequency allows; freshness.yaml)."""
    detail = summary(package, root, svc)
    definition = svc.definition(package)
    meta = PortalMeta.from_package(package)
    frequency = DatasetMetadata.from_package(package).update_frequency
    state = model.state_of(
        valid=True, published_at=meta.published_at, now=now,
        max_age=max_age_days(meta.standard, frequency) if meta.standard else None,
    )  # fmt: skip
    detail["standard_title"] = definition.title_ja if definition else None
    detail["standard_title_en"] = definition.title_en if definition else None
    detail["fresh"] = state == CellState.VALID
    return detail


def _not_published(svc: Portal, lgcode: str | None) -> list[model.StandardDataset]:
    """The standard datasets the municipality does not publish yet, the most wanted first
    (coverage's priority); those the DX office marked not applicable are left out."""
    if lgcode is None:
        return []
    coverage = model.only(model.local_coverage(svc, organizations=[lgcode]), [lgcode])
    by_key = {d.key: d for d in coverage.datasets}
    return [by_key[c.dataset] for c in model.gaps(coverage) if c.state == CellState.MISSING]
