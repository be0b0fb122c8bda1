"""The `address` normaliser: one part of an address split with the local-government list.

Parts: the standard's address block (full, prefecture, city, town, block, building), plus
- `lgcode`: 所在地_全国地方公共団体コード, the 6-digit code of the municipality the address is
  in. A designated city's ward gives the ward's code (札幌市厚別区 → 011088, the standard's own
  example), so a shelter in the next city or another ward is told apart row by row; an
  address without a municipality is the publisher's.
- `unplaced`: the text the split could not place in any part (a doubled 丁目, a postcode, a
  trailing dash), for a recipe that keeps it in a column of its own (備考).

Unplaced text stays in `full` where it was written, and out of every other part: the
conversion's address check then reports it (address-unplaced). `{address: {part: building,
unplaced: true}}` puts it into 建物名等(方書) instead, when a person has decided that is right.
"""

from __future__ import annotations

from typing import Any

from portal.pipeline.normalizers import Context, _fail, normalizer

ADDRESS_PARTS = ["full", "prefecture", "city", "town", "block", "building", "lgcode", "unplaced"]

_OPTION = {
    "oneOf": [
        {"enum": ADDRESS_PARTS},
        {
            "type": "object",
            "properties": {
                "part": {"enum": ADDRESS_PARTS},
                "unplaced": {"type": "boolean"},  # building: the unplaced text goes there too
            },
            "required": ["part"],
            "additionalProperties": False,
        },
    ]
}


@normalizer("address", "one part of an address split with the local government list", _OPTION)
def address(value: str, option: Any, ctx: Context) -> str:
    from portal.normalize.address import split_address

    publisher = ctx.publisher
    parts = split_address(
        value,
        ctx.directory,
        default_prefecture=publisher.prefecture if publisher else None,
        default_city=publisher.name if publisher and publisher.kind != "prefecture" else None,
    )
    if parts is None:
        raise _fail("not an address", "住所として読めません")
    part, with_unplaced = (
        (option["part"], option.get("unplaced", False))
        if isinstance(option, dict)
        else (option, False)
    )
    if part == "lgcode":
        if parts.lgcode is None:
            raise _fail(
                f"no single municipality is named by '{parts.city or value}': "
                "write the prefecture before it",
                f"「{parts.city or value}」がどの市区町村か決まりません。都道府県名から記入してください",
            )
        return parts.lgcode
    if part == "unplaced":
        return parts.unplaced_text
    if part == "full":
        return parts.full
    if part == "building" and with_unplaced and parts.unplaced:
        return "\u3000".join(p for p in (parts.unplaced_text, parts.building) if p)
    return str(getattr(parts, part))
