"""SPARQL syntax errors in plain words: the one place a parser's message becomes msckg's.

The engine reports the furthest point its parser reached and the tokens it would have taken
there (``error at 3:11: expected OPTIONAL``); that point is often past the real mistake and the
token list is partial. :func:`explain_syntax_error` reads the query text itself to name the
usual mistakes (an unknown prefix, a missing ``.``, an unclosed string or bracket, a misspelt
query form) where they are, and falls back to the engine's position with its list cleaned up.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from msckg.graph.errors import QuerySyntaxError
from msckg.graph.guard import QUERY_FORMS, UPDATE_KEYWORDS, Token, lex

__all__ = ["PROBLEMS", "explain_syntax_error"]

#: Each kind of mistake :func:`explain_syntax_error` names (``QuerySyntaxError.problem``).
PROBLEMS: dict[str, str] = {
    "unknown_prefix": "a prefixed name whose prefix is not declared",
    "missing_dot": "a triple pattern not ended by '.' before the next one",
    "incomplete_triple": "a triple pattern without its predicate or object",
    "unclosed_string": "a string without its closing quote",
    "unbalanced_brackets": "a bracket never closed, or closed by the wrong one",
    "bad_prefix_declaration": "a PREFIX declaration without a name ending in ':' or an IRI",
    "bad_base_declaration": "a BASE declaration without an IRI",
    "unknown_query_form": "no SELECT, ASK, CONSTRUCT or DESCRIBE (or update operation) first",
    "empty": "no query at all",
    "invalid": "well-formed text the engine refuses (a variable selected twice ...)",
    "unexpected": "any other mistake, at the parser's position",
    "syntax": "the parser's message without a position",
}

_POSITION = re.compile(r"error at (\d+):(\d+): (.*)", re.DOTALL)
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_PREFIX_NAME = re.compile(r"(?:[A-Za-z\u00C0-\U0010FFFF][\w.\-\u00B7\u00C0-\U0010FFFF]*)?:")
_PAIRS = {"{": "}", "(": ")", "[": "]", "<<": ">>"}
_MAX_EXPECTED = 8
_UNKNOWN_PREFIX = "Prefix not found"

#: How many terms a triple pattern still needs after each separator: a subject, predicate and
#: object after ``{``, ``}`` or ``.``; a predicate and object after ``;``; an object after ``,``.
_TERMS_AFTER = {"{": 3, "}": 3, ".": 3, ";": 2, ",": 1}
_PLAIN_TERMS = frozenset({"a", "true", "false"})
_CONSTRAINTS = frozenset({"FILTER", "BIND"})
#: The engine's checks past the grammar, in the words msckg uses; others are shown as they are.
_ENGINE_CHECKS = {
    "IRI parsing failed": "this IRI is not valid: it may not hold spaces, quotes or <>",
    "Duplicated variable name in SELECT": "a variable is selected twice",
    "The SELECT contains a variable that is unbound": (
        "with GROUP BY, SELECT may only name the grouped variables or aggregates"
    ),
    "SELECT * is not authorized with GROUP BY": "SELECT * cannot be used with GROUP BY",
}


@dataclass(frozen=True, slots=True)
class _Found:
    """One explanation: what is wrong, at which character, of which kind, with what data."""

    message: str
    at: int
    problem: str
    details: dict[str, object] | None = None

    def __post_init__(self) -> None:
        if self.problem not in PROBLEMS:
            raise ValueError(f"undocumented syntax problem {self.problem!r}: add it to PROBLEMS")


@dataclass(frozen=True, slots=True)
class _Context:
    text: str
    tokens: list[Token]
    offset: int
    expected: list[str]
    predeclared: tuple[str, ...]
    update: bool


def explain_syntax_error(
    text: str,
    engine_message: str,
    *,
    predeclared: Iterable[str] = (),
    update: bool = False,
) -> QuerySyntaxError:
    """Turn the engine's message about ``text`` into a :class:`QuerySyntaxError` to act on.

    :param text: the query (or update) as the user wrote it
    :param engine_message: the parser's message, ``error at LINE:COLUMN: expected ...``
    :param predeclared: the prefixes the query may use without declaring them (``ent``, ...)
    :param update: whether ``text`` is a SPARQL Update rather than a query
    :returns: the error, with the line and column of the mistake and a ``problem`` kind

    >>> error = explain_syntax_error("SELECT * { ?s foo:p ?o }", "error at 1:20: expected "
    ...     "one of Prefix not found, ['%']", predeclared=["ent"])
    >>> (error.lineno, error.offset, error.problem)
    (1, 15, 'unknown_prefix')
    >>> error.msg.split(";")[0]
    "unknown prefix 'foo:' in 'foo:p'"
    """
    match = _POSITION.match(engine_message)
    if match is None:
        return QuerySyntaxError(engine_message.strip(), engine_message=engine_message)
    line, column = int(match[1]), int(match[2])
    context = _Context(
        text=text,
        tokens=list(lex(text)),
        offset=_offset(text, line, column),
        expected=_expected(match[3]),
        predeclared=tuple(predeclared),
        update=update,
    )
    explainers: tuple[Callable[[_Context], _Found | None], ...] = (
        _unclosed_string,
        _unknown_prefix,
        _prologue_or_form,
        _brackets,
        _triple_shape,
        _engine_check,
    )
    for explain in explainers:
        found = explain(context)
        if found is not None:
            break
    else:
        found = _unexpected(context)
    at_line, at_column = _line_column(text, found.at)
    return QuerySyntaxError(
        found.message,
        at_line,
        at_column,
        found.problem,
        found.details,
        _line_text(text, at_line),
        engine_message=engine_message,
    )


# ---- positions ------------------------------------------------------------------------


def _offset(text: str, line: int, column: int) -> int:
    """The character index of the engine's 1-based ``line``:``column`` in ``text``."""
    start = 0
    for _ in range(line - 1):
        newline = text.find("\n", start)
        if newline < 0:
            return len(text)
        start = newline + 1
    return min(start + column - 1, len(text))


