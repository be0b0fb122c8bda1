"""名称_カナ against 名称: can this katakana be a reading of that name?

A kanji has several readings and a place name often an unusual one, so no single reading
(pykakasi's best guess reads 行徳 as ユキノリ) is compared with the kana. Instead the kana is
aligned with the name: every kanji may take any reading pykakasi's dictionary lists for it
(or for a word of several kanji starting with it), kana in the name must appear as written,
letters and digits may be spelt out, and anything in brackets may be left out. A kanji that
no listed reading fits costs one, and so does a kana character that is missing or extra.
The alignment's cost over the name's characters says how implausible the kana is: a kana
holding another facility's reading, or a reading of half the name, costs most of the name.

Comparison is loose on purpose: voiced marks (rendaku: ガッコウ for 学 + 校), small kana,
long-vowel marks (コー for コウ) and ヅ/ズ are ignored.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pykakasi.kanji import Itaiji  # the variants table of the pinned pykakasi (2.3)

from portal.validation.checks import kanwa
from portal.validation.checks.base import Columns, Issue, RowCheck, RowContext

# A kanji read with no listed reading takes 1 to this many kana: on'yomi are at most 3
# characters once small kana count as large (チョウ), kun'yomi rarely more than 4 (ミズウミ).
MAX_KANA_PER_KANJI = 4
# Letters and digits in a name are spelt out in its kana (AED → エーイーディー): up to this
# many kana each (ダブリュー), or left as they are (the kana field keeps digits: ダイ１).
MAX_KANA_PER_ALNUM = 5
BRACKETS = {
    "(": ")",
    "（": "）",
    "[": "]",
    "「": "」",
    "【": "】",
    "〔": "〕",
    "＜": "＞",
    "<": ">",
}
CLOSERS = frozenset(BRACKETS.values())
# ケ/ヶ between kanji is a counter read カ/ガ/ケ/コ (鰯ケ島, 霞ヶ関).
KE_READINGS = ("カ", "ケ", "コ")
SMALL_TO_LARGE = str.maketrans("ァィゥェォッャュョヮヵヶ", "アイウエオツヤユヨワカケ")
SAME_SOUND = str.maketrans({"ヅ": "ズ", "ヂ": "ジ", "ヲ": "オ", "ヱ": "エ", "ヰ": "イ"})
INFINITE = 10**6
# A kana is implausible when the alignment leaves at least this many characters unexplained
# and at least this share of the longer of name and kana. Calibrated on the bundled samples
# (323 real name/kana pairs from 焼津市 and 市川市): the worst real pair leaves 4 of 25
# unexplained (消防団第16分団車庫 / …シャコツメショ, whose name lost its 詰所); two thirds of
# the pairs made by shifting the kana column one row reach both bounds.
MIN_COST = 5
MIN_SHARE = 0.4
# A kana that an adjacent row's name reads exactly (the kana column shifted, or copied from
# the row above) is that row's, once the alignment with its own name leaves this many over.
NEIGHBOUR_MIN_COST = 2
# Distinct name/kana pairs judged per table (2-6 ms each, so at most ~20 s): facility lists
# are far shorter; past it the check says nothing rather than slow a big file down.
PAIRS_LIMIT = 5_000


def fold(text: str) -> str:
    """Katakana as compared: hiragana raised, small kana large, voiced marks and everything
    that is not a kana letter (ー, spaces, ・, digits) dropped."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in text)
    text = text.translate(SAME_SOUND).translate(SMALL_TO_LARGE)
    bare = unicodedata.normalize("NFD", text).replace("\u3099", "").replace("\u309a", "")
    return "".join(c for c in unicodedata.normalize("NFC", bare) if "ア" <= c <= "ン")


