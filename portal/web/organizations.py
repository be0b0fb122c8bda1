"""A municipality's page: what it publishes."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from portal.catalogue.base import OrganizationMissing
from portal.present import PortalDep
from portal.web.home import home

router = APIRouter(include_in_schema=False)


@router.get("/organizations/{name}", response_class=HTMLResponse)
def organization_page(request: Request, name: str, svc: PortalDep) -> HTMLResponse:
    if svc.catalogue.organization(name) is None:  # as a missing dataset is: 404, not an empty list
        raise OrganizationMissing(name=name)
    return home(request, svc, organization=name)