def _line_column(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _line_text(text: str, line: int) -> str:
    lines = text.split("\n")
    return lines[line - 1].rstrip("\r") if 0 < line <= len(lines) else ""


def _quoted(token: Token | None) -> str:
    if token is None:
        return "the end of the query"
    shown = token.value if token.kind != "iri" else f"<{token.value}>"
    return repr(shown if len(shown) <= 40 else shown[:37] + "...")


# ---- the engine's list of expected tokens ---------------------------------------------


def _expected(rest: str) -> list[str]:
    """Split ``expected one of A, "b", ['x' ..= 'y']`` into its items, keeping their quotes."""
    rest = rest.strip()
    rest = rest.removeprefix("expected ").removeprefix("one of ")
    items: list[str] = []
    current: list[str] = []
    depth = 0
    quote = ""
    index = 0
    while index < len(rest):
        char = rest[index]
        if quote:
            current.append(char)
            if char == "\\" and index + 1 < len(rest):
                current.append(rest[index + 1])
                index += 1
            elif char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
            current.append(char)
        elif char == "[":
            depth += 1
            current.append(char)
        elif char == "]":
            depth -= 1
            current.append(char)
        elif char == "," and depth == 0:
            items.append("".join(current).strip())
            current = []
        else:
            current.append(char)
        index += 1
    items.append("".join(current).strip())
    return [item for item in items if item]


def _readable(items: list[str]) -> list[str]:
    """The expected tokens a person can type: quoted symbols and keywords, not character classes."""
    readable = []
    for item in items:
        if item.replace(" ", "") == "['0'..='9']":
            readable.append("a number")
            continue
        if item.startswith("["):
            continue
        if item.startswith('"') and item.endswith('"') and len(item) >= 2:
            symbol = item[1:-1].replace('\\"', '"').replace("\\\\", "\\")
            readable.append(repr(symbol))
        elif " " not in item:
            readable.append(item)
    return readable


# ---- explanations, most specific first ------------------------------------------------


def _unclosed_string(context: _Context) -> _Found | None:
    for token in context.tokens:
        if token.kind == "open_string" and token.start <= context.offset:
            quote = token.value[:3] if token.value[:3] in {'"""', "'''"} else token.value[0]
            where = "the end of the query" if len(quote) == 3 else "the end of its line"
            return _Found(
                f"this string is not closed: expected {quote} before {where}",
                token.start,
                "unclosed_string",
            )
    return None


def _declared_in(tokens: list[Token]) -> list[str]:
    declared = []
    for index, token in enumerate(tokens[:-1]):
        following = tokens[index + 1]
        if token.kind == "word" and token.value.upper() == "PREFIX" and following.kind == "word":
            declared.append(following.value.removesuffix(":"))
    return declared


def _unknown_prefix(context: _Context) -> _Found | None:
    if not any(item == _UNKNOWN_PREFIX for item in context.expected):
        return None
    in_query = _declared_in(context.tokens)
    declared = set(in_query) | set(context.predeclared)
    undeclared = [
        token
        for token in context.tokens
        if token.kind == "word"
        and ":" in token.value
        and not token.value.startswith("_:")
        and _PREFIX_NAME.match(token.value)
        and token.value.split(":", 1)[0] not in declared
    ]
    if not undeclared:
        return None
    before = [token for token in undeclared if token.start < context.offset]
    token = before[-1] if before else undeclared[0]
    prefix = token.value.split(":", 1)[0]
    listed = [*in_query, *sorted(set(context.predeclared) - set(in_query), key=str.casefold)]
    names = [f"{name}:" for name in listed]
    return _Found(
        f"unknown prefix '{prefix}:' in {token.value!r}; declare it (PREFIX {prefix}: <...>) "
        f"or use a declared one: {', '.join(names) if names else 'none are declared'}",
        token.start,
        "unknown_prefix",
        {"prefix": f"{prefix}:", "declared_prefixes": names},
    )


def _prologue_or_form(context: _Context) -> _Found | None:
    """PREFIX and BASE declarations, then the query form (or update operation) keyword."""
    tokens = context.tokens
    index = 0
    while index < len(tokens) and tokens[index].kind == "word":
        keyword = tokens[index].value.upper()
        if keyword == "PREFIX":
            name = tokens[index + 1] if index + 1 < len(tokens) else None
            iri = tokens[index + 2] if index + 2 < len(tokens) else None
            if name is None or name.kind != "word" or not _PREFIX_NAME.fullmatch(name.value):
                return _Found(
                    f"PREFIX needs a name ending in ':' and then an IRI, like PREFIX ex: "
                    f"<http://example.org/>; found {_quoted(name)}",
                    name.start if name is not None else tokens[index].end,
                    "bad_prefix_declaration",
                )
            if iri is None or iri.kind != "iri":
                return _Found(
                    f"PREFIX {name.value} needs an IRI in angle brackets, like <http://example.org/>;"
                    f" found {_quoted(iri)}",
                    iri.start if iri is not None else name.end,
                    "bad_prefix_declaration",
                )
            index += 3
        elif keyword == "BASE":
            iri = tokens[index + 1] if index + 1 < len(tokens) else None
            if iri is None or iri.kind != "iri":
                return _Found(
                    f"BASE needs an IRI in angle brackets; found {_quoted(iri)}",
                    iri.start if iri is not None else tokens[index].end,
                    "bad_base_declaration",
                )
            index += 2
        else:
            break
    first = tokens[index] if index < len(tokens) else None
    allowed = UPDATE_KEYWORDS if context.update else QUERY_FORMS
    if first is not None and first.kind == "word" and first.value.upper() in allowed:
        return None
    if first is None and not tokens:
        return _Found(f"the {'update' if context.update else 'query'} is empty", 0, "empty")
    if context.update:
        lead = "an update starts with " + ", ".join(sorted(allowed))
    else:
        lead = "a query starts with SELECT, ASK, CONSTRUCT or DESCRIBE"
    guess = ""
    if first is not None and first.kind == "word":
        close = difflib.get_close_matches(first.value.upper(), sorted(allowed), n=1, cutoff=0.6)
        guess = f" (did you mean {close[0]}?)" if close else ""
    return _Found(
        f"{lead} (after any PREFIX and BASE declarations), not {_quoted(first)}{guess}",
        first.start if first is not None else len(context.text),
        "unknown_query_form",
    )


def _brackets(context: _Context) -> _Found | None:
    opened: list[Token] = []
    for token in context.tokens:
        if token.kind == "open":
            opened.append(token)
        elif token.kind == "close":
            if not opened:
                if token.start <= context.offset:
                    return _Found(
                        f"{token.value!r} closes nothing: no bracket is open here",
                        token.start,
                        "unbalanced_brackets",
                    )
                return None
            opener = opened.pop()
            if _PAIRS[opener.value] != token.value and token.start <= context.offset:
                line, column = _line_column(context.text, opener.start)
                return _Found(
                    f"{token.value!r} cannot close {opener.value!r} (opened on line {line}, "
                    f"column {column}): expected {_PAIRS[opener.value]!r} first",
                    token.start,
                    "unbalanced_brackets",
                )
    last_end = context.tokens[-1].end if context.tokens else 0
    if opened and context.offset >= last_end:
        opener = opened[-1]
        line, column = _line_column(context.text, opener.start)
        return _Found(
            f"{opener.value!r} opened on line {line}, column {column} is never closed: expected "
            f"{_PAIRS[opener.value]!r} before the end of the "
            f"{'update' if context.update else 'query'}",
            last_end,
            "unbalanced_brackets",
        )
    return None


def _is_term(token: Token) -> bool:
    if token.kind in {"variable", "iri", "string"}:
        return True
    if token.kind != "word":
        return False
    return ":" in token.value or token.value in _PLAIN_TERMS or bool(_NUMBER.fullmatch(token.value))


def _triple_shape(context: _Context) -> _Found | None:
    """A triple pattern with a term too many (a missing ``.``) or too few, inside braces.

    Only the plain shape is judged: subject, predicate and object as variables, IRIs, prefixed
    names or literals. Anything else (paths, blank node brackets, collections, keywords) makes
    the scan wait for the next ``.``, ``{`` or ``}`` rather than guess.
    """
    braces: list[bool] = []  # for each open brace: whether it holds VALUES data
    values_pending = False
    constraint_depth: int | None = None
    parens = 0
    needed: int | None = None
    terms: list[Token] = []
    separator: Token | None = None
    tokens = context.tokens
    skip = 0
    for index, token in enumerate(tokens):
        if skip:
            skip -= 1
            continue
        if token.start > context.offset:
            break
        value = token.value
        if token.kind == "open" and value == "{":
            braces.append(values_pending)
            values_pending, constraint_depth = False, None
            needed, terms, separator = (None if braces[-1] else 3), [], token
            continue
        if token.kind == "close" and value == "}":
            if needed is not None and _short(needed, terms, separator):
                return _incomplete(context.text, needed, terms, separator, token)
            if braces:
                braces.pop()
            needed, terms, separator = (None if braces and braces[-1] else 3), [], token
            continue
        if not braces or braces[-1]:
            continue
        if token.kind == "open" and value == "(":
            parens += 1
            needed = None
            continue
        if token.kind == "close" and value == ")":
            parens = max(parens - 1, 0)
            if constraint_depth is not None and parens == constraint_depth:
                needed, terms, separator, constraint_depth = 3, [], token, None
            continue
        if parens:
            continue
        if token.kind == "other" and value in _TERMS_AFTER:
            if needed is not None and _short(needed, terms, separator):
                return _incomplete(context.text, needed, terms, separator, token)
            needed, terms, separator = _TERMS_AFTER[value], [], token
            continue
        if (
            token.kind == "other"
            and value == "^"
            and index + 2 < len(tokens)
            and tokens[index + 1].value == "^"
            and terms
        ):
            # A literal's datatype: "1"^^xsd:integer is one term, ending after the datatype.
            skip = 2
            literal = terms[-1]
            datatype = tokens[index + 2]
            terms[-1] = Token(
                literal.kind,
                context.text[literal.start : datatype.end],
                literal.start,
                datatype.end,
            )
            continue
        if token.kind == "langtag" and terms:
            literal = terms[-1]
            terms[-1] = Token(literal.kind, literal.value + value, literal.start, token.end)
            continue
        if _is_term(token):
            if needed is not None:
                if len(terms) == needed:
                    return _missing_dot(context.text, terms[-1], token)
                terms.append(token)
            continue
        if token.kind == "word" and value.upper() == "VALUES":
            values_pending = True
        if token.kind == "word" and value.upper() in _CONSTRAINTS:
            constraint_depth = parens
        needed = None
    return None


def _short(needed: int, terms: list[Token], separator: Token | None) -> bool:
    """Whether the pattern stops with too few terms (none after ``;`` or ``{`` is fine)."""
    dangling_comma = not terms and separator is not None and separator.value == ","
    return 0 < len(terms) < needed or dangling_comma


def _missing_dot(text: str, previous: Token, following: Token) -> _Found:
    line, _ = _line_column(text, following.start)
    where = "" if _line_column(text, previous.end)[0] == line else f" on line {line}"
    return _Found(
        f"expected '.' after {_quoted(previous)} to end the triple pattern: {_quoted(following)}"
        f"{where} starts another one",
        previous.end,
        "missing_dot",
    )


def _incomplete(
    text: str, needed: int, terms: list[Token], separator: Token | None, at: Token
) -> _Found:
    ending = f"before {_quoted(at)}"
    if not terms:
        message = f"expected an object after ',', {ending}"
    elif needed == 3 and len(terms) == 1:
        message = (
            f"the triple pattern has only a subject, {_quoted(terms[0])}: expected a predicate "
            f"and an object {ending}"
        )
    else:
        written = text[terms[0].start : terms[-1].end]
        message = f"the triple pattern {written!r} has no object: expected one {ending}"
        if separator is not None and separator.value == ";":
            message = f"expected an object after the predicate {_quoted(terms[-1])}, {ending}"
    return _Found(message, terms[-1].end if terms else at.start, "incomplete_triple")


def _engine_check(context: _Context) -> _Found | None:
    """The engine's own checks past the grammar (``Duplicated variable name in SELECT`` ...)."""
    sentences = [
        item for item in context.expected if " " in item and not item.startswith(("[", '"'))
    ]
    if not sentences:
        return None
    message = "; ".join(_ENGINE_CHECKS.get(sentence, sentence) for sentence in sentences)
    token = _token_at(context)
    at = token.start if token is not None else context.offset
    if "IRI parsing failed" in sentences:  # point at the IRI's '<', not where the parser gave up
        openers = [t for t in context.tokens if t.value == "<" and t.start <= context.offset]
        at = openers[-1].start if openers else at
    return _Found(message, at, "invalid")


def _token_at(context: _Context) -> Token | None:
    for token in context.tokens:
        if token.end > context.offset:
            return token
    return None


def _unexpected(context: _Context) -> _Found:
    token = _token_at(context)
    readable = _readable(context.expected)
    noun = "update" if context.update else "query"
    message = f"unexpected {_quoted(token)}" if token is not None else f"the {noun} ends too soon"
    if readable:
        shown = ", ".join(readable[:_MAX_EXPECTED]) + (
            ", ..." if len(readable) > _MAX_EXPECTED else ""
        )
        message += f"; expected {shown}"
    at = token.start if token is not None and token.start <= context.offset else context.offset
    return _Found(message, at, "unexpected")
