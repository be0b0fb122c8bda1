"""Recognise and repair the value formats of the 自治体標準オープンデータセット.

Pure functions on one cell value each: the validator uses them to suggest a
fix for a bad cell, the conversion pipeline to repair it.
"""

from portal.normalize.address import AddressParts, split_address
from portal.normalize.coords import (
    format_coordinate,
    haversine_km,
    in_japan,
    looks_swapped,
    parse_coordinate,
)
from portal.normalize.corporate import (
    corporate_check_digit,
    corporate_number_problem,
    is_valid_corporate_number,
    normalize_corporate_number,
)
from portal.normalize.dates import DateParse, parse_date, wareki_to_year
from portal.normalize.lists import list_problem, normalize_list
from portal.normalize.phone import is_standard_phone, normalize_phone
from portal.normalize.postcode import normalize_postcode
from portal.normalize.text import (
    is_ditto,
    platform_dependent,
    replace_platform_dependent,
    strip_spaces,
    surrounding_space,
)
from portal.normalize.times import parse_time, parse_time_range
from portal.normalize.width import (
    fix_katakana,
    katakana_problem,
    to_halfwidth,
    to_katakana,
    widen_kana,
)
from portal.normalize.yesno import to_yes_no

__all__ = [
    "AddressParts",
    "DateParse",
    "corporate_check_digit",
    "corporate_number_problem",
    "fix_katakana",
    "format_coordinate",
    "haversine_km",
    "in_japan",
    "is_ditto",
    "is_standard_phone",
    "is_valid_corporate_number",
    "katakana_problem",
    "list_problem",
    "looks_swapped",
    "normalize_corporate_number",
    "normalize_list",
    "normalize_phone",
    "normalize_postcode",
    "parse_coordinate",
    "parse_date",
    "parse_time",
    "parse_time_range",
    "platform_dependent",
    "replace_platform_dependent",
    "split_address",
    "strip_spaces",
    "surrounding_space",
    "to_halfwidth",
    "to_katakana",
    "to_yes_no",
    "wareki_to_year",
    "widen_kana",
]
