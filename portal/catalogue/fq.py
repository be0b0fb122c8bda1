"""CKAN's `fq` (a Solr filter query) on the embedded catalogue, answered as CKAN's Solr answers.

luqum parses the Lucene syntax; what the clauses mean follows Lucene's classic query parser,
which is not what boolean precedence suggests: each level is one flat list of clauses, each
MUST, SHOULD or MUST_NOT by its modifier (+ - NOT) and the conjunction before it (AND, OR,
none = CKAN's default operator, `q.op=AND`). SHOULD clauses are optional where a level has a
MUST clause, and a level of only MUST_NOT clauses matches nothing. CKAN puts the caller's fq
between its own `+capacity:public … +state:(active)`, so the top level always has a MUST:
`organization:a OR organization:b` filters nothing on a real CKAN, and so it does here.

Fields: the string fields of CKAN's Solr schema (exact, case-sensitive, `*`/`?` wildcards,
ranges in code-point order) and its two dates (ranges and values with `NOW`, `+1DAY`, `/DAY`
date math, at Solr's millisecond precision). Anything else — analysed text fields, terms
without a field, fuzzy, proximity, regular expressions — is refused with a 409 that names
it, rather than answered differently from CKAN.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from enum import Enum

from dateutil.relativedelta import relativedelta
from luqum import tree
from luqum.exceptions import ParseError
from luqum.parser import parser

from portal.catalogue.base import Package
from portal.errors import PortalError

Predicate = Callable[[Package], bool]

# CKAN's Solr schema (ckan/config/solr/schema.xml): type="string" fields, and the dates.
STRING_FIELDS = ("name", "id", "organization", "tags", "license_id", "res_format", "state",
                 "capacity", "dataset_type", "version", "url", "groups")  # fmt: skip
DATE_FIELDS = ("metadata_modified", "metadata_created")
DATE = re.compile(r"(NOW|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z)((?:[+-]\d+[A-Z]+|/[A-Z]+)*)")
DATE_STEP = re.compile(r"([+-]\d+|/)([A-Z]+)")
UNITS = {"YEAR": "years", "MONTH": "months", "DAY": "days", "DATE": "days", "HOUR": "hours",
         "MINUTE": "minutes", "SECOND": "seconds", "MILLI": "microseconds",
         "MILLISECOND": "microseconds"}  # fmt: skip
ROUNDED = {"years": ("month", "day", "hour", "minute", "second", "microsecond"),
           "months": ("day", "hour", "minute", "second", "microsecond"),
           "days": ("hour", "minute", "second", "microsecond"),
           "hours": ("minute", "second", "microsecond"), "minutes": ("second", "microsecond"),
           "seconds": ("microsecond",), "microseconds": ()}  # fmt: skip
STORED_TIME = "%Y-%m-%dT%H:%M:%S.%f"  # metadata_modified as the catalogue keeps it (UTC)
UNSUPPORTED = {tree.Fuzzy: "fuzzy search (~)", tree.Proximity: "proximity search (\"…\"~n)",
               tree.Regex: "regular expressions (/…/)", tree.From: "open ranges (>, >=)",
               tree.To: "open ranges (<, <=)"}  # fmt: skip


class FilterUnsupported(PortalError):
    code = "fq-unsupported"
    status = 409  # CKAN answers a query Solr refuses with a 409
    template_en = "fq: {what} is not supported here ({fq}); {hint}"
    template_ja = "fq: {what} は使えません（{fq}）。{hint}"


class Occur(Enum):
    MUST = "+"
    SHOULD = ""
    MUST_NOT = "-"


def parse_filter(fq: str, now: datetime | None = None) -> Predicate:
    """The packages `fq` keeps, as a predicate; FilterUnsupported for what cannot be
    answered as CKAN answers it. `now` is Solr's NOW (the request's time)."""
    if not fq.strip():
        return lambda package: True
    try:
        node = parser.parse(fq)
    except (ParseError, ValueError, TypeError) as exc:
        raise FilterUnsupported(what="this syntax", fq=fq, hint=str(exc)) from None
    compiler = _Compiler(fq, now or datetime.now(UTC))
    # The top level has CKAN's own `+capacity:public`: a MUST that is always true here.
    return compiler.boolean(node, None, always_must=True)


def _sequence(node: tree.Item, conj: str) -> list[tuple[str, tree.Item]]:
    """A level's clauses in order, each with the conjunction before it: luqum nests AND, OR
    and implicit operations by precedence, Lucene reads them as one list."""
    kinds = {tree.AndOperation: "AND", tree.OrOperation: "OR", tree.UnknownOperation: ""}
    kind = kinds.get(type(node))
    if kind is None:
        return [(conj, node)]
    out: list[tuple[str, tree.Item]] = []
    for i, child in enumerate(node.children):
        out += _sequence(child, conj if i == 0 else kind)
    return out


def _occurs(clauses: list[tuple[str, tree.Item]]) -> list[tuple[Occur, tree.Item]]:
    """Lucene's QueryParserBase.addClause with the default operator AND."""
    out: list[tuple[Occur, tree.Item]] = []
    for conj, node in clauses:
        prohibited = isinstance(node, tree.Not | tree.Prohibit)
        inner = node.a if isinstance(node, tree.Not | tree.Prohibit | tree.Plus) else node
        if out and conj == "AND" and out[-1][0] is not Occur.MUST_NOT:
            out[-1] = (Occur.MUST, out[-1][1])
        if out and conj == "OR" and out[-1][0] is not Occur.MUST_NOT:
            out[-1] = (Occur.SHOULD, out[-1][1])
        if prohibited:
            out.append((Occur.MUST_NOT, inner))
        else:
            out.append((Occur.SHOULD if conj == "OR" else Occur.MUST, inner))
    return out


