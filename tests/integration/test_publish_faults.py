"""Publishing to a real CKAN that fails: never a mix of versions, and a retry completes.

The CKAN is the real one from scripts/ckan-up.sh. Its web process is killed
hard and restarted mid-publish; a small proxy in front of it answers 500 or
drops the connection after CKAN has committed (the answer is lost).
"""

from __future__ import annotations

import http.server
import os
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import ckanapi
import httpx
import pytest
import requests

from portal.catalogue import CatalogueUnavailable, CkanCatalogue
from portal.catalogue.base import extras
from portal.catalogue.publish import Options, plan, publish
from portal.composition import Portal
from portal.settings import PROJECT_ROOT, Settings
from tests.integration.conftest import purge, variant

pytestmark = pytest.mark.ckan
CKAN_BASE = Path(os.environ.get("CKAN_BASE", "/tmp/ckan-local"))


def grow(folder: Path, megabytes: int) -> Path:
    """Make the CSV large, so that its upload is still running when CKAN is killed."""
    csv_file = next(folder.glob("*_event.csv"))
    lines = csv_file.read_text(encoding="utf-8").splitlines(keepends=True)
    filler = [
        lines[-1].replace("陶芸作品展", f"陶芸作品展{i:07d}") for i in range(megabytes * 4000)
    ]
    csv_file.write_text("".join(lines + filler), encoding="utf-8")
    return folder


def snapshot(catalogue: CkanCatalogue, name: str, versions: dict[str, dict[str, bytes]]) -> str:
    """Which version the catalogue shows; fails the test if its files are a mix.

    If the dataset changes between reading it and downloading its files (the old
    resources are gone: 404), it is read again, as a harvester would."""
    for _ in range(5):
        shown = catalogue.package_show(name)
        assert shown is not None
        digest = extras(shown)["portal_content_hash"]
        assert digest in versions, "the dataset's hash is neither version"
        try:
            got = {r["name"]: catalogue.resource_bytes(r) for r in shown["resources"]}
        except requests.HTTPError as exc:
            if exc.response is not None and exc.response.status_code == 404:
                continue
            raise
        for resource_name, content in got.items():
            assert content == versions[digest][resource_name], (
                f"{resource_name} is from the other version"
            )
        return digest
    raise AssertionError("the dataset kept changing under the observer")


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


@pytest.fixture(autouse=True)
def _purge_afterwards(ckan: ckanapi.RemoteCKAN, suffix: str) -> Iterator[None]:
    """Each test publishes under its own suffix; remove what it made, whatever happened."""
    yield
    purge(ckan, suffix)


@pytest.fixture
def ckan_catalogue(ckan: object) -> CkanCatalogue:
    return CkanCatalogue(os.environ["CKAN_URL"], os.environ["CKAN_API_TOKEN"])


def test_ckan_killed_mid_publish(
    ckan: object, converted: Path, publish_settings: Settings, tmp_path: Path, suffix: str
) -> None:
    if not (CKAN_BASE / "ckan.pid").is_file():
        if os.environ.get("CI") == "true":
            pytest.fail(
                f"no {CKAN_BASE}/ckan.pid: this test restarts the CKAN of scripts/ckan-up.sh"
            )
        pytest.skip(
            "the CKAN in CKAN_URL was not started by scripts/ckan-up.sh; it cannot be restarted here"
        )
    direct = CkanCatalogue(os.environ["CKAN_URL"], os.environ["CKAN_API_TOKEN"])
    server = FaultProxy(os.environ["CKAN_URL"], "slow")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    slow = CkanCatalogue(server.url, os.environ["CKAN_API_TOKEN"])
    name = f"222127-event-{suffix}"
    v1 = publish(
        converted, Portal.open(publish_settings).publisher(direct), Options(sleep=lambda s: None)
    )
    new = grow(variant(converted, tmp_path / "v2"), megabytes=8)
    v2 = plan(
        new, Portal.open(publish_settings).publisher(direct)
    ).digest  # read-only: what v2 will be
    versions = {v1.plan.digest: files_of(converted), v2: files_of(new)}
    outcome: dict[str, object] = {}

    def second() -> None:
        try:
            outcome["result"] = publish(
                new,
                Portal.open(publish_settings).publisher(slow),
                Options(attempts=10, first_wait=1.0),
            )
        except Exception as exc:  # reported by the assertion below
            outcome["error"] = exc

    thread = threading.Thread(target=second)
    thread.start()
    assert server.halfway.wait(60), "the upload never started"
    for step in ("kill", "start"):  # kill: half the upload is in CKAN
        done = subprocess.run(
            ["bash", str(PROJECT_ROOT / "scripts" / "ckan-restart.sh"), step],
            capture_output=True,
            text=True,
        )
        log = (
            (CKAN_BASE / "ckan.log").read_text(errors="replace")[-2000:] if done.returncode else ""
        )
        assert done.returncode == 0, f"ckan-restart.sh {step}: {done.stderr}\n{log}"
    observed = []
    while thread.is_alive():  # every look while it retries: one version or the other, whole
        try:
            observed.append(snapshot(direct, name, versions))
        except CatalogueUnavailable:
            pass
        time.sleep(0.2)
    thread.join()
    server.shutdown()
    assert "error" not in outcome, outcome.get("error")
    result = outcome["result"]
    assert result.attempts >= 2  # type: ignore[attr-defined]  # the first one died with CKAN
    assert snapshot(direct, name, versions) == v2
    assert set(observed) <= {v1.plan.digest, v2}


