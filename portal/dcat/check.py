"""Check a DCAT catalogue (a URL or a file) against SHACL shapes with pyshacl — for a
maintainer who keeps the official DCAT-AP shapes (SEMICeu/DCAT-AP, releases/3.0.1/shacl)
outside the repository; the tests run the portal's own shapes the same way.

    python -m portal.dcat.check --shapes dcat-ap-SHACL.ttl --shapes ranges.ttl \\
        http://127.0.0.1:8000/catalog.ttl

Exit 0: no violation (warnings are listed); 1: violations; 2: a source or shapes file that
cannot be read.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import httpx
import typer
from rdflib import Graph
from rdflib.namespace import RDF, SH
from rdflib.util import guess_format

from portal.errors import Location, PortalError

# A catalogue of a few thousand datasets is served in seconds; a stuck server is not waited on.
FETCH_TIMEOUT_SECONDS = 60.0
ACCEPT = "text/turtle, application/ld+json;q=0.9, application/rdf+xml;q=0.8"
# rdflib parser names by Content-Type (what the portal and CKAN serve).
FORMATS_BY_MEDIA_TYPE = {
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/json": "json-ld",
    "application/rdf+xml": "xml",
    "application/n-triples": "nt",
}


class RdfUnreadable(PortalError):
    """A catalogue or shapes file that cannot be fetched or parsed as RDF."""

    code = "rdf-unreadable"
    status = 422
    exit_code = 2
    template_en = "cannot read {what} as RDF: {reason}"
    template_ja = "{what_ja}を RDF として読めません: {reason}"
    hint_en = "give a Turtle, JSON-LD or RDF/XML file, or a URL that serves one"
    hint_ja = "Turtle・JSON-LD・RDF/XML のファイルか、それを返す URL を指定してください"


class ShaclUnavailable(PortalError):
    code = "shacl-unavailable"
    exit_code = 2
    template_en = "pyshacl is not installed"
    template_ja = "pyshacl がインストールされていません"
    hint_en = "install the test extra: pip install -e '.[test]'"
    hint_ja = "テスト用の依存関係を入れてください: pip install -e '.[test]'"


@dataclass(frozen=True)
class Finding:
    """One validation result as a person reads it."""

    severity: str  # Violation, Warning or Info
    focus: str
    path: str
    message: str

    def line(self) -> str:
        return f"{self.severity}: {self.focus} {self.path}: {self.message}"


def _parse(graph: Graph, source: str | Path, what: str, what_ja: str, fmt: str | None) -> None:
    try:
        graph.parse(source, format=fmt or guess_format(str(source)) or "turtle")
    except Exception as exc:  # rdflib raises many kinds (OSError, SyntaxError, ValueError…)
        where = Location(file=str(source))
        raise RdfUnreadable(where, what=what, what_ja=what_ja, reason=str(exc)[:300]) from exc


def load_shapes(paths: list[Path]) -> tuple[Graph, int]:
    """The shapes files as one graph, and how many dangling sh:property links were dropped:
    links to a shape with no triples at all (SEMIC's 3.0.1 release has five), which pyshacl
    refuses as malformed; every shape the files describe is kept. The files are not changed."""
    shapes = Graph()
    for path in paths:
        _parse(shapes, path, "the shapes file", "シェイプのファイル", None)
    dangling = [
        (node, shape)
        for node, shape in shapes.subject_objects(SH.property)
        if (shape, None, None) not in shapes
    ]
    for node, shape in dangling:
        shapes.remove((node, SH.property, shape))
    return shapes, len(dangling)


def load_catalogue(source: str) -> Graph:
    """A catalogue from an http(s) URL (its format by Content-Type) or a file (by suffix)."""
    graph = Graph()
    if not source.startswith(("http://", "https://")):
        _parse(graph, Path(source), "the catalogue", "カタログ", None)
        return graph
    try:
        response = httpx.get(
            source, headers={"Accept": ACCEPT}, timeout=FETCH_TIMEOUT_SECONDS, follow_redirects=True
        )
        response.raise_for_status()
    except httpx.HTTPError as exc:
        raise RdfUnreadable(
            Location(file=source), what="the catalogue", what_ja="カタログ", reason=str(exc)
        ) from exc
    media_type = response.headers.get("content-type", "").split(";")[0].strip()
    fmt = FORMATS_BY_MEDIA_TYPE.get(media_type) or guess_format(source) or "turtle"
    try:
        graph.parse(data=response.text, format=fmt)
    except Exception as exc:  # rdflib raises many kinds
        raise RdfUnreadable(
            Location(file=source), what="the catalogue", what_ja="カタログ", reason=str(exc)[:300]
        ) from exc
    return graph


def check(data: Graph, shapes: Graph) -> list[Finding]:
    """Every result of validating `data` against `shapes` (no inference), violations first."""
    try:
        from pyshacl import validate  # a test extra: only maintainers and tests check
    except ImportError as exc:
        raise ShaclUnavailable() from exc
    _, report, _ = validate(data, shacl_graph=shapes, inference="none")
    found = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        severity = report.value(result, SH.resultSeverity)
        found.append(
            Finding(
                severity=str(severity).rsplit("#", 1)[-1],
                focus=str(report.value(result, SH.focusNode)),
                path=str(report.value(result, SH.resultPath) or ""),
                message=str(report.value(result, SH.resultMessage) or ""),
            )
        )
    order = {"Violation": 0, "Warning": 1, "Info": 2}
    return sorted(found, key=lambda f: (order.get(f.severity, 3), f.focus, f.path, f.message))


def violations(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "Violation"]


def check_command(
    source: Annotated[str, typer.Argument(help="The catalogue: a URL or a file.")],
    shapes: Annotated[
        list[Path], typer.Option("--shapes", help="A SHACL shapes file (repeat for more).")
    ],
) -> None:
    """Validate a DCAT catalogue against SHACL shapes; exit 1 on any violation."""
    from portal.cli.render import render_error  # the CLI's one way to show an error
    from portal.cli.state import console

    out = console()
    try:
        shapes_graph, dropped = load_shapes(shapes)
        findings = check(load_catalogue(source), shapes_graph)
    except PortalError as exc:
        raise typer.Exit(render_error(exc, console(stderr=True))) from exc
    for finding in findings:
        out.print(finding.line(), highlight=False, soft_wrap=True, markup=False)
    count = len(violations(findings))
    warnings = len(findings) - count
    if dropped:
        out.print(f"({dropped} dangling sh:property links in the shapes were ignored)")
    out.print(
        f"{count} violations, {warnings} other results / 違反 {count} 件、その他 {warnings} 件",
        highlight=False,
    )
    raise typer.Exit(1 if count else 0)


def main() -> None:
    typer.run(check_command)


if __name__ == "__main__":
    main()
