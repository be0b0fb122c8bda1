"""Every curl example in the README answers, against the demo `make run` builds.

The demo is the sample recipes in pipelines/, published as `make run` publishes them
(invalid ones marked 要修正); the examples run with the real curl over a real socket.
"""

from __future__ import annotations

import re
import shlex
import subprocess

import httpx
import pytest

from portal.settings import PROJECT_ROOT

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
COUNT = re.compile(r'"(?:total|count|totalCount)":\s*(\d+)')


def curl_examples() -> list[str]:
    """The `curl …` commands in the README's sh blocks, continuation lines joined, comments cut."""
    commands: list[str] = []
    for block in re.findall(r"```sh\n(.*?)```", README, flags=re.S):
        for line in block.replace("\\\n", " ").splitlines():
            if line.startswith("curl ") and "127.0.0.1:8000" in line:
                commands.append(re.sub(r"\s+#[^'\"]*$", "", line).strip())
    return commands


def test_the_readme_has_examples_for_each_family_of_routes() -> None:
    joined = "\n".join(curl_examples())
    for route in ["/api/v1/datasets", "/rows", "/download.csv", "/api/v1/standard/",
                  "/api/3/action/", "/wapi/", "/catalog.ttl"]:  # fmt: skip
        assert route in joined, route


@pytest.mark.parametrize("command", curl_examples())
def test_readme_example_answers_on_the_demo(command: str, demo: str) -> None:
    run_example(command, demo)


def run_example(command: str, base: str) -> None:
    """Run one README curl command against `base`: 200, and a search finds something."""
    args = shlex.split(command.replace("http://127.0.0.1:8000", base))
    done = subprocess.run(
        [args[0], "-sS", "-w", "\n%{http_code}", *args[1:]],
        capture_output=True,
        timeout=30,
        check=False,
    )
    body, _, status = done.stdout.rpartition(b"\n")
    assert status == b"200", (command, body[:300])
    counted = COUNT.search(body.decode("utf-8", "replace"))
    if counted:  # a search or a query: the demo has something for every example
        assert int(counted.group(1)) > 0, command


def test_demo_holds_every_sample_recipe(demo: str) -> None:
    names = httpx.get(f"{demo}/api/3/action/package_list").json()["result"]
    assert len(names) == len(list((PROJECT_ROOT / "pipelines").glob("*.yaml"))) == 11
    assert {"222127-aed", "272051-evacuation-space", "122033-public-wireless-lan"} <= set(names)
