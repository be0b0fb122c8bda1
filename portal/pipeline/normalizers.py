"""The normalisers a recipe can name, each a thin adapter over a pure function in portal.normalize.

A normaliser takes the cell's text (never empty: empty cells pass through
untouched, except for `default`), its option from the recipe and the context,
and returns the new text or raises NormalizeError saying why it could not.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from portal.errors import PortalError
from portal.localgov import Directory, LocalGov, candidates, check_digit
from portal.localgov.codes import clean as clean_code
from portal.normalize import (
    fix_katakana,
    normalize_corporate_number,
    normalize_list,
    normalize_phone,
    normalize_postcode,
    parse_coordinate,
    parse_date,
    parse_time,
    parse_time_range,
    replace_platform_dependent,
    strip_spaces,
    to_halfwidth,
    to_katakana,
    to_yes_no,
    widen_kana,
)
from portal.normalize.dates import ORDERS, needs_order, parse_year_only
from portal.pipeline.patterns import substitute

YEAR_ONLY = ("first-day", "last-day")  # what a year alone becomes in a date field


class NormalizeError(Exception):
    def __init__(self, reason_en: str, reason_ja: str) -> None:
        super().__init__(reason_en)
        self.reason_en = reason_en
        self.reason_ja = reason_ja


@dataclass
class Context:
    directory: Directory
    publisher: LocalGov | None


Normalizer = Callable[[str, Any, Context], str]


@dataclass(frozen=True)
class Spec:
    fn: Normalizer
    option: dict[str, Any] | None  # JSON Schema of the option; None: takes none
    help: str


REGISTRY: dict[str, Spec] = {}


def normalizer(
    name: str, help: str, option: dict[str, Any] | None = None
) -> Callable[[Normalizer], Normalizer]:
    def register(fn: Normalizer) -> Normalizer:
        REGISTRY[name] = Spec(fn, option, help)
        return fn

    return register


def _fail(en: str, ja: str) -> NormalizeError:
    return NormalizeError(en, ja)


@normalizer("trim", "remove spaces around the value (half- and full-width)")
def trim(value: str, option: Any, ctx: Context) -> str:
    return strip_spaces(value)


@normalizer("halfwidth", "full-width letters, digits and symbols → half-width")
def halfwidth(value: str, option: Any, ctx: Context) -> str:
    return to_halfwidth(value)


@normalizer("katakana", "a reading in full-width katakana (half-width, hiragana, ― fixed)")
def katakana(value: str, option: Any, ctx: Context) -> str:
    fixed = fix_katakana(value)
    if fixed is None:
        converted = to_katakana(strip_spaces(value))
        raise _fail(
            f"not a katakana reading (best effort: {converted})",
            f"カナの読みではありません（変換案: {converted}）",
        )
    return fixed


@normalizer("kana_widen", "half-width katakana in free text → full-width")
def kana_widen(value: str, option: Any, ctx: Context) -> str:
    return widen_kana(value)


@normalizer(
    "date",
    "a date in YYYY-MM-DD (和暦, 2026/4/2, 2026年4月2日 …); "
    "{date: {order: mdy}} reads 4/2/2026 as April 2 (dmy: 4 February); "
    "{date: {year_only: first-day}} writes 令和5年 as 2023-01-01 and 平成30年度 as 2018-04-01 (last-day: the last day)",
    {
        "type": "object",
        "properties": {
            "excel_serial": {"type": "boolean"},
            "order": {"enum": list(ORDERS)},
            "year_only": {"enum": list(YEAR_ONLY)},
        },
        "additionalProperties": False,
    },
)
def date(value: str, option: Any, ctx: Context) -> str:
    given = option or {}
    parsed = parse_date(
        value, excel_serial=bool(given.get("excel_serial")), order=given.get("order")
    )
    if parsed is not None:
        return parsed.iso
    year_only = given.get("year_only")
    year = parse_year_only(value, last=year_only == "last-day")
    if year is not None and year_only:
        return year
    if year is not None:
        raise _fail(
            f"a year alone is not a date (YYYY-MM-DD); with {{date: {{year_only: first-day}}}} "
            f"it would be {year}",
            f"年だけでは日付（YYYY-MM-DD）になりません。{{date: {{year_only: first-day}}}} と書けば "
            f"{year} になります",
        )
    if needs_order(value) and not given.get("order"):
        raise _fail(
            "month and day order unknown (4/2/2026 is April 2 or 4 February): "
            "add {date: {order: mdy}} or {date: {order: dmy}}",
            "月と日の順が分かりません（4/2/2026 は4月2日とも2月4日とも読めます）。"
            "{date: {order: mdy}}（月/日/年）か {date: {order: dmy}}（日/月/年）を書いてください",
        )
    raise _fail("not a date", "日付として読めません")


@normalizer("time", "a time in hh:mm (9:00, ９：００, 9時 …)")
def time(value: str, option: Any, ctx: Context) -> str:
    parsed = parse_time(value)
    if parsed is None:
        raise _fail("not a time", "時刻として読めません")
    return parsed


ALL_DAY_OPTION = {
    "type": "object",
    "properties": {"all_day": {"type": "boolean"}},
    "additionalProperties": False,
}


def _time_range(value: str, option: Any, index: int) -> str:
    all_day = bool(option and option.get("all_day"))
    span = parse_time_range(value, all_day=all_day)
    if span is not None:
        return span[index]
    single = parse_time(value)
    if single is not None and index == 0:
        return single
    if parse_time_range(value, all_day=True) is not None:
        raise _fail(
            "a whole day (24時間): add {time_start: {all_day: true}} (and time_end) to write 00:00–24:00",
            "終日（24時間）です。00:00～24:00 と書くには {time_start: {all_day: true}}（time_end も）を付けてください",
        )
    raise _fail(
        "no time range (like 9:00～17:00) found", "時間帯（9:00～17:00 など）が見つかりません"
    )


@normalizer(
    "time_start",
    "the start of a time range (9時～17時, 午後2時から午後4時まで → 09:00, 14:00); "
    "{time_start: {all_day: true}}: 24時間 and 終日 → 00:00",
    ALL_DAY_OPTION,
)
def time_start(value: str, option: Any, ctx: Context) -> str:
    return _time_range(value, option, 0)


@normalizer(
    "time_end",
    "the end of a time range (9時～17時 → 17:00); {time_end: {all_day: true}}: 24時間 → 24:00",
    ALL_DAY_OPTION,
)
def time_end(value: str, option: Any, ctx: Context) -> str:
    return _time_range(value, option, 1)


@normalizer("phone", "a Japanese phone number, half-width with hyphens (054-626-1139)")
def phone(value: str, option: Any, ctx: Context) -> str:
    fixed = normalize_phone(value)
    if fixed is None:
        raise _fail("not a valid Japanese phone number", "電話番号として正しくありません")
    return fixed


@normalizer("postcode", "7 digits without a hyphen")
def postcode(value: str, option: Any, ctx: Context) -> str:
    fixed = normalize_postcode(value)
    if fixed is None:
        raise _fail("not a 7-digit postcode", "7桁の郵便番号ではありません")
    return fixed


@normalizer(
    "lgcode",
    "a 6-digit 全国地方公共団体コード; 5-digit and zero-stripped codes repaired. "
    "{lgcode: jis5}: the column holds 5-digit JIS codes; {lgcode: lg6}: 6-digit codes that may have lost leading zeros",
    {"enum": ["jis5", "lg6"]},
)
def lgcode(value: str, option: Any, ctx: Context) -> str:
    digits = clean_code(value)
    if option == "jis5" and _ascii_digits(digits) and len(digits) <= 5:
        code = digits.zfill(5) + check_digit(digits.zfill(5))
    elif option == "lg6" and _ascii_digits(digits) and len(digits) <= 6:
        code = digits.zfill(6)
    else:
        return _repair(value, ctx)
    if ctx.directory.get(code) is None:
        raise _fail(
            f"no local government has the code {code}",
            f"全国地方公共団体コード {code} の団体はありません",
        )
    return code


def _ascii_digits(text: str) -> bool:
    # str.isdigit() is true for ❶ and ² too, which int() refuses.
    return text.isascii() and text.isdigit()


def _repair(value: str, ctx: Context) -> str:
    """A damaged code; when it could be two existing codes, the one in the publisher's prefecture."""
    existing = [c for c in candidates(value) if ctx.directory.get(c)]
    if len(existing) > 1 and ctx.publisher is not None:
        local = [c for c in existing if ctx.directory.get(c).prefecture == ctx.publisher.prefecture]  # type: ignore[union-attr]
        if len(local) == 1:
            return local[0]
    try:
        return ctx.directory.repair(value)
    except PortalError as exc:
        raise _fail(exc.message_en, exc.message_ja) from None


