"""The home page: search over the catalogue in residents' words, filtered by standard,
municipality and category; browse by category and by municipality; related searches when
nothing is found."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from portal.catalogue.meta import STANDARD_FILTER
from portal.catalogue.search import Search
from portal.present import PortalDep, base, summary
from portal.search.categories import CATEGORY_FILTER, categories, category_named
from portal.search.related import related_searches
from portal.search.synonyms import synonyms
from portal.web.pages import render

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 20


@router.get("/", response_class=HTMLResponse)
def home(
    request: Request,
    svc: PortalDep,
    q: str = "",
    standard: str = "",
    organization: str = "",
    category: str = "",
    page: Annotated[int, Query(ge=1, le=500)] = 1,
) -> HTMLResponse:
    fq = {k: v for k, v in {STANDARD_FILTER: standard, "organization": organization}.items() if v}
    if category:
        category = fq[CATEGORY_FILTER] = category_named(category).name
    words = synonyms(svc.settings.search_synonyms)
    found = svc.catalogue.search(Search(q=q, fq=fq, rows=PAGE_SIZE, start=(page - 1) * PAGE_SIZE,
                                        expansion=words.expand(q)))  # fmt: skip
    root = base(request)
    standards = [d for d in svc.registry.all() if d.version == "current" and d.fields]
    related = related_searches(q, words) if q.strip() and not found["count"] else []
    return render(request, "home.html", q=q, standard=standard, organization=organization,
                  category=category, categories=categories(), related=related,
                  count=found["count"], results=[summary(p, root, svc) for p in found["results"]],
                  standards=standards, organizations=svc.catalogue.organizations(), page=page,
                  pages=max(1, -(-found["count"] // PAGE_SIZE)))  # fmt: skip
