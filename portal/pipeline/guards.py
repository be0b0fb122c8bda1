"""What a recipe may not do: write outside its output folder, read outside the source roots,
or make IDs of unbounded size.

Recipes will arrive through a browser (uploads), so every path and template in one is
checked before anything is read or written. The checks raise `RecipeProblem` (English and
Japanese); `portal.pipeline.recipe` adds the recipe's file and line.
"""

from __future__ import annotations

import re
import string
from collections.abc import Sequence
from pathlib import Path

MAX_STEM_LENGTH = 100
# A plain file name: letters (any script), digits, _ - and dots, never a folder or "..".
_STEM = re.compile(r"\w[\w.-]*")
GLOB_CHARS = frozenset("*?[")
ID_PLACEHOLDERS: dict[str, object] = {"row": 1, "n": 1, "lgcode": "000000"}  # sample values
# The widest field width or precision an ID template may ask for, and the longest ID it may
# make: `{n:>200000000}` would otherwise build a 200 MB string for every row.
MAX_TEMPLATE_WIDTH = 1000


class RecipeProblem(Exception):
    """A mistake in a recipe, said in both languages; the caller knows the file and line."""

    def __init__(self, en: str, ja: str, line: int | None = None) -> None:
        super().__init__(en)
        self.en, self.ja, self.line = en, ja, line


def check_stem(stem: str) -> None:
    """`target.stem` names the output files inside the output folder, nothing else."""
    if len(stem) <= MAX_STEM_LENGTH and _STEM.fullmatch(stem) and ".." not in stem:
        return
    raise RecipeProblem(
        f"target.stem '{_shown(stem)}' must be a plain file name (letters, digits, _ - . ; "
        f"no folders, no '..', at most {MAX_STEM_LENGTH} characters): "
        "the files are always written into the output folder",
        f"target.stem「{_shown(stem)}」にはファイル名だけを書いてください（文字・数字・_ - . のみ。"
        f"フォルダや「..」は書けません。{MAX_STEM_LENGTH}文字まで）。出力は常に出力フォルダに書かれます",
    )


def allowed_roots(recipe: Path, source_roots: Sequence[Path]) -> list[Path]:
    """The folders a recipe may read from: its own folder and the configured source roots."""
    return [recipe.resolve().parent, *(root.resolve() for root in source_roots)]


def resolve_source(recipe: Path, written: str, roots: Sequence[Path]) -> Path:
    """The source file `written` in the recipe, after symlinks, refused unless inside `roots`.

    A glob (* ? [...]) takes the newest matching file; the folder it lists must itself be
    inside a root, and `..` or `**` may not follow a wildcard.
    """
    parts = Path(written).parts  # the recipe's folder may hold [ ]: only `written` can glob
    first = next((i for i, p in enumerate(parts) if GLOB_CHARS.intersection(p)), None)
    if first is None:  # an absolute `written` replaces the recipe's folder
        return _inside((recipe.parent / written).resolve(), written, roots)
    wild = parts[first:]
    if ".." in wild or any("**" in p for p in wild):
        raise RecipeProblem(
            f"source.path '{_shown(written)}': a glob may not use '..' or '**' after a wildcard; "
            "name the folder, then the file pattern (data/aed_*.csv)",
            f"source.path「{_shown(written)}」: ワイルドカードの後に「..」や「**」は書けません。"
            "フォルダを書いてからファイル名のパターンを書いてください（例: data/aed_*.csv）",
        )
    folder = _inside(recipe.parent.joinpath(*parts[:first]).resolve(), written, roots)
    matches = [(_mtime(p), p) for p in folder.glob(str(Path(*wild)))]
    newest = max(((t, p) for t, p in matches if t is not None), default=None)
    if newest is None:
        raise RecipeProblem(
            f"no file matches {_shown(written)}",
            f"{_shown(written)} に当てはまるファイルがありません",
        )
    # the newest: a department drops this month's file beside last month's
    return _inside(newest[1].resolve(), written, roots)


def _mtime(path: Path) -> float | None:
    try:
        return path.stat().st_mtime if path.is_file() else None
    except OSError:  # a broken link, a file removed meanwhile
        return None


def _inside(path: Path, written: str, roots: Sequence[Path]) -> Path:
    if any(path.is_relative_to(root) for root in roots):
        return path
    shown = ", ".join(str(r) for r in roots)
    raise RecipeProblem(
        f"source.path '{_shown(written)}' is outside the folders a recipe may read ({shown}); "
        "put the file beside the recipe, or add its folder to PORTAL_SOURCE_ROOTS",
        f"source.path「{_shown(written)}」は、レシピが読めるフォルダ（{shown}）の外にあります。"
        "ファイルをレシピと同じフォルダに置くか、そのフォルダを PORTAL_SOURCE_ROOTS に加えてください",
    )


def check_id_template(template: str) -> None:
    """`ids.template`: only {row}, {n}, {lgcode}, with bounded widths, and it must format."""
    try:
        fields = [
            (name, spec)
            for _, name, spec, _ in string.Formatter().parse(template)
            if name is not None
        ]
    except ValueError as exc:  # a lone { or }
        raise _template_problem(template, str(exc), "{ と } の対応が正しくありません") from None
    valid = ", ".join("{" + k + "}" for k in ID_PLACEHOLDERS)
    for name, spec in fields:
        if name not in ID_PLACEHOLDERS:
            raise _template_problem(template, f"unknown placeholder {{{name}}}; valid: {valid}",
                                    f"「{{{name}}}」は使えません。使えるもの: {valid}")  # fmt: skip
        if "{" in (spec or "") or any(
            int(d) > MAX_TEMPLATE_WIDTH for d in re.findall(r"\d+", spec or "")
        ):
            raise _template_problem(template, f"the format of {{{name}}} may not be nested or wider than {MAX_TEMPLATE_WIDTH}",
                                    f"{{{name}}} の書式は入れ子にできず、幅は{MAX_TEMPLATE_WIDTH}までです")  # fmt: skip
    try:
        sample = template.format(**ID_PLACEHOLDERS)
    except (ValueError, TypeError) as exc:  # a format code the value cannot take: {lgcode:d}
        raise _template_problem(template, str(exc), f"書式が値に合いません（{exc}）") from None
    if len(sample) > MAX_TEMPLATE_WIDTH:
        raise _template_problem(template, f"it makes IDs longer than {MAX_TEMPLATE_WIDTH} characters",
                                f"IDが{MAX_TEMPLATE_WIDTH}文字を超えます")  # fmt: skip


def _template_problem(template: str, en: str, ja: str) -> RecipeProblem:
    return RecipeProblem(
        f"ids.template '{_shown(template)}': {en}", f"ids.template「{_shown(template)}」: {ja}"
    )


def _shown(text: str, limit: int = 200) -> str:
    """A recipe's own text in a message, cut short: the message must stay one readable line."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