class FaultProxy(http.server.ThreadingHTTPServer):
    """Forwards to CKAN; the first package_revise gets a fault instead of CKAN's answer."""

    def __init__(self, target: str, fault: str) -> None:
        super().__init__(("127.0.0.1", 0), ProxyHandler)
        self.target, self.fault, self.faults_left = target, fault, 1
        self.halfway = threading.Event()  # "slow": half of the first revise has reached CKAN

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class ProxyHandler(http.server.BaseHTTPRequestHandler):
    server: FaultProxy

    def log_message(self, *args: object) -> None:
        pass

    def _forward(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        revise = self.path.endswith("/package_revise")
        if revise and self.server.faults_left and self.server.fault == "500":
            self.server.faults_left -= 1
            self.send_error(500, "Internal Server Error")
            return
        headers = {
            k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")
        }
        content: bytes | Iterator[bytes] = body
        if revise and self.server.faults_left and self.server.fault == "slow":
            self.server.faults_left -= 1
            content = self._trickle(body)
            headers["Content-Length"] = str(len(body))
        try:
            answer = httpx.request(
                self.command,
                self.server.target + self.path,
                headers=headers,
                content=content,
                timeout=120,
            )
        except httpx.HTTPError:
            self.send_error(502, "Bad Gateway")  # CKAN went away: what a reverse proxy answers
            return
        if revise and self.server.faults_left and self.server.fault == "cut":
            self.server.faults_left -= 1  # CKAN has committed; the client never hears of it
            self.connection.shutdown(2)
            return
        self.send_response(answer.status_code)
        for key, value in answer.headers.items():
            if key.lower() not in (
                "content-length",
                "transfer-encoding",
                "connection",
                "content-encoding",
            ):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(answer.content)))
        self.end_headers()
        self.wfile.write(answer.content)

    def _trickle(self, body: bytes) -> Iterator[bytes]:
        step = 64 * 1024
        for start in range(0, len(body), step):
            if start >= len(body) // 2:
                self.server.halfway.set()
            time.sleep(0.01)
            yield body[start : start + step]

    do_GET = do_POST = _forward


@pytest.fixture(params=["500", "cut"])
def proxy(request: pytest.FixtureRequest, ckan: object) -> Iterator[FaultProxy]:
    server = FaultProxy(os.environ["CKAN_URL"], request.param)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()


def test_a_500_or_a_lost_answer_is_retried_to_completion(
    proxy: FaultProxy, converted: Path, publish_settings: Settings, tmp_path: Path, suffix: str
) -> None:
    direct = CkanCatalogue(os.environ["CKAN_URL"], os.environ["CKAN_API_TOKEN"])
    faulty = CkanCatalogue(proxy.url, os.environ["CKAN_API_TOKEN"])
    v1 = publish(
        converted, Portal.open(publish_settings).publisher(direct), Options(sleep=lambda s: None)
    )
    new = variant(converted, tmp_path / "v2", extra_row=True)
    result = publish(
        new, Portal.open(publish_settings).publisher(faulty), Options(sleep=lambda s: None)
    )
    assert proxy.faults_left == 0 and result.action == "update"
    # 500: nothing was written, a second attempt writes. Lost answer: the write happened;
    # reading the dataset back shows it, so no second write is made.
    assert (result.attempts, result.writes) == ((2, 2) if proxy.fault == "500" else (1, 1))
    versions = {v1.plan.digest: files_of(converted), result.plan.digest: files_of(new)}
    assert snapshot(direct, f"222127-event-{suffix}", versions) == result.plan.digest


def test_gives_up_with_a_clear_message_and_changes_nothing(
    ckan: object, converted: Path, publish_settings: Settings
) -> None:
    closed = CkanCatalogue(
        "http://127.0.0.1:9", os.environ["CKAN_API_TOKEN"]
    )  # nothing listens on port 9
    waits: list[float] = []
    with pytest.raises(CatalogueUnavailable) as err:
        publish(
            converted,
            Portal.open(publish_settings).publisher(closed),
            Options(attempts=4, first_wait=0.5, sleep=waits.append),
        )
    assert waits == [0.5, 1.0, 2.0]  # backoff, then it stops
    assert "did not answer" in err.value.message_en and "応答しません" in err.value.message_ja
    assert "previous version is still published" in err.value.to_dict()["hint_en"]
