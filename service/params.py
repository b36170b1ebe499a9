"""Reading URL parameters: each one given at most once, bounded in length, of the right kind.

Every refusal is an :class:`~msckg.service.errors.ApiError` 400 that names the parameter.
"""

from __future__ import annotations

from flask import request

from msckg.service.errors import ApiError
from msckg.service.limits import MAX_PARAM_LENGTH

__all__ = [
    "BLANK_CHARACTERS",
    "NOT_BLANK_PATTERN",
    "flag_param",
    "int_param",
    "list_param",
    "number_param",
    "optional_int_param",
    "text_param",
]


#: The characters a required parameter may not consist of alone, each with its regex escape.
#: ASCII whitespace only: Python's ``str.isspace`` and the ECMA-262 ``\s`` of OpenAPI patterns
#: disagree beyond it (``\x1e`` is blank to one, ``\ufeff`` to the other).
_BLANKS = {" ": " ", "\t": r"\t", "\n": r"\n", "\r": r"\r", "\f": r"\f", "\v": r"\v"}
BLANK_CHARACTERS = "".join(_BLANKS)
#: The OpenAPI pattern of a required parameter: some character that is not blank.
NOT_BLANK_PATTERN = "[^" + "".join(_BLANKS.values()) + "]"


def text_param(
    name: str, *, required: bool = False, default: str = "", max_length: int = MAX_PARAM_LENGTH
) -> str:
    """The value of ``name``; a required one must hold more than blanks."""
    values = request.args.getlist(name)
    if len(values) > 1:
        raise ApiError(400, "bad_request", f"give {name!r} once")
    value = values[0] if values else default
    if required and not value.strip(BLANK_CHARACTERS):
        raise ApiError(400, "bad_request", f"the parameter {name!r} is required")
    if len(value) > max_length:
        raise ApiError(400, "bad_request", f"{name!r} is longer than {max_length} characters")
    return value


def int_param(name: str, default: int, *, low: int, high: int) -> int:
    """An integer from ``low`` to ``high``, ``default`` when absent."""
    raw = text_param(name, max_length=12)
    if raw == "":
        return default
    if not raw.isascii() or not raw.lstrip("-").isdigit() or not low <= int(raw) <= high:
        raise ApiError(
            400, "bad_request", f"{name!r} must be an integer from {low} to {high}, got {raw!r}"
        )
    return int(raw)


def optional_int_param(name: str, *, low: int, high: int) -> int | None:
    """Like :func:`int_param`, ``None`` when absent."""
    if text_param(name, max_length=12) == "":
        return None
    return int_param(name, low, low=low, high=high)


def number_param(name: str, default: float, *, low: float, high: float) -> float:
    """A number from ``low`` to ``high``, ``default`` when absent."""
    raw = text_param(name, max_length=40)
    try:
        value = float(raw) if raw else default
    except ValueError:
        raise ApiError(400, "bad_request", f"{name!r} must be a number, got {raw!r}") from None
    if not low <= value <= high:
        raise ApiError(
            400, "bad_request", f"{name!r} must be between {low:g} and {high:g}, got {raw!r}"
        )
    return value


def flag_param(name: str, default: bool) -> bool:
    """``true``/``false`` (also ``1``/``0``, ``yes``/``no``), ``default`` when absent."""
    raw = text_param(name, max_length=10).lower()
    if raw in {"", "default"}:
        return default
    if raw in {"1", "true", "yes"}:
        return True
    if raw in {"0", "false", "no"}:
        return False
    raise ApiError(400, "bad_request", f"{name!r} must be true or false, got {raw!r}")


def list_param(name: str) -> tuple[str, ...]:
    """Comma-separated values, possibly over several occurrences of ``name``."""
    values = request.args.getlist(name)
    if sum(len(v) for v in values) > MAX_PARAM_LENGTH:
        raise ApiError(400, "bad_request", f"{name!r} is longer than {MAX_PARAM_LENGTH} characters")
    return tuple(item.strip() for value in values for item in value.split(",") if item.strip())
