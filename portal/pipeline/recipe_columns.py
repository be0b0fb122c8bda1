"""A recipe's `columns:` entries and `dedupe:`, read into what the transformer runs.

Each column takes its value from exactly one of `from` (source columns, joined), `sum`,
`expr` (arithmetic) or `marked` (the names of the columns marked ○). A mistake raises
ColumnProblem with the recipe path of the key at fault, so the message names its line.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from dataclasses import dataclass
from typing import Any

from portal.pipeline.computed import Arithmetic, Dedupe, Marked
from portal.pipeline.expressions import ExpressionError, parse, sum_of
from portal.pipeline.sources import SourceRef

KINDS = ("from", "sum", "expr", "marked")  # where a column's value comes from
COMPUTED_ONLY = ("blank", "round")  # keys that only mean something with sum/expr
FROM_ONLY = ("join", "fill_down")  # keys that only mean something with from


class ColumnProblem(Exception):
    def __init__(self, path: tuple[str, ...], en: str, ja: str) -> None:
        super().__init__(en)
        self.path, self.en, self.ja = path, en, ja


@dataclass
class Column:
    field: str
    sources: list[str]  # the names of the source columns read (without #2), for the header search
    join: str = ""
    normalize: list[tuple[str, Any]] = dataclasses.field(default_factory=list)
    fill_down: bool = False
    on_error: str = "keep"
    compute: Arithmetic | Marked | None = None
    refs: list[SourceRef] = dataclasses.field(default_factory=list)  # in the order they are read
    kind: str = "from"  # the recipe key it comes from: from, sum, expr or marked


def build_column(name: str, spec: dict[str, Any]) -> Column:
    here = ("columns", name)
    kinds = [k for k in KINDS if k in spec]
    if len(kinds) != 1:
        given = f" (it has {' and '.join(kinds)})" if kinds else ""
        raise ColumnProblem(here,
            f"columns.{name}: say where the value comes from with one of {', '.join(KINDS)}{given}",
            f"columns.{name}: 値の取り方を {', '.join(KINDS)} のどれか一つで書いてください"
            + (f"（{'と'.join(kinds)} があります）" if kinds else ""))  # fmt: skip
    kind = kinds[0]
    if kind not in ("sum", "expr") and (extra := [k for k in COMPUTED_ONLY if k in spec]):
        raise ColumnProblem((*here, extra[0]),
            f"columns.{name}: '{extra[0]}' applies to sum and expr only",
            f"columns.{name}: 「{extra[0]}」は sum と expr にだけ書けます")  # fmt: skip
    if kind != "from" and (extra := [k for k in FROM_ONLY if k in spec]):
        raise ColumnProblem((*here, extra[0]),
            f"columns.{name}: '{extra[0]}' applies to from only",
            f"columns.{name}: 「{extra[0]}」は from にだけ書けます")  # fmt: skip
    compute = _compute(name, kind, spec)
    if compute is None:
        written = spec["from"]
        refs = [SourceRef.of(s) for s in (written if isinstance(written, list) else [written])]
    else:
        refs = list(compute.refs)
    return Column(
        field=name,
        sources=[r.base for r in refs],
        refs=refs,
        join=spec.get("join", ""),
        normalize=[_normalizer(n) for n in spec.get("normalize", [])],
        fill_down=bool(spec.get("fill_down", False)),
        on_error=spec.get("on_error", "keep"),
        compute=compute,
        kind=kind,
    )


def _compute(name: str, kind: str, spec: dict[str, Any]) -> Arithmetic | Marked | None:
    if kind == "sum":
        refs = [SourceRef.of(s) for s in spec["sum"]]
        return Arithmetic(sum_of(refs), spec.get("blank", "unread"), spec.get("round"))
    if kind == "expr":
        try:
            expression = parse(spec["expr"])
        except ExpressionError as exc:
            shown = spec["expr"]
            raise ColumnProblem(("columns", name, "expr"),
                f"columns.{name}: expr '{shown}': {exc.en}",
                f"columns.{name}: 式「{shown}」: {exc.ja}") from None  # fmt: skip
        return Arithmetic(expression, spec.get("blank", "unread"), spec.get("round"))
    if kind == "marked":
        return _marked(spec["marked"])
    return None


def _marked(spec: dict[str, Any]) -> Marked:
    written = spec["columns"]
    pairs = list(written.items()) if isinstance(written, dict) else [(c, c) for c in written]
    refs = [SourceRef.of(c) for c, _ in pairs]
    labels = [str(label["column"]) if isinstance(label, dict) else str(label) for _, label in pairs]
    mark = spec.get("mark")
    marks = None
    if mark is not None:
        listed = mark if isinstance(mark, list) else [mark]
        marks = frozenset(unicodedata.normalize("NFKC", str(m)).strip() for m in listed)
    return Marked(refs, labels, marks)


def _normalizer(entry: str | dict[str, Any]) -> tuple[str, Any]:
    if isinstance(entry, str):
        return entry, None
    ((name, option),) = entry.items()
    return str(name), option


def build_dedupe(spec: Any) -> Dedupe | None:
    if spec is None or spec is False:
        return None
    if spec is True:
        return Dedupe()
    return Dedupe(tuple(str(f) for f in spec["fields"]))
