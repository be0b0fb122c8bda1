"""pykakasi's dictionary of kanji words, read one kanji at a time from an SQLite copy.

pykakasi keeps its word dictionary as one pickle (kanwadict4.db) and loads all of it: 120 MB
more in the process that validates — twice the peak of a whole validation of 200,000 rows
(bench/validate.py), for a check (名称_カナ against 名称) that reads a few hundred kanji. The
copy is made once per pykakasi version, by a process of its own (so the validating process
never holds the whole dictionary), in the user's cache folder; a lookup then reads one
kanji's words. Where no copy can be made (no writable cache folder), the dictionary is
loaded as pykakasi loads it.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

log = logging.getLogger(__name__)

BUILD_SECONDS = 120  # the copy takes ~3 s; a machine this slow is better off without it
_lock = threading.Lock()
_db: sqlite3.Connection | None = None
_fallback = False


def cache_path() -> Path:
    """Where the copy of this pykakasi version's dictionary is kept."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "portal" / f"kanwa-{version('pykakasi')}.sqlite"


@lru_cache(maxsize=8192)
def words(char: str) -> dict[str, tuple[str, ...]]:
    """The dictionary's words starting with `char`, each with its readings (hiragana)."""
    db = _open()
    if db is None:
        from pykakasi.kanji import Kanwa

        table = Kanwa().load(char) or {}
        return {w: tuple(y for y, _ in entries) for w, entries in table.items()}
    with _lock:
        row = db.execute("SELECT words FROM kanwa WHERE char = ?", (char,)).fetchone()
    found: dict[str, list[str]] = json.loads(row[0]) if row else {}
    return {w: tuple(readings) for w, readings in found.items()}


def _open() -> sqlite3.Connection | None:
    global _db, _fallback
    with _lock:
        if _db is None and not _fallback:
            path = cache_path()
            if not path.is_file() and not _build_elsewhere(path):
                _fallback = True
                return None
            _db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        return _db


def _build_elsewhere(path: Path) -> bool:
    """Make the copy in a child process (its memory is freed when it ends)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        done = subprocess.run([sys.executable, "-m", __name__, str(path)], capture_output=True,
                              text=True, timeout=BUILD_SECONDS, check=False)  # fmt: skip
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("kanwa: no copy of the dictionary at %s (%s); loading it whole", path, exc)
        return False
    if done.returncode != 0 or not path.is_file():
        log.warning("kanwa: no copy of the dictionary at %s (%s); loading it whole", path,
                    done.stderr.strip()[-300:])  # fmt: skip
        return False
    return True


def build(path: Path) -> None:
    """Write the copy: one row per first kanji, its words and readings as JSON; written to a
    temporary file and renamed, so a reader never sees half a copy."""
    from pykakasi.kanji import Kanwa

    table = Kanwa()._jisyo_table  # the pickle as pykakasi loaded it: {ord(char): {word: …}}
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    os.close(handle)
    try:
        with sqlite3.connect(temporary) as db:
            db.execute("CREATE TABLE kanwa (char TEXT PRIMARY KEY, words TEXT NOT NULL)")
            db.executemany("INSERT INTO kanwa VALUES (?, ?)", (
                (chr(key), json.dumps({w: [y for y, _ in e] for w, e in entries.items()},
                                      ensure_ascii=False))
                for key, entries in table.items()))  # fmt: skip
        os.replace(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)


if __name__ == "__main__":
    build(Path(sys.argv[1]))
