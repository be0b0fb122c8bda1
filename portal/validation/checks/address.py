"""Address checks (issue 13): an address's parts against its full form, the text the split
could not place, 町字 against the municipality's known ones, and the 町字ID's form.

- address-parts: the parts (都道府県, 市区町村, 町字, 番地以下) and 建物名等(方書) joined are the
  full address (所在地_連結表記), compared with width, spaces, dash look-alikes and ヶ/ケ folded.
  A full address written without its prefecture is compared without it, and one without the
  building that 方書 holds is accepted (legacy 住所 + 方書 files convert that way). A dataset without a
  方書 column may carry the building in the full address alone. What the split of the full
  address cannot place (a doubled 丁目, a postcode, a stray dash), or text of the full
  address no part holds, is `address-unplaced`; parts that say something else are
  `address-parts-mismatch`.
- address-town: 所在地_町字 is one of the municipality's 町字 when a list is known
  (portal.localgov.towns); the municipality is the row's 所在地_全国地方公共団体コード, else
  the one its 都道府県 + 市区町村 name, else the publisher. 町字ID against the same list.
- choazi-id (cell): the 町字ID is the registry's 7 digits.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from functools import lru_cache
from typing import Any

from portal.localgov import Directory, LocalGov
from portal.localgov.towns import Towns, configured_towns
from portal.normalize import is_ditto
from portal.normalize.address import AddressParts as Split
from portal.normalize.address import split_address
from portal.validation.checks.base import (
    CellContext,
    Columns,
    Issue,
    RowCheck,
    RowContext,
    cell_check,
)
from portal.validation.checks.rows import address_key

# What any text the split cannot place needs around it: a second 丁; a
# postcode; a dash not before a digit; a numbering word or dash after a space or after another
# numbering word; a 丁 after a block of two numbers; a numbering word or dash after a 丁目;
# a dash after a kanji numeral. A full address that matches none (most
# do) and equals its parts is not split again: a split costs as much as a row's other checks.
_DASH = "-－ー‐‑‒–—―−ｰ"
_NUMERAL = "0-9０-９〇一二三四五六七八九十百千"
MAY_HOLD_UNPLACED = re.compile(
    rf"丁.*丁|丁目?[\s　]*(?:[{_DASH}]|番|号)|〒|^[0-9０-９]|[{_DASH}](?![0-9０-９])"
    rf"|[\s　](?:丁目|番地|番|号|[{_DASH}])|(?:番地|番|号)(?:丁目|番地|番|号|[{_DASH}])"
    rf"|[{_DASH}番地号の][{_NUMERAL}]+[\s　]*丁|[〇一二三四五六七八九十百千][\s　]*[{_DASH}]"
)
CHOAZI_ID = re.compile(r"\d{7}")  # 4 digits of the 大字・町, 3 of the 丁目 or 小字
CHOAZI_ID_HYPHENATED = re.compile(r"(\d{4})-(\d{3})")  # the 2026 toilet sheet's 0008-001


@cell_check("choazi-id")
def choazi_id(value: str, ctx: CellContext) -> list[Issue]:
    text = unicodedata.normalize("NFKC", value).strip()
    if CHOAZI_ID.fullmatch(text):
        return []
    hyphenated = CHOAZI_ID_HYPHENATED.fullmatch(text)
    if hyphenated:
        return [Issue("choazi-id-hyphen", fix="".join(hyphenated.groups()))]
    if text.isdigit() and len(text) < 7:  # a spreadsheet dropped the leading zeros
        fix = text.zfill(7)
        padded = {
            "padded_en": f" (leading zeros lost? '{fix}')",
            "padded_ja": f"（先頭の0が消えた「{fix}」では？）",
        }
        return [Issue("choazi-id-format", fix=fix, params=padded)]
    return [Issue("choazi-id-format")]


@lru_cache(maxsize=4096)
def _split(full: str, directory: Directory, publisher: LocalGov | None) -> Split | None:
    default_city = publisher.name if publisher and publisher.kind != "prefecture" else None
    return split_address(
        full,
        directory,
        default_prefecture=publisher.prefecture if publisher else None,
        default_city=default_city,
    )


class AddressParts(RowCheck):
    """所在地_連結表記 is its parts (都道府県, 市区町村, 町字, 番地以下) and 方書 joined."""

    name = "address-parts"
    columns = ("full", "parts")
    optional = ("building",)

    def run(self, rows: Sequence[int], cols: Columns) -> Iterator[tuple[int, str, Issue]]:
        full_f, parts_f = self.spec["full"], list(self.spec["parts"])
        building_f = self.spec.get("building") or ""
        has_building = building_f in cols
        buildings = cols.get(building_f, [None] * len(rows))
        verdicts: dict[tuple[str, tuple[str, ...], str], Issue | None] = {}
        for i in range(len(rows)):
            full = cols[full_f][i]
            parts = tuple((cols[p][i] or "").strip() for p in parts_f)
            building = (buildings[i] or "").strip()
            if not full or not full.strip() or not any(parts):
                continue
            if any(is_ditto(p) for p in (*parts, building)):
                continue  # a 〃 in a part is reported on its own; the join would only echo it
            key = (full, parts, building)
            if key not in verdicts:
                verdicts[key] = self._judge(full, parts, building, has_building)
            issue = verdicts[key]
            if issue is not None:
                yield i, full_f, issue

    def _judge(
        self, full: str, parts: tuple[str, ...], building: str, has_building: bool
    ) -> Issue | None:
        whole = address_key(full)
        if not all(parts):  # some parts left empty (a real 医療機関一覧 fills 市区町村 only)
            return self._judge_partial(full, whole, parts + (building,))
        if parts[0] and not whole.startswith(address_key(parts[0])):
            parts = parts[1:]  # the full address was written without its prefecture
        placed = address_key("".join(parts) + building)
        if whole == placed and not MAY_HOLD_UNPLACED.search(full):
            return None
        split = _split(full, self.ctx.directory, self.ctx.publisher)
        unplaced = split.unplaced_text if split else ""
        if unplaced:  # placed somewhere it does not belong, or nowhere: either way, say so
            return Issue("address-unplaced", params={"unplaced": unplaced})
        if whole == placed or building and whole == address_key("".join(parts)):
            return None  # a building in 方書 only is still published: nothing is lost
        if whole.startswith(placed):
            tail = whole[len(placed) :]
            if not has_building and split is not None and split.building:
                return None  # no 方書 column: the building is in the full address only
            return Issue("address-unplaced", params={"unplaced": tail})
        joined = "".join(parts) + ("\u3000" + building if building else "")
        return Issue("address-parts-mismatch", params={"joined": joined})

    def _judge_partial(self, full: str, whole: str, given: tuple[str, ...]) -> Issue | None:
        """Parts given only in part: each one given is in the full address, in order (an empty
        part contradicts nothing); text the split cannot place is still said."""
        at = 0
        for part in (p for p in given if p):
            found = whole.find(address_key(part), at)
            if found < 0:
                joined = "".join(p for p in given if p)
                return Issue("address-parts-mismatch", params={"joined": joined})
            at = found + len(address_key(part))
        split = (
            _split(full, self.ctx.directory, self.ctx.publisher)
            if MAY_HOLD_UNPLACED.search(full)
            else None
        )
        if split is not None and split.unplaced_text:
            return Issue("address-unplaced", params={"unplaced": split.unplaced_text})
        return None


class AddressTown(RowCheck):
    """所在地_町字 (and 町字ID) among the municipality's known 町字, where a list is known."""

    name = "address-town"
    columns = ("town",)
    optional = ("code", "prefecture", "city", "choazi_id")

    def __init__(self, spec: Mapping[str, Any], ctx: RowContext) -> None:
        super().__init__(spec, ctx)
        self.towns: Towns = configured_towns()

    def run(self, rows: Sequence[int], cols: Columns) -> Iterator[tuple[int, str, Issue]]:
        if not self.towns.by_lgcode:
            return  # no list anywhere: nothing to check against
        blank: list[str | None] = [None] * len(rows)
        column = {k: cols.get(self.spec.get(k) or "", blank) for k in self.optional}
        town_f, id_f = self.spec["town"], self.spec.get("choazi_id") or ""
        for i in range(len(rows)):
            town = (cols[town_f][i] or "").strip()
            ident = unicodedata.normalize("NFKC", column["choazi_id"][i] or "").strip()
            if not town and not ident or is_ditto(town):
                continue
            body = self._municipality(*(column[k][i] for k in ("code", "prefecture", "city")))
            if body is None or not self.towns.has(body.lgcode):
                continue
            params = {"name": body.full_name}
            known = self.towns.find(body.lgcode, town) if town else None
            if town and known is None:
                yield i, town_f, self._unknown(body, town, params)
            if ident and CHOAZI_ID.fullmatch(ident):
                yield from ((i, id_f, x) for x in self._by_id(body, ident, town, known, params))

    def _unknown(self, body: LocalGov, town: str, params: dict[str, str]) -> Issue:
        near = self.towns.closest(body.lgcode, town)
        if near is None:
            return Issue("town-unknown", params=params)
        hint = {
            "near_en": f" (did you mean '{near.name}'?)",
            "near_ja": f"（「{near.name}」の誤りでは？）",
        }
        return Issue("town-unknown", fix=near.name, params={**params, **hint})

    def _by_id(
        self, body: LocalGov, ident: str, town: str, known: object, params: dict[str, str]
    ) -> list[Issue]:
        named = self.towns.by_id(body.lgcode, ident)
        if named is None:
            return [Issue("choazi-id-unknown", params=params)]
        if town and known is not None and known != named:
            return [Issue("choazi-id-town", fix=named.name, params={**params, "town": town})]
        return []

    def _municipality(
        self, code: str | None, prefecture: str | None, city: str | None
    ) -> LocalGov | None:
        body = self.ctx.directory.get((code or "").strip())
        if body is not None:
            return body
        named = (prefecture or "").strip() + (city or "").strip()
        if named:
            split = _split(named, self.ctx.directory, self.ctx.publisher)
            return self.ctx.directory.get(split.lgcode) if split and split.lgcode else None
        return self.ctx.publisher