def is_kanji(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff" or char == "々"


@dataclass(frozen=True)
class Token:
    kind: str  # kanji, kana, alnum, open, close, skip
    text: str


def tokens(name: str) -> list[Token]:
    text = Itaiji().convert(unicodedata.normalize("NFKC", name))
    out: list[Token] = []
    for i, char in enumerate(text):
        between_kanji = 0 < i < len(text) - 1 and is_kanji(text[i - 1]) and is_kanji(text[i + 1])
        if is_kanji(char) or (char in "ケヶヵ" and between_kanji):
            out.append(Token("kanji", char))
        elif char in BRACKETS:
            out.append(Token("open", char))
        elif char in CLOSERS:
            out.append(Token("close", char))
        elif char.isascii() and char.isalnum():
            if out and out[-1].kind == "alnum":
                out[-1] = Token("alnum", out[-1].text + char)
            else:
                out.append(Token("alnum", char))
        elif fold(char):
            out.append(Token("kana", fold(char)))
        else:
            out.append(Token("skip", char))
    return out


@lru_cache(maxsize=4096)
def _readings_from(text: str) -> tuple[tuple[int, tuple[str, ...]], ...]:
    """(kanji used, folded readings) for each dictionary word `text` starts with."""
    out = []
    for word, readings in kanwa.words(text[0]).items():
        if text.startswith(word) and all(is_kanji(c) for c in word):
            out.append((len(word), tuple(_variants(fold(y)) for y in readings)))
    flat = [(n, tuple(v for group in groups for v in group)) for n, groups in out]
    return tuple(flat)


def _variants(reading: str) -> tuple[str, ...]:
    """A reading as it may be written inside a longer one: 学 ガク as ガッ (学校), コウ as コー."""
    out = [reading] if reading else []
    if len(reading) >= 2 and reading[-1] in "クキチツ":
        out.append(reading[:-1] + "ツ")  # the small ッ, folded large
    if len(reading) >= 2 and reading[-1] in "ウイ":
        out.append(reading[:-1])  # a long vowel written ー (dropped by fold)
    return tuple(out)


def _steps(toks: list[Token], i: int) -> list[tuple[int, tuple[str, ...]]]:
    """Words of the dictionary at token i: (tokens used, readings)."""
    tok = toks[i]
    if tok.text in "ケヶヵ":
        return [(1, KE_READINGS)]
    if tok.text == "々":
        prev = next((t.text for t in reversed(toks[:i]) if t.kind == "kanji"), "")
        return [(1, r) for n, r in _readings_from(prev) if n == 1] if prev else []
    # Words of several kanji: only while the tokens are consecutive kanji.
    run = ""
    for t in toks[i:]:
        if t.kind != "kanji":
            break
        run += t.text
    return list(_readings_from(run))


def alignment_cost(name: str, kana: str) -> tuple[int, int]:
    """(cost of the best alignment, characters of the name that count): see the module doc."""
    toks = tokens(name)
    target = fold(kana)
    units = sum(1 for t in toks if t.kind in ("kanji", "kana"))
    n, m = len(toks), len(target)
    best = [[INFINITE] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0
    close_of = _closers(toks)
    for i in range(n + 1):
        row = best[i]
        for j in range(m + 1):
            cost = row[j]
            if cost >= INFINITE:
                continue
            if j < m and row[j + 1] > cost + 1:
                row[j + 1] = cost + 1  # an extra kana character
            if i < n:
                _advance(toks, i, j, cost, target, best, close_of)
    return best[n][m], units


def _closers(toks: list[Token]) -> dict[int, int]:
    out: dict[int, int] = {}
    stack: list[int] = []
    for i, t in enumerate(toks):
        if t.kind == "open":
            stack.append(i)
        elif t.kind == "close" and stack:
            out[stack.pop()] = i
    return out


def _relax(best: list[list[int]], i: int, j: int, cost: int) -> None:
    if best[i][j] > cost:
        best[i][j] = cost


def _advance(
    toks: list[Token],
    i: int,
    j: int,
    cost: int,
    target: str,
    best: list[list[int]],
    close_of: dict[int, int],
) -> None:
    tok, m = toks[i], len(target)
    if tok.kind in ("skip", "close", "open"):
        _relax(best, i + 1, j, cost)
        if tok.kind == "open" and i in close_of:
            _relax(best, close_of[i] + 1, j, cost)  # a bracketed aside may go unread
        return
    if tok.kind == "alnum":
        for length in range(min(m - j, MAX_KANA_PER_ALNUM * len(tok.text)) + 1):
            _relax(best, i + 1, j + length, cost)
        return
    _relax(best, i + 1, j, cost + 1)  # a character not read at all
    if tok.kind == "kana":
        if j < m:
            _relax(best, i + 1, j + 1, cost + (target[j] != tok.text))
        return
    for used, readings in _steps(toks, i):
        for reading in readings:
            if target.startswith(reading, j):
                _relax(best, i + used, j + len(reading), cost)
    for length in range(1, min(m - j, MAX_KANA_PER_KANJI) + 1):
        _relax(best, i + 1, j + length, cost + length)  # a reading the dictionary does not list


class KanaReading(RowCheck):
    """名称_カナ is a plausible reading of 名称 (warning only: readings of names are free)."""

    name = "kana-reading"
    columns = ("name", "kana")

    def __init__(self, spec: Mapping[str, Any], ctx: RowContext) -> None:
        super().__init__(spec, ctx)
        self.costs: dict[tuple[str, str], tuple[int, int]] = {}

    def run(self, rows: Sequence[int], cols: Columns) -> Iterator[tuple[int, str, Issue]]:
        names, kanas = cols[self.spec["name"]], cols[self.spec["kana"]]
        first_with: dict[str, int] = {}
        for i, kana in enumerate(kanas):
            if kana:
                first_with.setdefault(fold(kana), i)
        for i, (name, kana) in enumerate(zip(names, kanas, strict=True)):
            if not name or not kana or any(is_kanji(c) for c in kana):
                continue  # a kanji in a カナ field is the katakana check's finding
            reason = self._reason(i, name, kana, names, rows, first_with)
            if reason is not None:
                params = {"name": name, "name_field": self.spec["name"], **reason}
                yield i, self.spec["kana"], Issue("kana-mismatch", params=params)

    def _cost(self, name: str, kana: str) -> tuple[int, int] | None:
        key = (name, kana)
        if key not in self.costs:
            if len(self.costs) >= PAIRS_LIMIT:
                return None
            self.costs[key] = alignment_cost(name, kana)
        return self.costs[key]

    def _reason(
        self,
        i: int,
        name: str,
        kana: str,
        names: Sequence[str | None],
        rows: Sequence[int],
        first_with: dict[str, int],
    ) -> dict[str, str] | None:
        judged = self._cost(name, kana)
        if judged is None:
            return None
        cost, units = judged
        folded = fold(kana)
        if not folded or not units or cost < NEIGHBOUR_MIN_COST:
            return None
        for j in (i - 1, i + 1, first_with.get(folded, i)):
            other = names[j] if 0 <= j < len(names) else None
            # A name inside the other (車庫 / 車庫・詰所) is the same place named more or less fully.
            related = not other or j == i or other in name or name in other
            theirs = None if related else self._cost(other or "", kana)
            if other and theirs is not None and theirs[0] == 0:
                return {
                    "reason_en": f"it reads '{other}' in row {rows[j]}",
                    "reason_ja": f"{rows[j]}行目の「{other}」の読みです",
                }
        if cost < MIN_COST or cost < MIN_SHARE * max(len(folded), units):
            return None
        if len(folded) < units:
            return {
                "reason_en": "it is far shorter than the name",
                "reason_ja": "名称より大幅に短い",
            }
        if len(folded) > MAX_KANA_PER_KANJI * units:
            return {
                "reason_en": "it is far longer than the name",
                "reason_ja": "名称より大幅に長い",
            }
        return {
            "reason_en": "most of it is not a reading of the name's characters",
            "reason_ja": "名称の文字の読みとほとんど合いません",
        }
