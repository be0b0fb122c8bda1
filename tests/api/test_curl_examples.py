"""Every curl example on every public page of the demo works as a reader copies it.

The demo is the sample recipes in pipelines/ (as `make run` publishes them), served on a
real socket by plain uvicorn (as any deployment might run it, without `portal serve`'s
leniency for raw UTF-8 in URLs). The pages are found by following links from the home
page (and from the map page, which the home page may not link); each example is the text a reader selects on the page, pasted into bash (shell=True)
and run with the real curl: it must answer 200."""

from __future__ import annotations

import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx

# The public pages a reader browses (not the API, files, staff or upload pages; the
# coverage page is the DX office's, behind sign-in, and shows no example).
PUBLIC = ("/datasets/", "/organizations", "/map")
NOT_PAGES = ("/history", ".csv", ".json", ".geojson", ".jsonld", ".ttl", ".yaml")
MAX_PAGES = 300  # the demo has a few dozen; a bound keeps a link loop from running on
CURL_SECONDS = 30


class PageText(HTMLParser):
    """The links of a page and the text of its <code>/<pre> elements, as a reader sees it
    (entities decoded, tags dropped)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.snippets: list[str] = []
        self._open = 0
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.links += [v for k, v in attrs if k == "href" and v]
        if tag in ("code", "pre"):
            self._open += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("code", "pre") and self._open:
            self._open -= 1
            if not self._open:
                self.snippets.append("".join(self._text).strip())
                self._text = []

    def handle_data(self, data: str) -> None:
        if self._open:
            self._text.append(data)


def public_page(base: str, url: str) -> str | None:
    """`url` as a public page of the portal at `base` (without its fragment), or None."""
    split = urlsplit(urljoin(base + "/", url))
    if f"{split.scheme}://{split.netloc}" != base:
        return None
    path = split.path
    if path != "/" and (not path.startswith(PUBLIC) or path.endswith(NOT_PAGES)):
        return None
    return base + path + (f"?{split.query}" if split.query else "")


def crawl(base: str) -> dict[str, list[str]]:
    """Every public page reachable from the home page: its curl examples, by URL."""
    found: dict[str, list[str]] = {}
    queue = [base + "/", base + "/map", base + "/organizations"]
    with httpx.Client(headers={"Accept": "text/html"}, timeout=30, follow_redirects=True) as http:
        while queue and len(found) < MAX_PAGES:
            url = queue.pop(0)
            if url in found:
                continue
            answer = http.get(url)
            assert answer.status_code == 200, (url, answer.status_code, answer.text[:300])
            text = PageText()
            text.feed(answer.text)
            found[url] = [s for s in text.snippets if s.startswith("curl ")]
            queue += [p for p in (public_page(base, u) for u in text.links) if p]
    return found


def test_every_curl_example_on_every_page_answers_200(demo: str, tmp_path: Path) -> None:
    pages = crawl(demo)
    datasets = httpx.get(f"{demo}/api/3/action/package_list").json()["result"]
    # Every dataset page was reached, and each shows its examples.
    assert {f"{demo}/datasets/{name}" for name in datasets} <= set(pages)
    assert all(pages[f"{demo}/datasets/{name}"] for name in datasets)
    failures = []
    for page, commands in pages.items():
        for command in dict.fromkeys(commands):
            done = subprocess.run(f"{command} -sS -w '\\n%{{http_code}}'", shell=True,
                                  cwd=tmp_path, capture_output=True, timeout=CURL_SECONDS,
                                  executable="/bin/bash", check=False)  # fmt: skip
            answer, _, status = done.stdout.rpartition(b"\n")
            if status != b"200":
                shown = (answer or done.stderr)[:200].decode("utf-8", "replace")
                failures.append(f"{page}: {command}\n  -> {status.decode()} {shown}")
    assert not failures, "\n".join(failures)
