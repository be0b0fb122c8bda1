"""/api/v1/datasets: search the catalogue, one dataset, its resources; /api/v1/standards."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse

from portal.api.limits import cache_headers, etag_for, not_modified
from portal.api.openapi import answers, follow
from portal.catalogue.base import Package, extras
from portal.catalogue.mapping import metadata_of
from portal.catalogue.meta import STANDARD_FILTER, PortalMeta
from portal.catalogue.metadata import DatasetMetadata
from portal.catalogue.search import Search
from portal.composition import Portal
from portal.present import PortalDep, base, resources, summary
from portal.rows import BadQuery
from portal.rows.query import MAX_TEXT
from portal.search.categories import CATEGORY_FILTER, category_named
from portal.search.related import related_searches
from portal.search.synonyms import synonyms

router = APIRouter(prefix="/api/v1", tags=["catalogue"])


def since(value: str | None) -> str | None:
    """`modified_since` as Solr and the embedded catalogue both compare it: UTC, to the second."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise BadQuery(
            detail=f"modified_since '{value}' is not an ISO date or time (2026-04-01, 2026-04-01T09:00:00+09:00)",
            detail_ja=f"modified_since「{value}」は ISO 形式の日付・日時ではありません（2026-04-01 など）",
        ) from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def modified(package: Package) -> datetime | None:
    try:
        return datetime.fromisoformat(package["metadata_modified"].rstrip("Z") + "+00:00")
    except (KeyError, ValueError):
        return None


FIRST = "$response.body#/results/0/name"  # the first dataset found, for links


@router.get(
    "/datasets",
    summary="Search datasets (Japanese text search; filters)",
    operation_id="datasets_search",
    responses={
        **answers(400),
        **follow(
            dataset=("dataset_show", {"name": FIRST}),
            resources=("dataset_resources", {"name": FIRST}),
            rows=("dataset_rows", {"name": FIRST}),
            csv=("dataset_download", {"name": FIRST, "fmt": "csv"}),
        ),
    },
)
def search(
    request: Request,
    svc: PortalDep,
    q: Annotated[
        str,
        Query(
            max_length=MAX_TEXT,
            description="Words to find (Japanese works: 避難場所, トイレ 焼津).",
        ),
    ] = "",
    standard: Annotated[
        str | None, Query(description="Standard dataset slug, e.g. evacuation_space.")
    ] = None,
    organization: Annotated[
        str | None, Query(description="Organization name (the 6-digit code).")
    ] = None,
    tag: Annotated[str | None, Query(description="A tag, e.g. 自治体標準ODS.")] = None,
    license: Annotated[
        str | None, Query(description="Licence id: cc-by, cc-by-sa, cc-zero.")
    ] = None,
    modified_since: Annotated[
        str | None, Query(description="ISO date or time: only datasets changed since.")
    ] = None,
    category: Annotated[
        str | None, Query(description="A category: 防災, 子育て, 医療・福祉, 観光・文化, 生活.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=10_000)] = 0,
) -> dict[str, Any]:
    fq = {k: v for k, v in {STANDARD_FILTER: standard, "organization": organization, "tags": tag,
                            "license_id": license, "metadata_modified": since(modified_since)}.items() if v}  # fmt: skip
    if category:
        fq[CATEGORY_FILTER] = category_named(category).name
    # Residents' words: 避難所 finds 指定緊急避難場所, 保育園 the 子育て施設一覧.
    words = synonyms(svc.settings.search_synonyms)
    found = svc.catalogue.search(
        Search(q=q, fq=fq, rows=limit, start=offset, expansion=words.expand(q))
    )
    answer = {"count": found["count"], "limit": limit, "offset": offset,
              "results": [summary(p, base(request), svc) for p in found["results"]]}  # fmt: skip
    if not found["count"] and q.strip():  # nothing found: searches that may find something
        answer["suggestions"] = related_searches(q, words)
    return answer


@router.get(
    "/datasets/{name}",
    summary="One dataset: metadata, fields, resources, validation",
    operation_id="dataset_show",
    responses=answers(304, 404),
)
def show(request: Request, name: str, svc: PortalDep) -> Response:
    package = svc.package(name)
    etag = etag_for(
        package["name"],
        package.get("metadata_modified"),
        PortalMeta.from_package(package).content_hash,
    )
    if (cached := not_modified(request, etag, modified(package))) is not None:
        return cached
    definition = svc.definition(package)
    detail = summary(package, base(request), svc)
    detail.update(
        notes=package.get("notes", ""),
        extras=extras(package),
        fields=[
            {"name": f["name"], "type": f["type"], "requirement": f.get("requirement")}
            for f in definition.fields
        ]
        if definition
        else [],
        resources=resources(package, base(request)),
        metadata=metadata_answer(metadata_of(package, definition)),
    )
    return JSONResponse(detail, headers=cache_headers(etag, modified(package)))


def metadata_answer(given: DatasetMetadata) -> dict[str, Any]:
    """The department's metadata as a recipe or PUT /uploads/{id}/metadata gives it, with the
    update frequency's label and EU URI beside its code."""
    answer = given.to_dict()
    if given.frequency:
        answer.update(
            update_frequency_ja=given.frequency.ja, update_frequency_uri=given.frequency.uri
        )
    return answer


@router.get(
    "/datasets/{name}/resources",
    summary="The dataset's files",
    operation_id="dataset_resources",
    responses={
        **answers(404),
        **follow(
            file=(
                "file",
                {"resource_id": "$response.body#/0/id", "filename": "$response.body#/0/name"},
            )
        ),
    },
)
def list_resources(request: Request, name: str, svc: PortalDep) -> list[dict[str, Any]]:
    return resources(svc.package(name), base(request))


@router.get(
    "/standards",
    summary="Standard datasets and who publishes them",
    operation_id="standards",
    responses={
        **answers(),
        **follow(
            standard=("standard", {"slug": "$response.body#/0/slug"}),
            rows=("standard_rows", {"slug": "$response.body#/0/slug"}),
        ),
    },
)
def standards(svc: PortalDep) -> list[dict[str, Any]]:
    return standard_coverage(svc)


def standard_coverage(svc: Portal) -> list[dict[str, Any]]:
    published: dict[str, list[str]] = {}
    for package in svc.catalogue.public_packages():
        if slug := PortalMeta.from_package(package).standard:
            published.setdefault(slug, []).append(package["name"])
    out = []
    for d in svc.registry.all():
        if d.version != "current" or not d.fields:
            continue
        out.append({"slug": d.slug, "number": d.number, "title_ja": d.title_ja, "title_en": d.title_en,
                    "datasets": sorted(published.get(d.slug, []))})  # fmt: skip
    return out


@router.get(
    "/standards/{slug}",
    summary="One standard dataset: its Frictionless Table Schema",
    operation_id="standard",
    responses=answers(404),
)
def standard(slug: str, svc: PortalDep) -> dict[str, Any]:
    d = svc.registry.get(slug)
    return {"slug": d.slug, "key": d.key, "number": d.number, "title_ja": d.title_ja,
            "title_en": d.title_en, "version": d.version, "schema": d.schema}  # fmt: skip
