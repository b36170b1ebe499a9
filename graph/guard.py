"""The query guard: a token scan refusing SERVICE, updates, deep or long queries before parsing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = [
    "GuardedQuery",
    "QueryRefused",
    "QueryTooDeep",
    "QueryTooLong",
    "ServiceRefused",
    "UpdateRefused",
    "check_query",
    "decode_codepoint_escapes",
]

#: Keywords that only occur in SPARQL Update requests.
UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
)
QUERY_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})
_OPENERS = frozenset("{([")
_CLOSERS = frozenset("})]")

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_IRI = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")
_VARIABLE = re.compile(r"[?$][A-Za-z0-9_\u00B7\u00C0-\U0010FFFF]*")
_LANGTAG = re.compile(r"@[A-Za-z0-9-]*")
_NAME_CHARS = r"A-Za-z0-9_\-:%\\\u00B7\u00C0-\U0010FFFF"
_WORD = re.compile(rf"[{_NAME_CHARS}]+(?:\.+[{_NAME_CHARS}]+)*")
_SPACE = re.compile(r"\s+")
_LETTERS = re.compile(r"[A-Z]+")


class QueryRefused(ValueError):
    """The guard refused a query before evaluation; ``reason`` is a short machine-readable code."""

    reason = "query_refused"


class ServiceRefused(QueryRefused):
    """The query uses ``SERVICE``: federation would make the server fetch a client-given URL."""

    reason = "service_not_allowed"


class UpdateRefused(QueryRefused):
    """The request is a SPARQL Update (or ``LOAD``) sent to the read-only endpoint."""

    reason = "update_not_allowed"


class QueryTooDeep(QueryRefused):
    """Brackets nest deeper than the limit; the engine's parser could overflow its stack."""

    reason = "query_too_deep"


class QueryTooLong(QueryRefused):
    """The query text is longer than the limit."""

    reason = "query_too_long"


@dataclass(frozen=True, slots=True)
class GuardedQuery:
    """A query the guard let through, with its form (``SELECT``, ``ASK``, ``CONSTRUCT`` ...)."""

    text: str
    form: str | None
    depth: int


def decode_codepoint_escapes(text: str) -> str:
    r"""Replace SPARQL's ``\uXXXX`` and ``\UXXXXXXXX`` escapes by the characters they stand for.

    >>> decode_codepoint_escapes(r"\u0053ERVICE")
    'SERVICE'
    """

    def _decode(match: re.Match[str]) -> str:
        code = int(match[1] or match[2], 16)
        return chr(code) if code <= 0x10FFFF else match[0]

    return _ESCAPE.sub(_decode, text)


def _string_end(text: str, start: int) -> int:
    quote = text[start]
    delimiter = quote * 3 if text.startswith(quote * 3, start) else quote
    index = start + len(delimiter)
    while index < len(text):
        if text[index] == "\\":
            index += 2
            continue
        if text.startswith(delimiter, index):
            return index + len(delimiter)
        if len(delimiter) == 1 and text[index] in "\r\n":
            return index
        index += 1
    return len(text)


def tokens(text: str) -> Iterator[tuple[str, str]]:
    """Split a SPARQL text into ``(kind, value)`` tokens, skipping strings, IRIs and comments.

    Kinds: ``word`` (keywords, prefixed names, numbers), ``open``, ``close``, ``other``.

    >>> found = tokens('SELECT * { ?s ex:inService "SERVICE" } # SERVICE')
    >>> [value for kind, value in found if kind == "word"]
    ['SELECT', 'ex:inService']
    """
    index = 0
    length = len(text)
    while index < length:
        char = text[index]
        if char.isspace():
            index = _SPACE.match(text, index).end()  # type: ignore[union-attr]
        elif char == "#":
            newline = text.find("\n", index)
            index = length if newline < 0 else newline + 1
        elif char in "\"'":
            index = _string_end(text, index)
        elif char == "<":
            iri = _IRI.match(text, index)
            if iri is not None:
                index = iri.end()
            elif text.startswith("<<", index):
                yield "open", "<<"
                index += 2
            else:
                yield "other", char
                index += 1
        elif text.startswith(">>", index):
            yield "close", ">>"
            index += 2
        elif char in _OPENERS:
            yield "open", char
            index += 1
        elif char in _CLOSERS:
            yield "close", char
            index += 1
        elif char in "?$":
            index = _VARIABLE.match(text, index).end()  # type: ignore[union-attr]
        elif char == "@":
            index = _LANGTAG.match(text, index).end()  # type: ignore[union-attr]
        else:
            word = _WORD.match(text, index)
            if word is None:
                yield "other", char
                index += 1
            else:
                yield "word", word[0]
                index = word.end()


def _scan(text: str, max_depth: int) -> tuple[str | None, int]:
    form: str | None = None
    depth = deepest = 0
    for kind, value in tokens(text):
        if kind == "open":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > max_depth:
                raise QueryTooDeep(f"brackets nest deeper than {max_depth} levels")
        elif kind == "close":
            depth = max(depth - 1, 0)
        elif kind == "word" and ":" not in value:
            for keyword in _LETTERS.findall(value.upper()):
                if keyword == "SERVICE":
                    raise ServiceRefused(
                        "SERVICE is not allowed: this endpoint does not fetch remote data"
                    )
                if keyword in UPDATE_KEYWORDS:
                    raise UpdateRefused(
                        f"SPARQL Update ({keyword}) is not allowed: this endpoint is read-only"
                    )
                if form is None and keyword in QUERY_FORMS:
                    form = keyword
    return form, deepest


def check_query(text: str, *, max_length: int = 100 * 1024, max_depth: int = 200) -> GuardedQuery:
    r"""Check a query before it reaches the engine.

    Both the text as given and the text with ``\u`` escapes decoded are scanned, so an
    escape cannot hide a keyword from the guard.

    :param text: the query text
    :param max_length: the most UTF-8 bytes allowed
    :param max_depth: the deepest bracket nesting allowed (``{``, ``(``, ``[``, ``<<``)
    :returns: the query with its form (``None`` when no query form keyword was found)
    :raises QueryTooLong: when the text is longer than ``max_length``
    :raises QueryTooDeep: when brackets nest deeper than ``max_depth``
    :raises ServiceRefused: when ``SERVICE`` occurs as a keyword
    :raises UpdateRefused: when an update keyword (``INSERT``, ``LOAD``, ``DROP`` ...) occurs

    >>> check_query("SELECT * WHERE { ?s ?p ?o }").form
    'SELECT'
    >>> check_query("SELECT * WHERE { SERVICE <http://example.org/> { ?s ?p ?o } }")
    ... # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    ServiceRefused: SERVICE is not allowed: this endpoint does not fetch remote data
    """
    size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > max_length:
        raise QueryTooLong(f"the query is {size} bytes; the limit is {max_length}")
    form, depth = _scan(text, max_depth)
    decoded = decode_codepoint_escapes(text)
    if decoded != text:
        decoded_form, decoded_depth = _scan(decoded, max_depth)
        form, depth = form or decoded_form, max(depth, decoded_depth)
    return GuardedQuery(text, form, depth)