@normalizer("yes_no", "有 or 無 (from ○ × あり なし 1 0 …)")
def yes_no(value: str, option: Any, ctx: Context) -> str:
    fixed = to_yes_no(value)
    if fixed is None:
        raise _fail("not a yes/no value", "有/無として読めません")
    return fixed


@normalizer("flag", "1 when it applies, empty when not (for the hazard flags)")
def flag(value: str, option: Any, ctx: Context) -> str:
    answer = to_yes_no(value)
    if answer is None:
        raise _fail("not a yes/no value", "該当の有無として読めません")
    return "1" if answer == "有" else ""


@normalizer("list", "several values separated by a half-width ;")
def value_list(value: str, option: Any, ctx: Context) -> str:
    return normalize_list(value)


@normalizer("coordinate", "decimal degrees with 6 decimals (DMS converted)")
def coordinate(value: str, option: Any, ctx: Context) -> str:
    parsed = parse_coordinate(value)
    if parsed is None:
        raise _fail("not a coordinate", "座標として読めません")
    return f"{parsed:.6f}"


@normalizer("integer", "a whole number: units, commas and full-width digits removed (40人 → 40)")
def integer(value: str, option: Any, ctx: Context) -> str:
    half = to_halfwidth(value).strip()
    m = re.fullmatch(r"([+-]?\d{1,3}(?:,\d{3})+|[+-]?\d+)(?:\.0+)?\s*[^\d\s]*", half)
    if m is None:
        raise _fail("not a whole number", "整数として読めません")
    return m.group(1).replace(",", "")


