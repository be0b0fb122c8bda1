"""What every action of the CKAN-compatible Action API shares: its signature and how it
reads its parameters (CKAN answers a bad parameter with a 409 "Validation Error")."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from portal.composition import Portal
from portal.errors import PortalError

# An action: (the portal, the request's parameters, the site's root URL) -> the result.
Action = Callable[[Portal, dict[str, Any], str], Any]


class ActionParamInvalid(PortalError):
    code = "action-param-invalid"
    status = 409  # CKAN answers a bad parameter with a 409 "Validation Error"
    template_en = "parameter {param}: {problem}"
    template_ja = "パラメータ {param}: {problem}"


def int_param(params: dict[str, Any], name: str, default: int, most: int = 10**9) -> int:
    raw = params.get(name, default)
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise ActionParamInvalid(param=name, problem=f"not an integer: {raw!r}") from None
    if value < 0:
        raise ActionParamInvalid(param=name, problem="must be 0 or more")
    return min(value, most)


def bool_param(params: dict[str, Any], name: str) -> bool:
    return str(params.get(name, "")).lower() in ("true", "1", "yes")
