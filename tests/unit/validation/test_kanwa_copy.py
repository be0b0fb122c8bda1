"""名称_カナ's check reads pykakasi's dictionary from a copy, one kanji at a time: the same
words and readings as pykakasi's, without loading the whole dictionary (120 MB) into the
process that validates."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from portal.validation.checks import kanwa

# The peak memory of the process (MiB): VmHWM, which starts again at exec (ru_maxrss keeps
# the forking process's peak, here pytest's).
PEAK = (
    "import re\n"
    "from portal.validation.checks import kanwa\n"
    "assert 'いちば' in kanwa.words('市')['市場']\n"
    "status = open('/proc/self/status').read()\n"
    "print(int(re.search(r'VmHWM:\\s+(\\d+)', status)[1]) // 1024)\n"
)


def test_the_copy_has_pykakasis_words(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pykakasi.kanji import Kanwa

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    kanwa.build(tmp_path / "copy.sqlite")
    monkeypatch.setattr(kanwa, "cache_path", lambda: tmp_path / "copy.sqlite")
    monkeypatch.setattr(kanwa, "_db", None)
    kanwa.words.cache_clear()
    for char in "市役所焼津行徳々":
        theirs = {w: tuple(y for y, _ in e) for w, e in (Kanwa().load(char) or {}).items()}
        assert kanwa.words(char) == theirs, char
    kanwa.words.cache_clear()
    monkeypatch.setattr(kanwa, "_db", None)


def test_validating_never_holds_the_whole_dictionary(tmp_path: Path) -> None:
    """A fresh cache: the copy is made by a child process; the reader stays small (pykakasi
    loading its dictionary takes the process past 140 MB)."""
    env = {"XDG_CACHE_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    first = subprocess.run([sys.executable, "-c", PEAK], capture_output=True, text=True,
                           env=env, check=True)  # fmt: skip
    again = subprocess.run([sys.executable, "-c", PEAK], capture_output=True, text=True,
                           env=env, check=True)  # fmt: skip
    assert list(tmp_path.glob("portal/kanwa-*.sqlite"))
    assert int(first.stdout) < 100 and int(again.stdout) < 100, (first.stdout, again.stdout)


def test_without_a_writable_cache_the_dictionary_is_loaded_whole(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    env = {"XDG_CACHE_HOME": str(blocked), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", PEAK], capture_output=True, text=True, env=env,
                          check=True)  # fmt: skip
    assert int(done.stdout) > 100  # answered all the same, as pykakasi would
