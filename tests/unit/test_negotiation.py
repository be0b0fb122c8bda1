"""HTML or JSON for an error: the client's Accept decides (portal.server.prefers_html)."""

from __future__ import annotations

import pytest

from portal.server import prefers_html, quality

BROWSERS = {
    "chromium": "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,"
    "image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7",
    "firefox": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "safari": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
}
CLIENTS = {
    "curl": "*/*",
    "no header": "",
    "api client": "application/json",
    "json preferred": "application/json, text/html;q=0.5",
    "ckanapi": "application/json;q=1.0, */*;q=0.1",
    "a stylesheet": "text/css,*/*;q=0.1",
    "html refused": "text/html;q=0, */*",
    "equal": "text/html, application/json",
}


@pytest.mark.parametrize("accept", BROWSERS.values(), ids=BROWSERS.keys())
def test_browsers_get_html(accept: str) -> None:
    assert prefers_html(accept)


@pytest.mark.parametrize("accept", CLIENTS.values(), ids=CLIENTS.keys())
def test_other_clients_get_json(accept: str) -> None:
    assert not prefers_html(accept)


def test_the_most_specific_range_decides() -> None:
    assert quality("text/*;q=0.3, text/html;q=0.7, */*;q=0.5", "text/html") == 0.7
    assert quality("text/*;q=0.3, */*;q=0.5", "text/html") == 0.3
    assert quality("TEXT/HTML; Q=0.4", "text/html") == 0.4  # names are case-insensitive
    assert quality("text/html;q=oops", "text/html") == 0.0
    assert quality("application/json", "text/html") == 0.0
