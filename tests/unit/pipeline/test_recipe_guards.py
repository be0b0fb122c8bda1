"""A hostile or careless recipe: refused with its file and line, before it reads, writes or
allocates anything it should not (issue 10, defects 2, 5 and 14).

Each case goes through the command line a clerk uses (`portal convert`, `portal publish`);
the memory bombs run in a child process under an address-space cap.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from portal.cli import main
from portal.localgov import load as load_directory
from portal.pipeline.recipe import RecipeInvalid, load
from portal.standards import Registry
from tests.conftest import DATASETS_DIR

SECRET = "TOP-SECRET-LINE"
MEMORY_CAP = 1024**3  # a conversion of this size needs under 500 MB of address space
HEADER = "version: 1\nsource:\n  path: '{path}'\ntarget:\n  dataset: aed\n  lgcode: '222127'\n"
COLUMNS = "columns:\n  名称: {from: 名称, normalize: [trim]}\n  ID: {from: ID}\n"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """tmp/recipes holds the recipe and its table; tmp/roots is the one configured source root."""
    for folder in ("recipes", "roots", "outside", "var"):
        (tmp_path / folder).mkdir()
    for folder in ("recipes", "roots"):
        (tmp_path / folder / "aed.csv").write_text("名称,ID\n焼津市役所,1\n", encoding="utf-8")
    (tmp_path / "outside" / "secret.csv").write_text(f"{SECRET},x\n1,2\n", encoding="utf-8")
    monkeypatch.setenv("PORTAL_DATASETS_DIR", str(DATASETS_DIR))
    monkeypatch.setenv("PORTAL_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("PORTAL_SOURCE_ROOTS", json.dumps([str(tmp_path / "roots")]))
    for name in ("CKAN_URL", "PORTAL_CKAN_URL", "PORTAL_CATALOGUE"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def recipe(home: Path, path: str = "aed.csv", target: str = "", rest: str = "") -> Path:
    file = home / "recipes" / "r.yaml"
    file.write_text(HEADER.format(path=path) + target + COLUMNS + rest, encoding="utf-8")
    return file


def convert(capsys: pytest.CaptureFixture[str], file: Path, out: Path) -> tuple[int, str]:
    code = main(["convert", str(file), "--out", str(out)])
    out_text, err = capsys.readouterr()
    return code, out_text + err


def files_under(folder: Path, but: Path | None = None) -> dict[Path, bytes]:
    return {
        p: p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and (but is None or not p.is_relative_to(but))
    }


def assert_refused(code: int, text: str, line: int, *words: str) -> None:
    assert code == 2, text
    assert "error [recipe-invalid]: r.yaml, line " + str(line) + ": " in text
    assert f"r.yaml {line}行目: " in text
    assert "Traceback" not in text and "internal error" not in text
    for word in words:
        assert word in text


# Defect 2: where a recipe writes


@pytest.mark.parametrize(
    "stem", ["../../victim/schema", "/tmp/portal-victim/schema", "sub/schema", ".."]
)
def test_convert_refuses_a_stem_that_leaves_the_output_folder(
    home: Path, capsys: pytest.CaptureFixture[str], stem: str
) -> None:
    victim = home / "victim" / "schema.csv"
    victim.parent.mkdir()
    victim.write_text("kept", encoding="utf-8")
    file = recipe(home, target=f"  stem: '{stem}'\n")
    before = files_under(home)
    code, text = convert(capsys, file, home / "out")
    assert_refused(code, text, 7, "target.stem", "plain file name", "ファイル名だけ")
    assert files_under(home, but=home / "out") == before  # nothing written outside --out
    assert not Path("/tmp/portal-victim").exists()


def test_publish_refuses_the_stem_and_leaves_an_existing_file_unchanged(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # publish converts into PORTAL_DATA_DIR/converted/<recipe>: ../../victim leaves it
    victim = home / "var" / "converted" / "victim" / "schema.csv"
    victim.parent.mkdir(parents=True)
    victim.write_text("kept", encoding="utf-8")
    file = recipe(home, target="  stem: '../../victim/schema'\n")
    code = main(["publish", str(file)])
    out, err = capsys.readouterr()
    assert code == 1 and "1 not published" in out  # publish's own exit code for a failed dataset
    assert "error [recipe-invalid]: r.yaml, line 7: target.stem" in err and "Traceback" not in err
    assert victim.read_text(encoding="utf-8") == "kept"
    assert sorted(p.name for p in victim.parent.iterdir()) == ["schema.csv"]


@pytest.mark.parametrize("stem", ["yaizu_aed-2026.v2", "焼津市_AED"])
def test_a_plain_stem_names_the_files(
    home: Path, capsys: pytest.CaptureFixture[str], stem: str
) -> None:
    code, text = convert(capsys, recipe(home, target=f"  stem: '{stem}'\n"), home / "out")
    assert code in (0, 1), text
    assert (home / "out" / f"{stem}.csv").is_file()


# Defect 2: where a recipe reads


@pytest.mark.parametrize(
    "path",
    ["/etc/passwd", "../outside/secret.csv", "link.csv", "../outside/*.csv", "/etc/pass*",
     "{home}/outside/sec*.csv", "{home}/roots/../outside/secret.csv"],
)  # fmt: skip
def test_a_source_outside_the_roots_is_refused_unread(
    home: Path, capsys: pytest.CaptureFixture[str], path: str
) -> None:
    (home / "recipes" / "link.csv").symlink_to(home / "outside" / "secret.csv")
    written = path.format(home=home)
    code, text = convert(capsys, recipe(home, path=written), home / "out")
    assert_refused(code, text, 3, f"source.path '{written}' is outside the folders",
                   "PORTAL_SOURCE_ROOTS", "レシピが読めるフォルダ")  # fmt: skip
    assert SECRET not in text and "root:" not in text  # nothing of the refused file is shown
    assert not (home / "out").exists()


@pytest.mark.parametrize("path", ["aed.csv", "a*.csv", "{home}/roots/aed.csv", "{home}/roots/ae?.csv",
                                  "../roots/aed.csv"])  # fmt: skip
def test_sources_in_the_recipe_folder_and_the_configured_roots_are_read(
    home: Path, capsys: pytest.CaptureFixture[str], path: str
) -> None:
    code, text = convert(capsys, recipe(home, path=path.format(home=home)), home / "out")
    assert code in (0, 1), text
    assert "1 read, 1 written" in text


@pytest.mark.parametrize("path", ["*/../../outside/secret.csv", "**/aed.csv"])
def test_a_glob_may_not_climb_or_recurse(
    home: Path, capsys: pytest.CaptureFixture[str], path: str
) -> None:
    code, text = convert(capsys, recipe(home, path=path), home / "out")
    assert_refused(code, text, 3, "may not use '..' or '**' after a wildcard")
    assert SECRET not in text


def test_the_library_confines_sources_to_the_recipe_folder_by_default(home: Path) -> None:
    file = recipe(home, path="../roots/aed.csv")
    with pytest.raises(RecipeInvalid) as err:
        load(file, Registry(DATASETS_DIR), load_directory())
    assert err.value.location is not None and err.value.location.line == 3
    assert "outside the folders" in err.value.message_en
    roots = [home / "roots"]
    assert (
        load(file, Registry(DATASETS_DIR), load_directory(), roots).source
        == home / "roots" / "aed.csv"
    )


# Defect 14: recipe mistakes are recipe errors, with their line


@pytest.mark.parametrize(
    ("extra", "line", "words"),
    [
        ("ids: {field: ID, template: '{city}-{n}'}\n", 10, ["unknown placeholder {city}", "valid: {row}, {n}, {lgcode}"]),
        ("ids: {field: ID, template: '{n.__class__}'}\n", 10, ["unknown placeholder {n.__class__}"]),
        ("ids: {field: ID, template: '{lgcode:d}'}\n", 10, ["ids.template '{lgcode:d}'", "Unknown format code"]),
        ("ids: {field: ID, template: 'A-{n'}\n", 10, ["ids.template 'A-{n'"]),
        ("filters:\n  - {column: 名称, matches: '(市役所'}\n", 11, ["'(市役所' is not a regular expression", "missing )", "正規表現"]),
        ("filters:\n  - {column: 名称, matches: '(?<=焼津)市'}\n", 11, ["lookbehind", "後読み"]),
        ("filters:\n  - {column: 名称, matches: '(市)\\1'}\n", 11, ["backreferences", "後方参照"]),
    ],
)  # fmt: skip
def test_template_and_regex_mistakes_name_the_line(
    home: Path, capsys: pytest.CaptureFixture[str], extra: str, line: int, words: list[str]
) -> None:
    code, text = convert(capsys, recipe(home, rest=extra), home / "out")
    assert_refused(code, text, line, *words)


@pytest.mark.parametrize(
    ("option", "words"),
    [
        ("{pattern: '(', with: ''}", ["'(' is not a regular expression", "RE2"]),
        ("{pattern: '(?=x)', with: ''}", ["lookahead", "先読み"]),
        ("{pattern: '(市)', with: '\\2'}", ["refers to group 2", "グループ 2"]),
        ("{pattern: '市', with: '\\q'}", ["unknown escape \\q"]),
    ],
)
def test_replace_mistakes_name_the_line(
    home: Path, capsys: pytest.CaptureFixture[str], option: str, words: list[str]
) -> None:
    file = recipe(home)
    text = file.read_text(encoding="utf-8").replace("[trim]", f"[trim, {{replace: {option}}}]")
    file.write_text(text, encoding="utf-8")
    code, shown = convert(capsys, file, home / "out")
    assert_refused(code, shown, 8, *words)


def test_replacement_keeps_japanese_and_groups(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # google-re2's own sub() would turn 様 into mojibake: the replacement is expanded by the portal
    file = recipe(home)
    option = r"{pattern: '(焼津)市(?P<what>.+)', with: '\g<what>（\1様）'}"
    text = file.read_text(encoding="utf-8").replace("[trim]", f"[trim, {{replace: {option}}}]")
    file.write_text(text, encoding="utf-8")
    code, shown = convert(capsys, file, home / "out")
    assert code in (0, 1), shown
    assert "役所（焼津様）" in (home / "out" / "222127_aed.csv").read_text(encoding="utf-8")


# Defect 5: a 1 KB recipe must not take the machine's memory or time


BOMBS = {
    "alias": (
        "a: &a ['x','x','x','x','x','x','x','x','x']\n"
        + "".join(
            f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n"
            for p, n in zip("abcdefgh", "bcdefghi", strict=True)
        )
    ),
    "template": "ids: {field: ID, template: '{n:>200000000}'}\n",
    "precision": "ids: {field: ID, template: '{lgcode:.200000000}{n:0200000000d}'}\n",
    "nesting": "x: " + "[" * 500 + "]" * 500 + "\n",
}
WHOLE_FILE = {"alias", "nesting"}  # refused before the recipe's keys are even looked at


def run_capped(home: Path, file: Path) -> subprocess.CompletedProcess[str]:
    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))

    return subprocess.run(
        [sys.executable, "-m", "portal", "convert", str(file), "--out", str(home / "out")],
        capture_output=True, text=True, timeout=60, preexec_fn=cap, env=dict(os.environ),
    )  # fmt: skip


@pytest.mark.parametrize("bomb", sorted(BOMBS))
def test_a_recipe_bomb_is_refused_within_the_memory_cap(home: Path, bomb: str) -> None:
    if bomb in WHOLE_FILE:
        file = home / "recipes" / "r.yaml"
        file.write_text(BOMBS[bomb], encoding="utf-8")
    else:
        file = recipe(home, rest=BOMBS[bomb])
    assert len(file.read_bytes()) < 1024
    done = run_capped(home, file)
    assert "MemoryError" not in done.stderr and "internal error" not in done.stderr
    assert done.returncode == 2 and "error [recipe-invalid]: r.yaml, line " in done.stderr
    assert {"alias": "anchors and aliases", "template": "wider than 1000", "precision": "wider than 1000",
            "nesting": "nested deeper than"}[bomb] in done.stderr  # fmt: skip
    assert not (home / "out").exists()


@pytest.mark.parametrize(
    ("rule", "written"),
    [("columns:\n  名称: {from: 名称, normalize: [{replace: {pattern: '^(a+)+$', with: ''}}]}\n  ID: {from: ID}\n", 1),
     (COLUMNS + "filters:\n  - {column: 名称, matches: '^(a+)+$'}\n", 0)],
    ids=["replace", "matches"],
)  # fmt: skip
def test_a_catastrophic_regex_runs_in_linear_time(home: Path, rule: str, written: int) -> None:
    # Python's re backtracks for ever on '^(a+)+$' against 34 a's and a b; RE2 does not
    (home / "recipes" / "aed.csv").write_text(f"名称,ID\n{'a' * 34}b,1\n", encoding="utf-8")
    file = home / "recipes" / "r.yaml"
    file.write_text(HEADER.format(path="aed.csv") + rule, encoding="utf-8")
    done = run_capped(home, file)
    assert done.returncode in (0, 1), done.stderr
    assert f"1 read, {written} written" in done.stdout
