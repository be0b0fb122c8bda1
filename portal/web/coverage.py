"""The DX office's coverage page: which standard datasets each organization has published,
valid and fresh; the trend; the city beside its neighbours; the gaps to close first; the
exports. Thin over portal.coverage.model (the library the CLI and the API use too).

    GET /coverage         the page (Japanese first, ?lang=en)
    GET /coverage.csv     the matrix as CSV (model.to_csv)
    GET /coverage.json    the matrix as JSON (model.to_json: the API's shape)

Who sees it: the DX office — an approver or admin of a municipality (not of one of its
departments only). A citizen is sent to sign in, as /account does; a signed-in user without
such a role gets 403. The matrix shows every organization of this portal (what it shows is
public already: the catalogue's datasets and their reports), the office's own first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from portal.accounts.auth import Actor, Forbidden
from portal.accounts.http import OptionalActorDep
from portal.accounts.pages import to_login
from portal.composition import Portal
from portal.coverage import model
from portal.coverage.model import Cell, CellState, Coverage, Snapshot
from portal.present import PortalDep, base
from portal.web.coverage_charts import Chart, region_chart, trend_chart
from portal.web.forms import when
from portal.web.pages import language, render
from portal.web.words import Words

MATRIX_PAGE = 50  # organizations besides the office's own on one page of the matrix
router = APIRouter(include_in_schema=False)
OFFICE_ROLE = "approver"  # or admin: the role of a municipality that makes its DX office
MAX_TREND_LINES = 7  # more lines than this cannot be told apart: the office's own come first
# A symbol for each state, beside its colour: the state reads without colour too (the same
# symbols as `portal coverage` in a terminal, portal/cli/coverage.py).
SYMBOLS = model.SYMBOLS
STATE_ORDER = (CellState.VALID, CellState.STALE, CellState.INVALID, CellState.MISSING,
               CellState.NOT_APPLICABLE)  # fmt: skip
MEASURES = {"latest": "#0072B2", "earliest": "#9ab7d3"}  # the region's bars: now, and before
CSV_NAME = "coverage.csv"


@dataclass(frozen=True)
class Shown:
    """A cell as the page draws it: its state's word and symbol, its link, its hint."""

    cell: Cell
    symbol: str
    link: str | None
    report: str | None
    hint: str


def offices(actor: Actor) -> list[str]:
    """The municipalities whose DX office the actor is (approver or admin there; a role in
    one of its departments only is not enough)."""
    held = [org for org in actor.roles if org not in actor.parents]
    return sorted(org for org in held if actor.can(OFFICE_ROLE, org))


def allowed(svc: Portal, actor: Actor) -> tuple[Coverage, list[str]]:
    """The coverage (the office's municipalities in it even with nothing published) and
    those municipalities; 403 for anyone else signed in."""
    mine = offices(actor)
    if not mine:
        raise Forbidden(name=actor.name, doing="coverage", org="*", role=OFFICE_ROLE)
    return model.local_coverage(svc, organizations=mine), mine


@router.get("/coverage", response_class=HTMLResponse)
def coverage_page(request: Request, svc: PortalDep, actor: OptionalActorDep) -> Response:
    if actor is None:
        return to_login(request)
    coverage, mine = allowed(svc, actor)
    words = Words(language(request), "portal.web", "coverage.yaml")
    ordered, pager = matrix_page(coverage, mine, request.query_params.get("page", "1"))
    matrix = model.only(coverage, [o.lgcode for o in ordered])
    history = model.trend(svc.store, model.LOCAL, [o.lgcode for o in ordered])
    region = model.trend(svc.store, model.REGION)
    names = {o.lgcode: o.name for o in coverage.organizations}
    neighbours = {s.lgcode: name_of(svc, s.lgcode) for s in region}
    trend_series = series(history, names, mine)
    return render(request, "coverage.html", c=words, when=when, coverage=coverage,
                  organizations=ordered, mine=mine, cells=shown_cells(matrix, words),
                  by_org=matrix.percent_by_organization(), pager=pager,
                  by_dataset=coverage.percent_by_dataset(),
                  symbols=SYMBOLS, states=STATE_ORDER, counts=state_counts(coverage, mine),
                  trend=trend_chart(trend_series), trend_rows=trend_table(trend_series),
                  region=region_view(region, coverage, mine, words, names | neighbours),
                  gaps=[g for g in model.gaps(coverage) if g.lgcode in mine],
                  titles={d.key: d for d in coverage.datasets}, names=names)  # fmt: skip


