"""Writing what a command prints: text that survives a terminal's encoding, JSON, errors.

A terminal whose encoding cannot show the tree-drawing characters, the
middle dot or the ellipsis (ASCII, Latin-1) gets plain-ASCII stand-ins for
them; any other character it cannot show is written as a ``\\N{...}``
escape, so output is never lost to a ``UnicodeEncodeError``. JSON is built
whole before it is written, so an error never leaves half a document.
"""

from __future__ import annotations

import errno
import json
import sys
from typing import Any

from ..arguments import check_text
from ..errors import InvalidArgumentError

__all__ = ["emit", "emit_json", "json_text", "say"]

#: Plain-ASCII stand-ins for the characters the text output draws with.
_ASCII = str.maketrans({"└": "`", "├": "|", "│": "|", "─": "-", "·": "-", "…": "...", "→": "->"})


def _fits(stream: Any, text: str) -> str:
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
        return text
    except (UnicodeEncodeError, LookupError):
        pass
    text = text.translate(_ASCII)
    try:
        text.encode(encoding)
        return text
    except UnicodeEncodeError:
        return text.encode(encoding, errors="namereplace").decode(encoding, errors="replace")
    except LookupError:
        return text.encode("ascii", errors="namereplace").decode("ascii")


def emit(text: str = "", *, end: str = "\n") -> None:
    """Write *text* and a new line to standard output, in a form its encoding can show."""
    text = check_text(text, "text", 1 << 30) + check_text(end, "end")
    stream = sys.stdout
    if stream is None:  # started with standard output closed (`icd10kb show L94.2 >&-`)
        raise OSError(errno.EBADF, "standard output is closed")
    stream.write(_fits(stream, text))


def say(text: str) -> None:
    """Write a message for the user to standard error."""
    text = check_text(text, "text", 1 << 30) + "\n"
    stream = sys.stderr
    if stream is None:  # standard error is closed too: there is nowhere to say it
        return
    stream.write(_fits(stream, text))


def json_text(value: Any) -> str:
    """*value* as indented JSON; pydantic models and concepts as their fields."""

    def default(item: Any) -> Any:
        dump = getattr(item, "model_dump", None)
        if dump is not None:
            return dump(mode="json")
        raise TypeError(f"cannot write {type(item).__name__} as JSON")

    try:
        return json.dumps(value, default=default, ensure_ascii=False, indent=2)
    except (TypeError, ValueError, RecursionError) as exc:
        raise InvalidArgumentError(value, f"not JSON: {exc}", "value") from None


def emit_json(value: Any) -> None:
    """Write *value* as JSON to standard output (built whole first)."""
    emit(json_text(value))
