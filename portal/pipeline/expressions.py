"""Arithmetic of source columns in a recipe: `expr: "男 + 女"`, parsed here, never eval'd.

The grammar is tiny, so a hostile recipe can only add, subtract, multiply and divide:

    expression := term (("+" | "-") term)*
    term       := factor (("*" | "/") factor)*
    factor     := ("+" | "-") factor | "(" expression ")" | number | column

A column is a bare name (any characters up to a space, an operator or a parenthesis:
男, 人口総数, 電話番号#2) or a quoted one, for names holding those characters:
「0-14歳」, `男性トイレ数 (小便器)`, "…", '…'. ＋ － × ÷ ＊ ／ are read as + - * /, since a
clerk types them with the Japanese IME on; full-width brackets （） stay part of a name
(男性トイレ数（小便器）). Numbers are 12, 0.5; a name that starts with digits (65歳以上)
is a name.
"""

from __future__ import annotations

import operator
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from portal.pipeline.sources import SourceRef

MAX_EXPRESSION_LENGTH = 2000  # a formula of a few dozen columns; more is not a recipe
MAX_NESTING = 30  # parentheses deep; keeps the parser's recursion far from Python's limit

_OPERATORS = {"+": "+", "-": "-", "*": "*", "/": "/", "＋": "+", "－": "-", "×": "*",
              "÷": "/", "＊": "*", "／": "/", "−": "-"}  # fmt: skip
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_QUOTES = {"「": "」", "`": "`", '"': '"', "'": "'"}
_STOPS = frozenset(_OPERATORS) | frozenset("()") | frozenset(_QUOTES)
_APPLY: dict[str, Callable[[Decimal, Decimal], Decimal]] = {
    "+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
}  # fmt: skip

Evaluator = Callable[[Sequence[Decimal]], Decimal]


class ExpressionError(Exception):
    """A mistake in an expression, at a 1-based character position."""

    def __init__(self, position: int, en: str, ja: str) -> None:
        super().__init__(en)
        self.position, self.en, self.ja = position, en, ja


@dataclass(frozen=True)
class Token:
    kind: str  # number, column, op, (, ), end
    text: str
    position: int  # 1-based, for messages


@dataclass(frozen=True)
class Expression:
    text: str
    columns: list[SourceRef]  # each column once, in order of first use
    evaluate: Evaluator  # the value from the columns' values (in `columns` order)


def _quoted(text: str, i: int) -> tuple[Token, int]:
    close = _QUOTES[text[i]]
    end = text.find(close, i + 1)
    if end < 0:
        raise ExpressionError(i + 1, f"the quote {text[i]} at character {i + 1} is not closed",
                              f"{i + 1}文字目の {text[i]} が閉じていません")  # fmt: skip
    name = text[i + 1 : end].strip()
    if not name:
        raise ExpressionError(i + 1, f"empty column name at character {i + 1}",
                              f"{i + 1}文字目の列名が空です")  # fmt: skip
    return Token("column", name, i + 1), end + 1


def _word(text: str, i: int) -> tuple[Token, int]:
    end = i
    while end < len(text) and not text[end].isspace() and text[end] not in _STOPS:
        end += 1
    word = text[i:end]
    digits = unicodedata.normalize("NFKC", word)
    if _NUMBER.fullmatch(digits):  # not Decimal(): it takes 1e5, NaN, 1_000 as numbers
        return Token("number", digits, i + 1), end
    return Token("column", word, i + 1), end


def tokens(text: str) -> list[Token]:
    out: list[Token] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char.isspace():
            i += 1
        elif char in _OPERATORS:
            out.append(Token("op", _OPERATORS[char], i + 1))
            i += 1
        elif char in "()":
            out.append(Token(char, char, i + 1))
            i += 1
        elif char in _QUOTES:
            token, i = _quoted(text, i)
            out.append(token)
        else:
            token, i = _word(text, i)
            out.append(token)
    out.append(Token("end", "", len(text) + 1))
    return out


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = tokens(text)
        self.at = 0
        self.columns: dict[SourceRef, int] = {}
        self.depth = 0

    def peek(self) -> Token:
        return self.tokens[self.at]

    def take(self) -> Token:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def expression(self) -> Evaluator:
        left = self.term()
        while self.peek().kind == "op" and self.peek().text in "+-":
            left = _binary(self.take().text, left, self.term())
        return left

    def term(self) -> Evaluator:
        left = self.factor()
        while self.peek().kind == "op" and self.peek().text in "*/":
            left = _binary(self.take().text, left, self.factor())
        return left

    def factor(self) -> Evaluator:
        token = self.take()
        if token.kind == "op" and token.text in "+-":
            inner = self.nested(self.factor)
            return inner if token.text == "+" else (lambda v: -inner(v))
        if token.kind == "(":
            inner = self.nested(self.expression)
            closing = self.take()
            if closing.kind != ")":
                raise _expected("')'", "「)」", closing)
            return inner
        if token.kind == "number":
            constant = Decimal(token.text)
            return lambda v: constant
        if token.kind == "column":
            index = self.columns.setdefault(SourceRef(token.text), len(self.columns))
            return lambda v: v[index]
        raise _expected("a column name or a number", "列名か数", token)

    def nested(self, rule: Callable[[], Evaluator]) -> Evaluator:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise ExpressionError(self.peek().position, f"nested deeper than {MAX_NESTING} levels",
                                  f"入れ子が{MAX_NESTING}段を超えています")  # fmt: skip
        try:
            return rule()
        finally:
            self.depth -= 1


def _binary(op: str, left: Evaluator, right: Evaluator) -> Evaluator:
    apply = _APPLY[op]
    return lambda v: apply(left(v), right(v))


def _expected(en: str, ja: str, token: Token) -> ExpressionError:
    found = f"'{token.text}'" if token.kind != "end" else "the end"
    found_ja = f"「{token.text}」" if token.kind != "end" else "式の終わり"
    return ExpressionError(
        token.position,
        f"expected {en} at character {token.position}, found {found}",
        f"{token.position}文字目に{ja}が必要です（{found_ja}があります）",
    )


def parse(text: str) -> Expression:
    """The expression; ExpressionError naming the character where it goes wrong."""
    if len(text) > MAX_EXPRESSION_LENGTH:
        raise ExpressionError(MAX_EXPRESSION_LENGTH, f"longer than {MAX_EXPRESSION_LENGTH} characters",
                              f"{MAX_EXPRESSION_LENGTH}文字を超えています")  # fmt: skip
    parser = _Parser(text)
    evaluate = parser.expression()
    last = parser.take()
    if last.kind != "end":
        raise _expected("an operator (+ - * /)", "演算子（+ - * /）", last)
    if not parser.columns:
        raise ExpressionError(1, "the expression names no column", "式に列名がありません")
    return Expression(text, list(parser.columns), evaluate)


def sum_of(columns: Sequence[SourceRef]) -> Expression:
    """`sum: [男, 女]` as an expression."""
    unique = list(dict.fromkeys(columns))
    index = [unique.index(c) for c in columns]

    def evaluate(values: Sequence[Decimal]) -> Decimal:
        return sum((values[i] for i in index), Decimal(0))

    return Expression(" + ".join(map(str, columns)), unique, evaluate)