class _Compiler:
    def __init__(self, fq: str, now: datetime) -> None:
        self.fq = fq
        self.now = now

    def refuse(self, what: str, hint: str = "see the README's compatibility section") -> None:
        raise FilterUnsupported(what=what, fq=self.fq, hint=hint)

    def boolean(self, node: tree.Item, field: str | None, always_must: bool = False) -> Predicate:
        clauses = [(o, self.clause(n, field)) for o, n in _occurs(_sequence(node, ""))]
        must = [p for o, p in clauses if o is Occur.MUST]
        should = [p for o, p in clauses if o is Occur.SHOULD]
        must_not = [p for o, p in clauses if o is Occur.MUST_NOT]
        needs_should = not must and not always_must  # otherwise SHOULD only ranks

        def matches(package: Package) -> bool:
            if not all(p(package) for p in must) or any(p(package) for p in must_not):
                return False
            return any(p(package) for p in should) if needs_should else True

        return matches

    def clause(self, node: tree.Item, field: str | None) -> Predicate:
        if isinstance(node, tree.Boost):  # a boost ranks, it does not filter
            return self.clause(node.expr, field)
        if isinstance(node, tree.Group):
            return self.boolean(node.expr, field)
        if isinstance(node, tree.SearchField):
            if node.name == "*" and isinstance(node.expr, tree.Word) and node.expr.value == "*":
                return lambda package: True
            self.check_field(node.name)
            expr = node.expr.expr if isinstance(node.expr, tree.FieldGroup) else node.expr
            return self.boolean(expr, node.name) if isinstance(node.expr, tree.FieldGroup) \
                else self.clause(expr, node.name)  # fmt: skip
        for kind, what in UNSUPPORTED.items():
            if isinstance(node, kind):
                self.refuse(what)
        if field is None:
            self.refuse(f"a term without a field ({node})",
                        "name the field, e.g. tags:AED; search words go in q")  # fmt: skip
        assert field is not None
        if isinstance(node, tree.Range):
            return self.range(node, field)
        if isinstance(node, tree.Word | tree.Phrase):
            return self.term(node, field)
        if isinstance(node, tree.BaseOperation | tree.Not | tree.Prohibit | tree.Plus):
            return self.boolean(node, field)
        self.refuse(f"'{node}'")
        raise AssertionError  # refuse raised

    def check_field(self, name: str) -> None:
        if name not in STRING_FIELDS + DATE_FIELDS:
            self.refuse(f"the field '{name}'",
                        "fq takes " + ", ".join(STRING_FIELDS + DATE_FIELDS))  # fmt: skip

    def term(self, node: tree.Word | tree.Phrase, field: str) -> Predicate:
        if isinstance(node, tree.Phrase):
            literal: str | re.Pattern[str] = node.value[1:-1].replace('\\"', '"')
        else:
            literal = _wildcard(node.value)
        if field in DATE_FIELDS:
            if isinstance(literal, re.Pattern):
                if literal.pattern != ".*":
                    self.refuse(f"a wildcard in the date field {field}")
                return lambda package: bool(_values(package, field))
            moment = self.date(literal)
            return lambda package: any(_moment(v) == moment for v in _values(package, field))
        if isinstance(literal, str):
            text = literal
            return lambda package: text in _values(package, field)
        pattern = literal
        return lambda package: any(pattern.fullmatch(v) for v in _values(package, field))

    def range(self, node: tree.Range, field: str) -> Predicate:
        low, high = (self.bound(b, field) for b in (node.low, node.high))
        include_low, include_high = node.include_low, node.include_high

        def inside(value: str) -> bool:
            key = _moment(value) if field in DATE_FIELDS else value
            if low is not None and (key < low or (key == low and not include_low)):  # type: ignore[operator]
                return False
            return high is None or key < high or (key == high and include_high)  # type: ignore[operator]

        return lambda package: any(inside(v) for v in _values(package, field))

    def bound(self, node: tree.Item, field: str) -> str | datetime | None:
        if isinstance(node, tree.Word) and node.value == "*":
            return None
        if not isinstance(node, tree.Word | tree.Phrase):
            self.refuse(f"the range bound '{node}'")
        text = node.value[1:-1] if isinstance(node, tree.Phrase) else _unescape(node.value)
        return self.date(text) if field in DATE_FIELDS else text

    def date(self, text: str) -> datetime:
        """A Solr date with its date math, at Solr's millisecond precision."""
        m = DATE.fullmatch(text)
        if m is None:
            self.refuse(f"the date '{text}'",
                        "Solr takes 2026-01-31T00:00:00Z or NOW, with math like NOW-1DAY or NOW/DAY")  # fmt: skip
        assert m is not None
        moment = self.now if m[1] == "NOW" else _moment(m[1].rstrip("Z"))
        for step, unit in DATE_STEP.findall(m[2]):
            name = UNITS.get(unit.removesuffix("S")) or UNITS.get(unit)
            if name is None:
                self.refuse(f"the date unit '{unit}'", "units: " + ", ".join(UNITS))
            assert name is not None
            if step == "/":
                moment = moment.replace(**dict.fromkeys(ROUNDED[name], 0))  # type: ignore[arg-type]
            else:
                amount = int(step) * (1000 if unit.startswith("MILLI") else 1)
                moment = moment + relativedelta(**{name: amount})
        return _millis(moment)