@normalizer("corporate_number", "a 13-digit 法人番号")
def corporate_number(value: str, option: Any, ctx: Context) -> str:
    fixed = normalize_corporate_number(value)
    if fixed is None:
        raise _fail("not a valid 13-digit 法人番号", "13桁の法人番号として正しくありません")
    return fixed


@normalizer("platform_chars", "platform-dependent characters replaced (① → (1), ㈱ → (株))")
def platform_chars(value: str, option: Any, ctx: Context) -> str:
    return replace_platform_dependent(value)


@normalizer(
    "map",
    "replace whole values: {map: {○: 有, ×: 無}}",
    {"type": "object", "additionalProperties": {"type": ["string", "number"]}},
)
def value_map(value: str, option: Any, ctx: Context) -> str:
    mapping = {str(k): str(v) for k, v in option.items()}
    if value not in mapping:
        raise _fail(
            f"no mapping for this value (known: {', '.join(mapping)})",
            f"対応表にない値です（{', '.join(mapping)}）",
        )
    return mapping[value]


@normalizer(
    "replace",
    "regular-expression replacement (RE2 syntax): {replace: {pattern: '様$', with: ''}}",
    {
        "type": "object",
        "required": ["pattern"],
        "properties": {"pattern": {"type": "string"}, "with": {"type": "string"}},
        "additionalProperties": False,
    },
)
def replace(value: str, option: Any, ctx: Context) -> str:
    # RE2, never Python's backtracking re: a recipe's pattern must not be able to stall a run
    return substitute(option["pattern"], option.get("with", ""), value)


@normalizer("default", "the value for empty cells: {default: 不明}", {"type": ["string", "number"]})
def default(value: str, option: Any, ctx: Context) -> str:
    return value if value else str(option)


PASSES_EMPTY = {"default"}  # the only normaliser that runs on an empty cell


# The address normaliser lives in its own module (it grows with the address checks); it
# registers itself when imported, after the names it needs are defined above.
from portal.pipeline.normalizers_address import ADDRESS_PARTS  # noqa: E402

__all__ = ["ADDRESS_PARTS", "PASSES_EMPTY", "REGISTRY", "Context", "NormalizeError", "normalizer"]
