"""A citizen finds a dataset's earlier versions from its page, and staff find the sign-in
from every page."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

HTML = {"Accept": "text/html"}


def test_the_dataset_page_links_its_history(client: TestClient) -> None:
    page = client.get("/datasets/272248-aed", headers=HTML)
    link = re.search(r'href="([^"]+)" data-testid="history-link"', page.text)
    assert page.status_code == 200 and link is not None
    history = client.get(link.group(1), headers=HTML)
    assert history.status_code == 200 and "272248-aed" in history.text


def test_staff_sign_in_is_on_every_page(client: TestClient) -> None:
    for url in ("/", "/datasets/272248-aed"):
        page = client.get(url, headers=HTML)
        assert (
            'href="/account" data-testid="staff-link"' in page.text and "職員ログイン" in page.text
        )
    account = client.get("/account", headers=HTML, follow_redirects=False)
    assert account.status_code == 303 and account.headers["location"].startswith("/login")
