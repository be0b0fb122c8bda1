"""Region mode against the real CKAN of scripts/ckan-up.sh: organizations filled by the test
in every state a neighbour can be in, and peers that are down, slow, broken or not CKAN —
each reported, the run ending within its deadline."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import ckanapi
import httpx
import pytest

from portal.coverage.harvest import DatasetReport, HarvestLimits, RegionResult, harvest_region
from portal.coverage.harvest_rules import Note
from portal.coverage.model import CellState
from portal.coverage.peer import Deadline, Peer
from portal.localgov import load as load_directory
from portal.settings import Settings
from portal.standards import Registry
from tests.conftest import TEST_DATA
from tests.integration.conftest import purge

pytestmark = pytest.mark.ckan

VALID_EVENT = TEST_DATA / "convert" / "event-cp932.expected.csv"  # 焼津市's 行事予定, valid
YAIZU, FUJIEDA, SHIMADA, FUJI, NUMAZU, MISHIMA = (
    "222127", "222143", "222097", "222101", "222038", "222062",
)  # fmt: skip
SLOW_SECONDS = 30  # how long the slow peer sleeps before answering: far past the timeout
LIMITS = HarvestLimits(deadline_seconds=60, request_seconds=2)
BIG_BYTES = 200 << 20  # far more than the socket buffers hold: the reader must stop early


def event_csv(folder: Path, lgcode: str, *, broken: bool = False) -> Path:
    """焼津市's valid event list as another municipality publishes it; `broken`: with dates
    that are not dates."""
    body = load_directory().lookup(lgcode)
    text = VALID_EVENT.read_text(encoding="utf-8")
    text = text.replace("222127,", f"{lgcode},").replace("静岡県焼津市", body.full_name)
    if broken:
        text = text.replace("2026-05-28,2026-05-28", "来月の末,未定")
    path = folder / f"{lgcode}_event.csv"
    path.write_text(text, encoding="utf-8")
    return path


@dataclass
class Fill:
    ckan: ckanapi.RemoteCKAN
    suffix: str
    folder: Path

    def organization(self, lgcode: str) -> str:
        name = f"{lgcode}-{self.suffix}"
        self.ckan.action.organization_create(name=name, title=f"{lgcode} (harvest test)")
        return name

    def dataset(self, lgcode: str, *, tags: list[str], licence: str = "cc-by",
                broken: bool = False, extras: list[dict[str, str]] | None = None) -> str:  # fmt: skip
        org = self.organization(lgcode)
        package = self.ckan.action.package_create(
            name=f"{lgcode}-event-{self.suffix}", title=f"イベント一覧 {lgcode}", owner_org=org,
            license_id=licence, tags=[{"name": t} for t in tags], extras=extras or [],
        )  # fmt: skip
        with event_csv(self.folder, lgcode, broken=broken).open("rb") as upload:
            self.ckan.action.resource_create(package_id=package["id"], name=f"{lgcode}_event.csv",
                                             format="CSV", upload=upload)  # fmt: skip
        return str(package["name"])


class Peers:
    """A tiny HTTP server for the peers that misbehave: /slow sleeps before answering,
    /broken answers 502 with an HTML page, /html answers a web page with 200, /big.csv a file of BIG_BYTES."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.sent_big = 0
        release, peers = self.release, self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path.startswith("/big"):
                    self._big()
                    return
                if self.path.startswith("/slow"):
                    release.wait(SLOW_SECONDS)
                status = 502 if self.path.startswith("/broken") else 200
                body = b"<html><body>Bad gateway / maintenance</body></html>"
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "text/html; charset=utf-8")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass  # the harvest gave up on it: that is the point

            def _big(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/csv")
                self.send_header("Content-Length", str(BIG_BYTES))
                self.end_headers()
                chunk = b"x" * (64 << 10)
                try:
                    while peers.sent_big < BIG_BYTES:
                        self.wfile.write(chunk)
                        peers.sent_big += len(chunk)
                except OSError:
                    pass  # the reader stopped: as it should

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def peers() -> Iterator[Peers]:
    running = Peers()
    yield running
    running.close()


def closed_port() -> int:
    """A port nothing listens on: bound, then released."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def fill(ckan: ckanapi.RemoteCKAN, suffix: str, tmp_path: Path) -> Iterator[Fill]:
    filling = Fill(ckan, suffix, tmp_path)
    yield filling
    purge(ckan, suffix)


def region_file(folder: Path, ckan_url: str, suffix: str, peers: Peers) -> Path:
    path = folder / "region.yaml"
    path.write_text(
        f"""name: 志太榛原・東部（テスト）
sources:
  - id: prefecture
    title: 県のCKAN
    url: {ckan_url}/api/3/action
    organization: "{{lgcode}}-{suffix}"
  - id: closed
    url: http://127.0.0.1:{closed_port()}
  - id: slow
    url: {peers.url}/slow
  - id: broken
    url: {peers.url}/broken
  - id: web
    url: {peers.url}/html
municipalities: ["{YAIZU}", "{FUJIEDA}", "{SHIMADA}", "{FUJI}", "{NUMAZU}", "{MISHIMA}"]
""",
        encoding="utf-8",
    )
    return path


def only(result: RegionResult, lgcode: str) -> DatasetReport:
    (found,) = [d for s in result.sources for d in s.datasets if d.lgcode == lgcode]
    return found


def messages(notes: list[Note]) -> list[str]:
    return [n.en for n in notes] + [n.ja for n in notes]


@pytest.fixture
def harvested(fill: Fill, settings: Settings, peers: Peers, tmp_path: Path) -> tuple[RegionResult, float]:  # fmt: skip
    old = (datetime.now(UTC) - timedelta(days=800)).isoformat(timespec="seconds")
    fill.dataset(YAIZU, tags=["自治体標準ODS", "イベント"])
    fill.dataset(FUJIEDA, tags=[])  # untagged: its CSV header says what it is
    fill.dataset(SHIMADA, tags=["自治体標準ODS", "イベント"], broken=True)
    fill.dataset(FUJI, tags=["自治体標準ODS", "イベント"],
                 extras=[{"key": "portal_published_at", "value": old}])  # fmt: skip
    fill.dataset(NUMAZU, tags=["自治体標準ODS", "イベント"], licence="other-closed")
    fill.organization(MISHIMA)  # an organization with nothing in it
    ckan_url = fill.ckan.address.rstrip("/")
    started = time.monotonic()
    result = harvest_region(region_file(tmp_path, ckan_url, fill.suffix, peers),
                            Registry(settings.datasets_dir), load_directory(), limits=LIMITS)  # fmt: skip
    return result, time.monotonic() - started


def test_each_neighbour_gets_the_state_it_is_in(harvested: tuple[RegionResult, float]) -> None:
    result, _ = harvested
    coverage = result.coverage
    assert [o.lgcode for o in coverage.organizations] == sorted(
        [YAIZU, FUJIEDA, SHIMADA, FUJI, NUMAZU, MISHIMA]
    )
    states = {lg: coverage.cell(lg, "event").state for lg in (YAIZU, FUJIEDA, SHIMADA, FUJI, NUMAZU, MISHIMA)}  # fmt: skip
    assert states == {
        YAIZU: CellState.VALID,
        FUJIEDA: CellState.VALID,
        SHIMADA: CellState.INVALID,
        FUJI: CellState.STALE,
        NUMAZU: CellState.MISSING,
        MISHIMA: CellState.MISSING,
    }
    assert coverage.cell(YAIZU, "aed").state == CellState.MISSING
    assert coverage.scope == "region"


def test_a_cell_links_to_the_neighbours_page(harvested: tuple[RegionResult, float]) -> None:
    result, _ = harvested
    url = result.coverage.cell(YAIZU, "event").url
    assert url is not None and url.endswith(f"/dataset/{only(result, YAIZU).name}")
    page = httpx.get(url, follow_redirects=True, timeout=30)
    assert page.status_code == 200
    assert "イベント一覧 222127" in page.text


def test_the_report_says_how_each_was_recognised(harvested: tuple[RegionResult, float]) -> None:
    result, _ = harvested
    (prefecture,) = [s for s in result.sources if s.id == "prefecture"]
    assert prefecture.reached and prefecture.finished
    assert len(prefecture.datasets) == 5
    yaizu, fujieda, shimada = only(result, YAIZU), only(result, FUJIEDA), only(result, SHIMADA)
    assert (yaizu.recognised_by, yaizu.dataset, yaizu.validation) == ("tags", "event", "valid")
    assert "validated here: no errors" in messages(yaizu.notes)
    assert (fujieda.recognised_by, fujieda.dataset, fujieda.counted) == ("header", "event", True)
    assert any("recognised from its CSV header as event" in m for m in messages(fujieda.notes))
    assert any("CSV の列見出しから" in m for m in messages(fujieda.notes))
    assert shimada.validation is not None and shimada.validation.startswith("invalid: ")
    assert any(m.startswith("このポータルで検証: エラー ") for m in messages(shimada.notes))


def test_a_closed_licence_is_seen_but_not_counted(harvested: tuple[RegionResult, float]) -> None:
    result, _ = harvested
    numazu = only(result, NUMAZU)
    assert (numazu.dataset, numazu.counted) == ("event", False)
    assert "licence 'other-closed' is not an open licence: not counted" in messages(numazu.notes)
    assert "ライセンス「other-closed」はオープンライセンスではないため、集計に含めません" in messages(numazu.notes)  # fmt: skip
    (prefecture,) = [s for s in result.sources if s.id == "prefecture"]
    assert any(f"no dataset found for {MISHIMA}" in m for m in messages(prefecture.notes))


def test_peers_that_fail_are_reported_and_the_run_ends_in_time(
    harvested: tuple[RegionResult, float], peers: Peers
) -> None:
    result, seconds = harvested
    assert seconds < LIMITS.deadline_seconds
    by_id = {s.id: s for s in result.sources}
    for failing in ("closed", "slow", "broken", "web"):
        assert not by_id[failing].reached and not by_id[failing].finished
        assert by_id[failing].datasets == []
        assert len(by_id[failing].notes) == 1  # one failure, then the peer is left alone
    closed = by_id["closed"].notes[0]
    assert closed.code == "peer-unreachable" and "connection refused" in closed.en
    assert "に接続できません" in closed.ja
    assert by_id["slow"].notes[0].en == f"{peers.url}/slow did not answer within 2 s"
    assert by_id["broken"].notes[0].en == f"{peers.url}/broken answered HTTP 502"
    web = by_id["web"].notes[0]
    assert web.code == "peer-not-ckan" and "text/html" in web.en
    assert "CKAN Action API の形式ではありません" in web.ja


def test_budget_and_deadline_cut_a_harvest_short_and_say_so(
    fill: Fill, settings: Settings, peers: Peers, tmp_path: Path
) -> None:
    fill.dataset(YAIZU, tags=["自治体標準ODS", "イベント"])
    path = region_file(tmp_path, fill.ckan.address.rstrip("/"), fill.suffix, peers)
    tight = HarvestLimits(deadline_seconds=3, request_seconds=10, requests_per_source=2)
    started = time.monotonic()
    result = harvest_region(path, Registry(settings.datasets_dir), load_directory(), limits=tight)
    assert time.monotonic() - started < 3 + 2  # the deadline, and the join's grace
    by_id = {s.id: s for s in result.sources}
    prefecture = by_id["prefecture"]
    assert prefecture.reached and not prefecture.finished
    assert prefecture.requests == 2
    assert [n.en for n in prefecture.notes] == [
        "stopped after 2 requests to this source (the limit)"
    ]
    assert by_id["slow"].notes[0].en == f"{peers.url}/slow did not answer within 3.0 s"


def test_a_file_over_the_limit_is_not_fetched_whole(peers: Peers) -> None:
    peer = Peer(peers.url, timeout=5, budget=5, deadline=Deadline(30))
    try:
        got = peer.download(f"{peers.url}/big.csv", limit=1 << 20, head=64 << 10)
    finally:
        peer.close()
    assert (got.complete, got.size, len(got.body)) == (False, BIG_BYTES, 64 << 10)
    assert peers.sent_big < BIG_BYTES  # the server was not read to the end