def matrix_page(
    coverage: Coverage, mine: list[str], asked: str
) -> tuple[list[Any], dict[str, int]]:
    """The organizations of one page of the matrix: the office's own always, then
    MATRIX_PAGE of the others (a national catalogue has 1,741 municipalities: all of them
    at once made an 11 MB page). The exports keep every organization."""
    own = [o for o in coverage.organizations if o.lgcode in mine]
    others = [o for o in coverage.organizations if o.lgcode not in mine]
    pages = max(1, -(-len(others) // MATRIX_PAGE))
    number = min(max(int(asked) if asked.isdigit() else 1, 1), pages)
    start = (number - 1) * MATRIX_PAGE
    return own + others[start : start + MATRIX_PAGE], {"page": number, "pages": pages}


@router.get("/coverage.csv")
def coverage_csv(request: Request, svc: PortalDep, actor: OptionalActorDep) -> Response:
    if actor is None:
        return to_login(request)
    coverage, _ = allowed(svc, actor)
    # With a BOM: Excel, which the offices open it in, reads UTF-8 only then.
    return Response("\ufeff" + model.to_csv(coverage, base(request)), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{CSV_NAME}"'})  # fmt: skip


@router.get("/coverage.json")
def coverage_json(request: Request, svc: PortalDep, actor: OptionalActorDep) -> Response:
    if actor is None:
        return to_login(request)
    coverage, _ = allowed(svc, actor)
    return JSONResponse(model.to_json(coverage, base(request)))


def shown_cells(coverage: Coverage, words: Words) -> dict[tuple[str, str], Shown]:
    return {(c.lgcode, c.dataset): shown(c, words) for c in coverage.cells}


def shown(cell: Cell, words: Words) -> Shown:
    """Where a cell leads: a published dataset's page (an invalid one's report beside it);
    a missing one's upload form; a not-applicable one nowhere (its reason is shown)."""
    hint = words(f"state_{cell.state}")
    if cell.published_at is not None:
        hint += " · " + words("published_on", at=when(cell.published_at))
    if cell.versions:
        hint += " · " + words("versions_count", n=cell.versions)
    if cell.state == CellState.NOT_APPLICABLE:
        return Shown(
            cell, SYMBOLS[cell.state], None, None, words("reason", reason=cell.reason or "")
        )
    if cell.state == CellState.MISSING:
        link = f"/uploads/new?org={cell.lgcode}&dataset={cell.dataset}"
        return Shown(cell, SYMBOLS[cell.state], link, None, hint)
    report = cell.report_url if cell.state == CellState.INVALID else None
    return Shown(cell, SYMBOLS[cell.state], cell.url, report, hint)


def state_counts(coverage: Coverage, mine: list[str]) -> dict[str, dict[CellState, int]]:
    """For each of the office's municipalities: how many datasets are in each state."""
    counts = {code: dict.fromkeys(STATE_ORDER, 0) for code in mine}
    for cell in coverage.cells:
        if cell.lgcode in counts:
            counts[cell.lgcode][cell.state] += 1
    return counts


def series(
    history: list[Snapshot], names: dict[str, str], mine: list[str]
) -> dict[str, list[tuple[datetime, float]]]:
    """The trend's lines, named by organization: the office's own first, at most
    MAX_TREND_LINES; points without a percentage (nothing applicable) left out."""
    lines: dict[str, list[tuple[datetime, float]]] = {}
    for snap in sorted(history, key=lambda s: (s.lgcode not in mine, s.lgcode, s.at)):
        if snap.percent is None:
            continue
        name = names.get(snap.lgcode, snap.lgcode)
        if name in lines or len(lines) < MAX_TREND_LINES:
            lines.setdefault(name, []).append((snap.at, snap.percent))
    return lines


def trend_table(lines: dict[str, list[tuple[datetime, float]]]) -> list[tuple[str, str, str]]:
    """The chart's numbers as rows (organization, when, percent), for the table below it."""
    return [(name, when(at), f"{p:.0f}") for name, points in lines.items() for at, p in points]


def name_of(svc: Portal, lgcode: str) -> str:
    body = svc.directory.get(lgcode)
    return body.full_name if body else lgcode


def region_view(
    region: list[Snapshot], coverage: Coverage, mine: list[str], words: Words,
    names: dict[str, str],
) -> dict[str, Any] | None:  # fmt: skip
    """The city beside its neighbours, from the last region harvest: for each organization
    its coverage at the latest and at the earliest harvest; the city's own from here."""
    if not region:
        return None
    latest: dict[str, Snapshot] = {}
    earliest: dict[str, Snapshot] = {}
    for snap in sorted(region, key=lambda s: s.at):
        earliest.setdefault(snap.lgcode, snap)
        latest[snap.lgcode] = snap
    own = {code: coverage.covered(lgcode=code) for code in mine}
    measures = {words("measure_latest"): MEASURES["latest"],
                words("measure_earliest"): MEASURES["earliest"]}  # fmt: skip
    rows: list[tuple[str, dict[str, float]]] = []
    for code in [*mine, *(c for c in latest if c not in mine)]:
        now = _percent(own[code]) if code in own else latest[code].percent
        before = earliest[code].percent if code in earliest else now
        rows.append((names.get(code, code), {words("measure_latest"): now or 0.0,
                                             words("measure_earliest"): before or 0.0}))  # fmt: skip
    city = names.get(mine[0], mine[0])
    chart: Chart = region_chart(rows, measures, city)
    at = max(s.at for s in region)
    return {"chart": chart, "measures": measures, "rows": rows, "at": at}


def _percent(counted: tuple[int, int]) -> float | None:
    covered, total = counted
    return None if total == 0 else 100.0 * covered / total
