"""Running `portal` on a bad input the way a clerk would, and reading what it did.

Each run is a child process (`.venv/bin/portal …`) under an address-space cap and a wall
clock guard, in a sandbox folder of its own: the inputs (hard links), an output folder three
levels deep (so a `../../../` escape still lands inside the sandbox, where it is seen) and a
copy of a data directory in which good datasets are already published. What the run left
behind is compared with what was there before.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import resource
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from portal.catalogue import EmbeddedCatalogue

PORTAL = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "portal"
MEMORY_CAP_BYTES = 1536 << 20  # 1.5 GiB of address space: ~10x what a good run needs
# What a process says when the cap (not the portal) stopped it.
OUT_OF_MEMORY = ("MemoryError", "memory allocation of", "Cannot allocate memory", "std::bad_alloc")
# Hashing every file of every sandbox would read the 1 GiB input again and again:
# larger files are compared by size and modification time.
HASH_LIMIT_BYTES = 1 << 20
OUT_DIR = Path("o1/o2/o3/out")  # convert --out: three levels below the sandbox's top
DATA_DIR = Path("d1/d2/var")  # PORTAL_DATA_DIR
INPUT_DIR = Path("in")
WORK_DIR = Path("cwd")  # the child's working directory


@dataclass
class Run:
    """One finished child process: what a person at the terminal would have seen."""

    args: list[str]
    exit: int | None  # None: killed by the wall-clock guard
    stdout: str
    stderr: str
    seconds: float

    @property
    def output(self) -> str:
        return self.stdout + "\n" + self.stderr

    @property
    def signal(self) -> str | None:
        if self.exit is not None and self.exit < 0:
            return signal.Signals(-self.exit).name
        return None


def _cap_memory(limit: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    os.setsid()  # its own process group, so the guard can stop everything it started


def run_portal(
    args: list[str], cwd: Path, env: dict[str, str], timeout: float, memory: int = MEMORY_CAP_BYTES
) -> Run:
    """`portal ARGS` in `cwd` with `env` added, capped at `memory` bytes and `timeout` seconds."""
    # The runner's own PORTAL_*/CKAN_* settings (a CKAN_URL from env.sh) must not leak in.
    inherited = {k: v for k, v in os.environ.items() if not k.startswith(("PORTAL_", "CKAN_"))}
    full_env = {**inherited, "COLUMNS": "200", "NO_COLOR": "1", **env}
    start = time.monotonic()
    child = subprocess.Popen(
        [str(PORTAL), *args], cwd=cwd, env=full_env, stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=lambda: _cap_memory(memory),
    )  # fmt: skip
    try:
        out, err = child.communicate(timeout=timeout)
        code: int | None = child.returncode
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        out, err = child.communicate()
        code = None
    return Run(
        args=args,
        exit=code,
        stdout=out.decode("utf-8", "replace"),
        stderr=err.decode("utf-8", "replace"),
        seconds=time.monotonic() - start,
    )


def file_state(path: Path) -> str:
    stat = path.stat()
    if stat.st_size > HASH_LIMIT_BYTES:
        return f"size={stat.st_size} mtime={stat.st_mtime_ns}"
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tree(root: Path, skip: tuple[Path, ...] = ()) -> dict[str, str]:
    """Every file under `root` (but not under `skip`) → its content's fingerprint."""
    out = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if any(rel.is_relative_to(s) for s in skip) or not path.is_file():
            continue
        out[str(rel)] = file_state(path)
    return out


@dataclass
class Published:
    """What the catalogue in a data directory holds: every dataset and every stored file."""

    packages: dict[str, str]  # name → the dataset as the catalogue shows it (canonical JSON)
    files: dict[str, str]  # path under catalogue/files → fingerprint

    def changed(self, after: Published) -> list[str]:
        """Names of datasets (and files) that were here and are different or gone after."""
        problems = [n for n, p in self.packages.items() if after.packages.get(n) != p]
        problems += [f"file {f}" for f, h in self.files.items() if after.files.get(f) != h]
        return problems

    def added(self, after: Published) -> list[str]:
        return sorted(set(after.packages) - set(self.packages)) + [
            f"file {f}" for f in sorted(set(after.files) - set(self.files))
        ]


def published(data_dir: Path) -> Published:
    catalogue_dir = data_dir / "catalogue"
    packages: dict[str, Any] = {}
    if (catalogue_dir / "catalogue.sqlite").is_file():
        catalogue = EmbeddedCatalogue(catalogue_dir)
        packages = {p["name"]: p for p in catalogue.packages()}
        # Close its connection now (the last one checkpoints and removes the -wal and -shm
        # files): left to the garbage collector, they vanish while a sandbox copies the folder.
        del catalogue
        gc.collect()
    files_dir = catalogue_dir / "files"
    return Published(
        packages={
            n: json.dumps(p, sort_keys=True, ensure_ascii=False) for n, p in packages.items()
        },
        files=tree(files_dir) if files_dir.is_dir() else {},
    )


@dataclass
class Sandbox:
    """The folders of one run; see the module docstring."""

    root: Path
    sentinels: dict[str, str] = field(default_factory=dict)

    @property
    def inputs(self) -> Path:
        return self.root / INPUT_DIR

    @property
    def out(self) -> Path:
        return self.root / OUT_DIR

    @property
    def data(self) -> Path:
        return self.root / DATA_DIR

    @property
    def cwd(self) -> Path:
        return self.root / WORK_DIR

    @classmethod
    def make(cls, root: Path, inputs: Path, data: Path, sentinels: list[str]) -> Sandbox:
        box = cls(root)
        box.inputs.mkdir(parents=True)
        for path in inputs.iterdir():
            if path.is_file():
                os.link(path, box.inputs / path.name)
        box.out.parent.mkdir(parents=True)
        box.cwd.mkdir()
        shutil.copytree(data, box.data)
        for rel in sentinels:  # files a path escape would overwrite: each must stay as it is
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(f"sentinel {rel}\n", encoding="utf-8")
            box.sentinels[rel] = target.read_text(encoding="utf-8")
        return box

    def outside_writes(self, before: dict[str, str]) -> list[str]:
        """Files created or changed outside the output folder and the data directory."""
        after = tree(self.root, skip=(OUT_DIR, DATA_DIR))
        changed = [f for f in after if before.get(f) != after[f]]
        gone = [f"{f} (deleted)" for f in before if f not in after]
        return changed + gone

    def state(self) -> dict[str, str]:
        return tree(self.root, skip=(OUT_DIR, DATA_DIR))
