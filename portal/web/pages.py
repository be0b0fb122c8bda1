"""The public pages: home with search, one page per dataset. Server-rendered, Japanese
first with an English toggle, everything served from the portal itself (no CDN)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import yaml
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape

from portal.catalogue.base import Package
from portal.catalogue.licences import licence
from portal.catalogue.mapping import metadata_of
from portal.catalogue.meta import PortalMeta
from portal.composition import NoData, Portal
from portal.connectors.ckan.mapping import Provenance
from portal.present import PortalDep, base, description_en, summary
from portal.present import resources as resource_list
from portal.rows import Query as RowQuery
from portal.rows import RowsUnavailable, run
from portal.web.examples import examples
from portal.web.findings import finding_of

router = APIRouter(include_in_schema=False)
LANGS = ("ja", "en")
DEFAULT_LANG = "ja"
PREVIEW_ROWS = 20


@cache
def messages() -> dict[str, dict[str, str]]:
    """The pages' words: messages.yaml, plus one messages-<part>.yaml per part of the site
    (maps, search, …) so that each part keeps its words beside the others'."""
    folder = resources.files("portal.web")
    names = ["messages.yaml"] + sorted(
        f.name
        for f in folder.iterdir()
        if f.name.startswith("messages-") and f.name.endswith(".yaml")
    )
    loaded: dict[str, dict[str, str]] = {}
    for name in names:
        loaded.update(yaml.safe_load(folder.joinpath(name).read_text(encoding="utf-8")) or {})
    return loaded


@cache
def environment() -> Environment:
    return Environment(
        loader=PackageLoader("portal.web", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def language(request: Request) -> str:
    """`?lang=` wins and is remembered in a cookie; Japanese otherwise (the clerks' language)."""
    wanted = request.query_params.get("lang") or request.cookies.get("lang")
    return wanted if wanted in LANGS else "ja"


def in_language(url: str, lang: str) -> str:
    """A link of the site as a page in `lang` writes it: English links carry ?lang=en, so
    the address a reader copies from an English page opens it in English for anyone."""
    if lang == DEFAULT_LANG:
        return url
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "lang"]
    return urlunsplit(parts._replace(query=urlencode([*query, ("lang", lang)])))


def _remembered_only(request: Request) -> str | None:
    """The address with ?lang= added when only the cookie asks for a language other than
    the default: a page is then redirected there, so its address says its language."""
    lang = language(request)
    if (
        lang == DEFAULT_LANG
        or "lang" in request.query_params
        or request.method not in ("GET", "HEAD")
    ):
        return None
    return str(request.url.include_query_params(lang=lang))


@dataclass
class Translator:
    lang: str

    def __call__(self, key: str, **params: Any) -> str:
        text = messages().get(key, {}).get(self.lang, key)
        return text.format(**params) if params else text


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    lang = language(request)
    if status == 200 and (localised := _remembered_only(request)) is not None:
        return HTMLResponse("", 307, headers={"Location": localised, "Vary": "Cookie"})
    other = "en" if lang == "ja" else "ja"
    toggle = str(request.url.include_query_params(lang=other))
    html = (
        environment()
        .get_template(template)
        .render(
            t=Translator(lang),
            lang=lang,
            toggle=toggle,
            root=base(request),
            href=lambda url: in_language(url, lang),
            **context,
        )  # fmt: skip
    )
    response = HTMLResponse(html, status, headers={"Vary": "Cookie"})
    if request.query_params.get("lang") in LANGS:
        response.set_cookie("lang", lang, max_age=365 * 86400, samesite="lax")
    return response


def preview(svc: Portal, package: Package) -> dict[str, Any] | None:
    try:
        definition, _ = svc.rows_of(package)
    except NoData:
        return None
    except RowsUnavailable:  # the page still shows the dataset, its files and its report
        return {"unavailable": True, "fields": []}
    query = RowQuery.of(definition, datasets=[package["name"]], limit=PREVIEW_ROWS)
    page = run(svc.rows, query)
    return {"fields": definition.field_names, "rows": page.rows, "total": page.total}


@router.get("/datasets/{name}", response_class=HTMLResponse)
def dataset_page(request: Request, name: str, svc: PortalDep) -> Response:
    package = svc.package(name)
    root = base(request)
    detail = summary(package, root, svc)
    table = preview(svc, package)
    files = resource_list(package, root)
    report = next((f for f in files if f["name"].endswith(".validation.html")), None)
    validation = PortalMeta.from_package(package).validation
    definition = svc.definition(package)
    given = metadata_of(package, definition)  # 担当課, contact, update frequency
    return render(request, "dataset.html", d=detail, notes=package.get("notes", ""), given=given,
                  notes_en=description_en(package, svc), definition=definition,
                  licence=licence(package.get("license_id")), finding=finding_of(svc, package),
                  errors=(validation.errors or 0) if validation else 0,
                  preview=table, files=files, report=report, provenance=Provenance.from_package(package),
                  examples=examples(detail, table["fields"] if table else [], root, _apiname(svc, package)))  # fmt: skip


def _apiname(svc: Portal, package: Package) -> str | None:
    definition = svc.definition(package)
    if definition is None or definition.version != "current":
        return None
    return str(definition.meta.get("bodik_api", definition.slug))


def error_page(
    request: Request, status: int, error: dict[str, Any], headers: dict[str, str] | None = None
) -> HTMLResponse:
    """An error as a page, for a client that prefers HTML (portal.server decides)."""
    response = render(request, "error.html", status, error=error)
    response.headers.update(headers or {})
    return response
