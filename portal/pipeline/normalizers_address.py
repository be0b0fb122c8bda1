"""The `address` normaliser: one part of an address split with the local-government list."""

from __future__ import annotations

from typing import Any

from portal.pipeline.normalizers import Context, _fail, normalizer

ADDRESS_PARTS = ["full", "prefecture", "city", "town", "block", "building"]


@normalizer(
    "address",
    "one part of an address split with the local government list",
    {"enum": ADDRESS_PARTS},
)
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
    return str(parts.full if option == "full" else getattr(parts, option))
