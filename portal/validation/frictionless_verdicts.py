"""Frictionless's verdict on a value, as one of our findings with words a clerk can act on.

When none of the standard's checks explains why Frictionless refused a value, the
finding keeps Frictionless's own error type and says what the field expects, in
Japanese as well: the type in words, the pattern or the allowed values.
"""

from __future__ import annotations

from typing import Any

CONSTRAINT_CODES = {
    "required": "required",
    "pattern": "pattern",
    "enum": "enum",
    "minimum": "out-of-range",
    "maximum": "out-of-range",
    "exclusiveMinimum": "out-of-range",
    "exclusiveMaximum": "out-of-range",
    "minLength": "length",
    "maxLength": "length",
}
TYPE_JA = {
    "integer": "整数",
    "number": "数値",
    "date": "日付（YYYY-MM-DD）",
    "time": "時刻",
    "datetime": "日時",
    "boolean": "真偽値",
    "year": "年",
    "string": "文字列",
}
KIND_JA = {
    "lgcode": "半角数字6桁の全国地方公共団体コード",
    "katakana": "全角カナ",
    "time": "hh:mm 形式の時刻",
    "postcode": "ハイフンなしの半角7桁",
    "corporate-number": "半角13桁",
    "phone": "半角数字とハイフン",
    "id": "半角英数字",
    "choazi-id": "半角数字",
    "extension": "半角数字",
}


def frictionless_verdict(
    descriptor: dict[str, Any], kind: str | None, key: str
) -> tuple[str, dict[str, str]]:
    """Our code and message parameters for Frictionless's note `key` ("type", "pattern"…)."""
    if key == "type":
        expected = descriptor["type"] + (
            f"/{descriptor['format']}" if "format" in descriptor else ""
        )
        return "type-error", {
            "expected": expected,
            "expected_ja": TYPE_JA.get(descriptor["type"], descriptor["type"]),
        }
    constraints = descriptor.get("constraints", {})
    return CONSTRAINT_CODES.get(key, "pattern"), {
        "expected": constraints.get("pattern", ""),
        "expected_ja": KIND_JA.get(kind or "", constraints.get("pattern", "")),
        "allowed": " / ".join(
            str(v) if v != "" else "（空欄）" for v in constraints.get("enum", [])
        ),
    }