def _millis(moment: datetime) -> datetime:
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def _moment(text: str) -> datetime:
    """A stored time (UTC, no zone) or a Solr time without its Z, to the millisecond."""
    whole, _, fraction = text.partition(".")
    moment = datetime.strptime(whole, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=UTC)
    micro = int((fraction + "000000")[:6]) if fraction else 0
    return _millis(moment.replace(microsecond=micro))


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def _wildcard(text: str) -> str | re.Pattern[str]:
    """A term's text, or a pattern when it holds an unescaped `*` or `?`."""
    parts = re.findall(r"\\.|\*|\?|[^\\*?]+", text)
    if not any(p in ("*", "?") for p in parts):
        return _unescape(text)
    regex = {"*": ".*", "?": "."}
    return re.compile("".join(regex.get(p) or re.escape(_unescape(p)) for p in parts), re.DOTALL)


def _values(package: Package, field: str) -> list[str]:
    """What CKAN's Solr index holds for the field (none when the dataset lacks it)."""
    if field == "organization":
        org = (package.get("organization") or {}).get("name")
        return [org] if org else []
    if field in ("tags", "groups"):
        return [t["name"] for t in package.get(field) or []]
    if field == "res_format":
        return [str(r["format"]) for r in package.get("resources", []) if r.get("format")]
    if field == "capacity":
        return ["private" if package.get("private") else "public"]
    if field == "dataset_type":
        return [str(package.get("type") or "dataset")]
    if field == "state":
        return [str(package.get("state") or "active")]
    value = package.get(field)
    return [str(value)] if value not in (None, "") else []
