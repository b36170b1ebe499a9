"""The query guard: a token scan refusing SERVICE, LOAD, updates, deep or long text, pre-parse."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

__all__ = [
    "GuardedQuery",
    "LoadRefused",
    "QueryRefused",
    "QueryTooDeep",
    "QueryTooLong",
    "ServiceRefused",
    "Token",
    "UpdateRefused",
    "check_query",
    "check_update",
    "decode_codepoint_escapes",
    "is_allowed",
    "lex",
    "names_dataset",
    "tokens",
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


class LoadRefused(UpdateRefused):
    """The update would ``LOAD`` a URL that the allow-list does not name."""

    reason = "load_not_allowed"


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


def _string_end(text: str, start: int) -> tuple[int, bool]:
    """Where the string opened at ``start`` ends, and whether its closing quote was found."""
    quote = text[start]
    delimiter = quote * 3 if text.startswith(quote * 3, start) else quote
    index = start + len(delimiter)
    while index < len(text):
        if text[index] == "\\":
            index += 2
            continue
        if text.startswith(delimiter, index):
            return index + len(delimiter), True
        if len(delimiter) == 1 and text[index] in "\r\n":
            return index, False
        index += 1
    return len(text), False


class Token(NamedTuple):
    """One lexical token of a SPARQL text: its kind, its text and where it lies (``start:end``)."""

    kind: str
    value: str
    start: int
    end: int


#: The kinds :func:`tokens` yields; :func:`lex` adds ``string``, ``open_string`` (a string whose
#: closing quote is missing), ``variable`` and ``langtag``.
_GUARD_KINDS = frozenset({"word", "iri", "open", "close", "other"})


def lex(text: str) -> Iterator[Token]:
    """Split a SPARQL text into positioned tokens, skipping white space and comments.

    Kinds: ``word`` (keywords, prefixed names, numbers), ``iri`` (``<...>``, the value without
    brackets), ``string``, ``open_string`` (no closing quote), ``variable``, ``langtag``,
    ``open`` and ``close`` (brackets, ``<<`` and ``>>``), ``other``.

    >>> [(t.kind, t.value) for t in lex('SELECT ?s { ?s ex:p "a"@en } # note')]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('word', 'SELECT'), ('variable', '?s'), ('open', '{'), ('variable', '?s'),
     ('word', 'ex:p'), ('string', '"a"'), ('langtag', '@en'), ('close', '}')]
    """
    index = 0
    length = len(text)
    while index < length:
        char = text[index]
        start = index
        if char.isspace():
            index = _end_of(_SPACE, text, index)
        elif char == "#":
            newline = text.find("\n", index)
            index = length if newline < 0 else newline + 1
        elif char in "\"'":
            index, closed = _string_end(text, index)
            yield Token("string" if closed else "open_string", text[start:index], start, index)
        elif char == "<":
            iri = _IRI.match(text, index)
            if iri is not None:
                index = iri.end()
                yield Token("iri", iri[0][1:-1], start, index)
            elif text.startswith("<<", index):
                index += 2
                yield Token("open", "<<", start, index)
            else:
                index += 1
                yield Token("other", char, start, index)
        elif text.startswith(">>", index):
            index += 2
            yield Token("close", ">>", start, index)
        elif char in _OPENERS:
            index += 1
            yield Token("open", char, start, index)
        elif char in _CLOSERS:
            index += 1
            yield Token("close", char, start, index)
        elif char in "?$":
            index = _end_of(_VARIABLE, text, index)
            yield Token("variable", text[start:index], start, index)
        elif char == "@":
            index = _end_of(_LANGTAG, text, index)
            yield Token("langtag", text[start:index], start, index)
        else:
            word = _WORD.match(text, index)
            if word is None:
                index += 1
                yield Token("other", char, start, index)
            else:
                index = word.end()
                yield Token("word", word[0], start, index)


def tokens(text: str) -> Iterator[tuple[str, str]]:
    """Split a SPARQL text into ``(kind, value)`` tokens, skipping strings, IRIs and comments.

    Kinds: ``word`` (keywords, prefixed names, numbers), ``iri`` (``<...>``), ``open``,
    ``close``, ``other``.

    >>> found = tokens('SELECT * { ?s ex:inService "SERVICE" } # SERVICE')
    >>> [value for kind, value in found if kind == "word"]
    ['SELECT', 'ex:inService']
    """
    for token in lex(text):
        if token.kind in _GUARD_KINDS:
            yield token.kind, token.value


def names_dataset(text: str) -> bool:
    """Whether a query names its own dataset with ``FROM`` or ``FROM NAMED``.

    Such a query's default graph is the one it names, not the store's union of all graphs.

    >>> names_dataset("SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }")
    True
    >>> names_dataset('SELECT * WHERE { ?s ex:from "FROM" } # FROM')
    False
    """
    words = (
        value.upper() for kind, value in tokens(decode_codepoint_escapes(text)) if kind == "word"
    )
    return "FROM" in words


def is_allowed(iri: str, allow_list: tuple[str, ...]) -> bool:
    """Whether ``iri`` is on the allow-list: named there, or under an entry ending ``/`` or ``#``.

    >>> is_allowed("http://example.org/data/x.ttl", ("http://example.org/data/",))
    True
    >>> is_allowed("http://example.org.evil.test/", ("http://example.org",))
    False
    """
    return any(
        iri == entry or (entry.endswith(("/", "#")) and iri.startswith(entry))
        for entry in allow_list
    )


def _fetched_iri(found: list[tuple[str, str]], index: int) -> str | None:
    """The IRI after the keyword at ``index`` (``SILENT`` skipped), or ``None`` if not an IRI."""
    following = found[index + 1 : index + 3]
    if following and following[0][0] == "word" and following[0][1].upper() == "SILENT":
        following = following[1:]
    if following and following[0][0] == "iri":
        return following[0][1]
    return None


def _check_fetch(
    keyword: str, found: list[tuple[str, str]], index: int, allow_list: tuple[str, ...]
) -> None:
    iri = _fetched_iri(found, index)
    if iri is not None and is_allowed(iri, allow_list):
        return
    target = f"<{iri}>" if iri is not None else "a variable or prefixed name"
    if keyword == "SERVICE":
        if not allow_list:
            raise ServiceRefused("SERVICE is not allowed: this endpoint does not fetch remote data")
        raise ServiceRefused(f"SERVICE is not allowed to {target}: not on the allow-list")
    raise LoadRefused(f"LOAD is not allowed from {target}: not on the allow-list")


def _end_of(pattern: re.Pattern[str], text: str, index: int) -> int:
    """Where ``pattern`` ends, matched at ``index`` (it matches there by construction)."""
    match = pattern.match(text, index)
    return index + 1 if match is None else match.end()


def _scan(
    text: str, max_depth: int, *, update: bool = False, allow_list: tuple[str, ...] = ()
) -> tuple[str | None, int]:
    form: str | None = None
    depth = deepest = 0
    found = list(tokens(text))
    for index, (kind, value) in enumerate(found):
        if kind == "open":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > max_depth:
                raise QueryTooDeep(f"brackets nest deeper than {max_depth} levels")
        elif kind == "close":
            depth = max(depth - 1, 0)
        elif kind == "word" and ":" not in value:
            for keyword in _LETTERS.findall(value.upper()):
                if keyword == "SERVICE" or (update and keyword == "LOAD"):
                    _check_fetch(keyword, found, index, allow_list)
                elif keyword in UPDATE_KEYWORDS and not update:
                    raise UpdateRefused(
                        f"SPARQL Update ({keyword}) is not allowed: this endpoint is read-only"
                    )
                elif form is None and keyword in QUERY_FORMS:
                    form = keyword
    return form, deepest


def check_query(
    text: str,
    *,
    max_length: int = 100 * 1024,
    max_depth: int = 200,
    allow_list: tuple[str, ...] = (),
) -> GuardedQuery:
    r"""Check a query before it reaches the engine.

    Both the text as given and the text with ``\u`` escapes decoded are scanned, so an
    escape cannot hide a keyword from the guard.

    :param text: the query text
    :param max_length: the most UTF-8 bytes allowed
    :param max_depth: the deepest bracket nesting allowed (``{``, ``(``, ``[``, ``<<``)
    :param allow_list: IRIs ``SERVICE`` may call (see :func:`is_allowed`); empty: none
    :returns: the query with its form (``None`` when no query form keyword was found)
    :raises QueryTooLong: when the text is longer than ``max_length``
    :raises QueryTooDeep: when brackets nest deeper than ``max_depth``
    :raises ServiceRefused: when ``SERVICE`` occurs as a keyword, not followed by an allowed IRI
    :raises UpdateRefused: when an update keyword (``INSERT``, ``LOAD``, ``DROP`` ...) occurs

    >>> check_query("SELECT * WHERE { ?s ?p ?o }").form
    'SELECT'
    >>> check_query("SELECT * WHERE { SERVICE <http://example.org/> { ?s ?p ?o } }")
    ... # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    ServiceRefused: SERVICE is not allowed: this endpoint does not fetch remote data
    """
    return _check(text, max_length, max_depth, update=False, allow_list=allow_list)


def check_update(
    text: str,
    *,
    max_length: int = 100 * 1024,
    max_depth: int = 200,
    allow_list: tuple[str, ...] = (),
) -> GuardedQuery:
    r"""Check a SPARQL Update before it reaches the engine: size, depth, and what it would fetch.

    ``LOAD`` and ``SERVICE`` must be followed by an IRI the allow-list permits; a variable, a
    prefixed name or an IRI written with ``\u`` escapes is refused, as the guard cannot vouch
    for it.

    :param text: the update text
    :param allow_list: IRIs ``LOAD`` and ``SERVICE`` may fetch (see :func:`is_allowed`)
    :returns: the update (``form`` is ``None``)
    :raises QueryTooLong: when the text is longer than ``max_length``
    :raises QueryTooDeep: when brackets nest deeper than ``max_depth``
    :raises ServiceRefused: for ``SERVICE`` to an IRI not on the allow-list
    :raises LoadRefused: for ``LOAD`` from an IRI not on the allow-list

    >>> check_update("INSERT DATA { ent:a rdfs:label 'a' }").text
    "INSERT DATA { ent:a rdfs:label 'a' }"
    >>> check_update("LOAD <http://127.0.0.1:9/x.ttl>")  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    LoadRefused: LOAD is not allowed from <http://127.0.0.1:9/x.ttl>: not on the allow-list
    """
    guarded = _check(text, max_length, max_depth, update=True, allow_list=allow_list)
    return GuardedQuery(guarded.text, None, guarded.depth)


def _check(
    text: str, max_length: int, max_depth: int, *, update: bool, allow_list: tuple[str, ...]
) -> GuardedQuery:
    size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > max_length:
        kind = "update" if update else "query"
        raise QueryTooLong(f"the {kind} is {size} bytes; the limit is {max_length}")
    form, depth = _scan(text, max_depth, update=update, allow_list=allow_list)
    decoded = decode_codepoint_escapes(text)
    if decoded != text:
        decoded_form, decoded_depth = _scan(
            decoded, max_depth, update=update, allow_list=allow_list
        )
        form, depth = form or decoded_form, max(depth, decoded_depth)
    return GuardedQuery(text, form, depth)
