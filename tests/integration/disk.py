"""Real disk faults for tests: a read-only mount and a full file system, made in a private
mount namespace (`unshare`), so the mounts vanish with the child process whatever
happens to the test — nothing to unmount, nothing left mounted on the machine.

Works as root and, through a user namespace (`--map-root-user`), as any user. Being
root does not make a read-only mount writable (unlike permission bits, which root
ignores), so the faults are the ones a clerk's machine would have.
"""

from __future__ import annotations

import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

PORTAL = [sys.executable, "-m", "portal"]
UNSHARE = ["unshare", "--mount", "--map-root-user", "--propagation", "private", "--"]


@dataclass(frozen=True)
class Ran:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


def read_only_view(source: Path, view: Path) -> str:
    """Shell lines that show `source` at `view`, read-only."""
    view.mkdir(parents=True, exist_ok=True)
    return (
        f"mount --bind {shlex.quote(str(source))} {shlex.quote(str(view))}\n"
        f"mount -o remount,bind,ro {shlex.quote(str(view))}\n"
    )


def small_disk(at: Path, size: str) -> str:
    """Shell lines that mount an empty file system of `size` (e.g. "1m") at `at`."""
    at.mkdir(parents=True, exist_ok=True)
    return f"mount -t tmpfs -o size={size} tmpfs {shlex.quote(str(at))}\n"


def portal_in_namespace(
    mounts: str,
    commands: dict[str, list[str]],
    env: dict[str, str],
    logs: Path,
    then: str = "",
) -> dict[str, Ran]:
    """Run `portal` commands one after another behind `mounts`, then the shell lines `then`
    (to look at what is behind the mounts before they vanish): what each command printed
    and returned."""
    logs.mkdir(parents=True, exist_ok=True)
    script = ["set -e", mounts, "set +e"]
    for key, args in commands.items():
        line = shlex.join([*PORTAL, *args])
        out, err = logs / f"{key}.out", logs / f"{key}.err"
        script.append(f"{line} >{shlex.quote(str(out))} 2>{shlex.quote(str(err))} </dev/null")
        script.append(f"echo $? >{shlex.quote(str(logs / f'{key}.rc'))}")
    script.append(then)
    done = subprocess.run([*UNSHARE, "sh", "-c", "\n".join(script)], env=env,
                          capture_output=True, text=True, timeout=300)  # fmt: skip
    assert done.returncode == 0, f"the namespace could not be set up: {done.stderr}"
    return {
        key: Ran(
            int((logs / f"{key}.rc").read_text()),
            (logs / f"{key}.out").read_text(encoding="utf-8"),
            (logs / f"{key}.err").read_text(encoding="utf-8"),
        )
        for key in commands
    }


def serve_in_namespace(mounts: str, port: int, env: dict[str, str]) -> subprocess.Popen[str]:
    """`portal serve` behind `mounts` (the caller stops it: it is the process returned)."""
    line = shlex.join([*PORTAL, "serve", "--port", str(port)])
    return subprocess.Popen([*UNSHARE, "sh", "-c", f"set -e\n{mounts}exec {line}"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
