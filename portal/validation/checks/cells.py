"""Cell checks: the standard's rules for one value, with a mechanical fix where there is one.

Each check is called once per distinct value of a column (the engine caches
the result), only for non-empty values. A check that recognises *why*
frictionless rejected a value (a 和暦 date in a date field) returns an issue
whose code `explains` that frictionless error in catalogue.yaml.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from portal.errors import PortalError
from portal.localgov import check_digit, is_valid
from portal.normalize import (
    corporate_number_problem,
    fix_katakana,
    is_ditto,
    katakana_problem,
    list_problem,
    normalize_corporate_number,
    normalize_list,
    normalize_phone,
    normalize_postcode,
    parse_coordinate,
    parse_date,
    parse_time,
    platform_dependent,
    replace_platform_dependent,
    strip_spaces,
    surrounding_space,
    to_halfwidth,
    to_yes_no,
    widen_kana,
)
from portal.normalize.text import INVISIBLE, PLATFORM_DEPENDENT, invisible_chars, remove_invisible
from portal.validation import formula_cells
from portal.validation.checks.base import CellContext, Issue, cell_check
from portal.validation.checks.free_text import year_only  # also registers weekday and age

NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
INTEGER = re.compile(r"[+-]?[0-9]+")
NUMBER_WITH_TEXT = re.compile(r"([+-]?[\d,]+(?:\.\d+)?)\s*([^\d\s][^\d]*)?")
HALFWIDTH_KANA = re.compile("[\uff66-\uff9f]")
# Every number the portal publishes must fit a signed 64-bit integer, whatever the field:
# the rows store, JSON clients and spreadsheets hold nothing larger exactly. A field's own,
# tighter bound (a count is at most 999,999,999) is its schema's `maximum`.
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
TRIGGER_NAMES = {"\t": "TAB", "\r": "CR"}
DATE_KINDS = {
    "wareki": "wareki-date",
    "excel-serial": "excel-serial-date",
    "year-month": "partial-date",
}
KATAKANA_CODES = {
    "halfwidth": "katakana-halfwidth",
    "hiragana": "katakana-hiragana",
    "dash": "katakana-dash",
}


def _with_fix(code: str, fix: str | None, **params: str) -> Issue:
    """An issue whose message mentions the fix only when there is one."""
    return Issue(
        code,
        fix=fix,
        params={
            "fix_en": f" ({fix})" if fix else "",
            "fix_ja": f"（{fix}）" if fix else "",
            **params,
        },
    )


@cell_check("lgcode")
def lgcode(value: str, ctx: CellContext) -> list[Issue]:
    if is_valid(value):
        return [] if ctx.directory.get(value) else [Issue("lgcode-unknown")]
    if len(value) == 6 and value.isascii() and value.isdigit():
        return [Issue("lgcode-check-digit", fix=value[:5] + check_digit(value[:5]))]
    try:
        fixed = ctx.directory.repair(value)
    except PortalError:
        return [Issue("lgcode-malformed")]
    body = ctx.directory.get(fixed)
    name = body.full_name if body else ""
    if unicodedata.normalize("NFKC", value).strip() == fixed:
        return [Issue("fullwidth-digits", fix=fixed)]
    return [Issue("lgcode-repairable", fix=fixed, params={"name": name})]


@cell_check("date")
def date(value: str, ctx: CellContext) -> list[Issue]:
    if "type" not in ctx.notes:
        return []
    year = year_only(value)
    if year is not None:  # 令和5年, R5, 2023: not a date, whatever a parser makes of it
        return [Issue("date-year-only", params={"year": str(year)})]
    serial = bool(re.fullmatch(r"\d{4,5}", value.strip()))
    parsed = parse_date(value, excel_serial=serial)
    if parsed is None:
        return []
    return [Issue(DATE_KINDS.get(parsed.kind, "date-format"), fix=parsed.iso)]


@cell_check("time")
def time(value: str, ctx: CellContext) -> list[Issue]:
    if not ctx.notes:
        return []
    fixed = parse_time(value)
    return [Issue("time-format", fix=fixed)] if fixed and fixed != value else []


@cell_check("katakana")
def katakana(value: str, ctx: CellContext) -> list[Issue]:
    problem = katakana_problem(value)
    if problem is None:
        return []
    fix = fix_katakana(value)
    code = KATAKANA_CODES.get(problem)
    if code and fix:
        return [Issue(code, fix=fix)]
    return [_with_fix("katakana-kanji", fix)]


@cell_check("yes-no")
def yes_no(value: str, ctx: CellContext) -> list[Issue]:
    if "enum" not in ctx.notes:
        return []
    fixed = to_yes_no(value)
    return [Issue("yes-no", fix=fixed)] if fixed else []


@cell_check("phone")
def phone(value: str, ctx: CellContext) -> list[Issue]:
    fixed = normalize_phone(value)
    if fixed is None:
        return [Issue("phone-invalid")]
    # The spec's own example is "(00)0000-0000": accepted as written when the pattern holds.
    return [Issue("phone-format", fix=fixed)] if ctx.notes else []


@cell_check("postcode")
def postcode(value: str, ctx: CellContext) -> list[Issue]:
    if not ctx.notes:
        return []
    fixed = normalize_postcode(value)
    return [Issue("postcode-format", fix=fixed)] if fixed else []


@cell_check("corporate-number")
def corporate_number(value: str, ctx: CellContext) -> list[Issue]:
    problem = corporate_number_problem(value)
    if problem is None:
        return []
    fix = normalize_corporate_number(value) if problem == "format" else None
    return [Issue(f"corporate-number-{problem}", fix=fix)]


@cell_check("url")
def url(value: str, ctx: CellContext) -> list[Issue]:
    if "type" not in ctx.notes:
        return []
    text = value.strip()
    fix = None
    if text.startswith("www."):
        fix = "https://" + text
    elif re.match(r"https?:[\\/]", text) and "\\" in text:
        fix = text.replace("\\", "/")
    return [_with_fix("url-invalid", fix)]


def _halfwidth(value: str) -> str:
    # ASCII has nothing full-width to narrow: most numbers and codes skip jaconv.
    return value if value.isascii() else to_halfwidth(value)


@cell_check("number")
def number(value: str, ctx: CellContext) -> list[Issue]:
    half = _halfwidth(value).strip()
    if "type" not in ctx.notes:
        # frictionless reads "１" as 1 (Python's int() does), but the file must use half-width digits
        return [Issue("fullwidth-digits", fix=half)] if half != value.strip() else []
    if half != value.strip() and NUMBER.fullmatch(half):
        return [Issue("fullwidth-digits", fix=half)]
    if ctx.kind in ("latitude", "longitude"):
        coordinate = parse_coordinate(value)
        if coordinate is not None:
            return [Issue("coordinate-format", fix=f"{coordinate:.6f}")]
    if INTEGER.fullmatch(half) and half == value.strip():
        return []  # digits only, yet unread: too many for Python's int(); `number-range` says so
    m = NUMBER_WITH_TEXT.fullmatch(half)
    if m and re.fullmatch(r"[+-]?\d{1,3}(,\d{3})*(\.\d+)?|[+-]?\d+(\.\d+)?", m.group(1)):
        return [Issue("unit-in-number", fix=m.group(1).replace(",", ""))]
    return [Issue("not-a-number")]


@cell_check("fullwidth")
def fullwidth(value: str, ctx: CellContext) -> list[Issue]:
    half = _halfwidth(value)
    return [Issue("fullwidth-digits", fix=half)] if half != value else []


@cell_check("list")
def value_list(value: str, ctx: CellContext) -> list[Issue]:
    return [Issue("list-separator", fix=normalize_list(value))] if list_problem(value) else []


@cell_check("ditto", screen=r"^[〃″\"＂々同上左右]")
def ditto(value: str, ctx: CellContext) -> list[Issue]:
    # The fix (the value above) depends on the row: the engine fills it in.
    return [_with_fix("ditto-mark", None)] if is_ditto(value) else []


@cell_check("halfwidth-kana", screen=HALFWIDTH_KANA)
def halfwidth_kana(value: str, ctx: CellContext) -> list[Issue]:
    if ctx.kind == "katakana" or not HALFWIDTH_KANA.search(value):
        return []  # a カナ field has its own, stricter check
    return [Issue("halfwidth-kana", fix=widen_kana(value))]


@cell_check("surrounding-space", screen=r"^[\s\u200b\ufeff]|[\s\u200b\ufeff]$")
def spaces(value: str, ctx: CellContext) -> list[Issue]:
    # strip_spaces, not str.strip: a BOM (U+FEFF) is no whitespace to Python but is to the clerk
    return [Issue("surrounding-space", fix=strip_spaces(value))] if surrounding_space(value) else []


@cell_check("invisible-chars", screen=INVISIBLE)
def invisible(value: str, ctx: CellContext) -> list[Issue]:
    inner = strip_spaces(value)  # at the edges they are `surrounding-space`'s
    chars = invisible_chars(inner)
    if not chars:
        return []
    shown = " ".join(f"U+{ord(c):04X}" for c in chars)
    return [Issue("invisible-char", fix=remove_invisible(inner), params={"chars": shown})]


@cell_check("formula-like", screen=formula_cells.SCREEN)
def formula_like(value: str, ctx: CellContext) -> list[Issue]:
    # A number or date field already refuses such a value; a phone number may begin with +.
    if ctx.descriptor.get("type") != "string" or ctx.kind == "phone":
        return []
    if not formula_cells.formula_like(value):
        return []
    return [Issue("formula-like-cell", params={"char": TRIGGER_NAMES.get(value[0], value[0])})]


@cell_check("number-range")
def number_range(value: str, ctx: CellContext) -> list[Issue]:
    """A number the portal can store and serve: finite, within 64 bits and, for an integer,
    within its schema's maximum. Frictionless takes NaN, Infinity and 1e400 as numbers and
    a 23-digit integer as an integer."""
    # Not read as a number: the `number` check says why, unless it is all digits (then there
    # are too many of them: Python's int() refuses over 4300).
    if "type" in ctx.notes and not INTEGER.fullmatch(value.strip()):
        return []
    try:
        parsed = Decimal(value.strip())
    except InvalidOperation:
        return []
    if not parsed.is_finite():
        return [Issue("not-a-number")]
    high = INT64_MAX
    if ctx.descriptor.get("type") == "integer":
        high = min(high, ctx.descriptor.get("constraints", {}).get("maximum", high))
    if parsed > high:
        limit_en, limit_ja = f"at most {high:,}", f"上限 {high:,}"
    elif parsed < INT64_MIN:
        limit_en, limit_ja = f"at least {INT64_MIN:,}", f"下限 {INT64_MIN:,}"
    else:
        return []
    return [Issue("number-out-of-range", params={"limit_en": limit_en, "limit_ja": limit_ja})]


@cell_check("platform-chars", screen=PLATFORM_DEPENDENT)
def platform_chars(value: str, ctx: CellContext) -> list[Issue]:
    chars = platform_dependent(value)
    if not chars:
        return []
    return [
        Issue(
            "platform-dependent-char", fix=replace_platform_dependent(value), note=" ".join(chars)
        )
    ]


@cell_check("line-break", screen=r"[\r\n]")
def line_break(value: str, ctx: CellContext) -> list[Issue]:
    return [Issue("line-break-in-cell")] if "\n" in value or "\r" in value else []
