"""A cheap first pass over an index file that refuses hostile XML before any tree is built.

:func:`icd10kb.xmlsafe.parse_xml` refuses document type declarations and
entities, but it builds the whole tree before anyone looks at it. The index
reader first runs :func:`scan`, one expat pass with no tree, which stops at
the first sign of trouble:

- a document type declaration (so no entity is ever declared, let alone expanded);
- a root element other than the expected one (checked at the first tag);
- elements nested deeper than :data:`MAX_DEPTH`;
- more than :data:`MAX_ELEMENTS` elements in all;
- an element with more than :data:`MAX_ATTRIBUTES` attributes, an attribute
  value longer than :data:`MAX_ATTRIBUTE_CHARS`, or more than
  :data:`MAX_TEXT_CHARS` characters of text directly inside one element.

The limits are far above anything in the official files (the Index to
Diseases and Injuries, the largest, nests 14 deep and has titles of a few
hundred characters). The pass also records where each element starts, so the
reader can name the line and column of structural problems found later.
"""

from __future__ import annotations

from typing import NoReturn
from xml.parsers import expat

from ..errors import DataFileError

__all__ = ["MAX_ATTRIBUTES", "MAX_ATTRIBUTE_CHARS", "MAX_DEPTH", "MAX_ELEMENTS", "MAX_TEXT_CHARS", "scan"]

#: Deepest element nesting accepted (root = 1).
MAX_DEPTH = 32
#: Most elements accepted in one file.
MAX_ELEMENTS = 4_000_000
#: Most attributes on one element.
MAX_ATTRIBUTES = 8
#: Longest attribute value accepted.
MAX_ATTRIBUTE_CHARS = 256
#: Most characters of text directly inside one element.
MAX_TEXT_CHARS = 16_384


class _Stop(Exception):
    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


def scan(data: bytes, name: str, root: str) -> list[tuple[int, int]]:
    """Check *data* cheaply and return the (line, column) where each element starts.

    Parameters
    ----------
    data:
        The document's bytes.
    name:
        The file's name, for messages.
    root:
        The root element the document must have.

    Returns
    -------
    list of (int, int)
        One 1-based position per element, in document order (the order of
        ``Element.iter()``).

    Raises
    ------
    DataFileError
        Naming the file, line and column of the first problem.

    Examples
    --------
    >>> scan(b"<ICD10CM.index>\\n  <letter/>\\n</ICD10CM.index>", "t.xml", "ICD10CM.index")
    [(1, 1), (2, 3)]
    >>> scan(b"<ICD10CM.tabular/>", "t.xml", "ICD10CM.index")
    Traceback (most recent call last):
      ...
    icd10kb.errors.DataFileError: t.xml, line 1, column 1: root element is <ICD10CM.tabular>, not <ICD10CM.index>
    """
    parser = expat.ParserCreate()
    positions: list[tuple[int, int]] = []
    text: list[int] = []  # characters of text directly inside each open element

    def stop(message: str) -> NoReturn:
        raise _Stop(message, parser.CurrentLineNumber, parser.CurrentColumnNumber + 1)

    def on_doctype(*_: object) -> None:
        stop("document type declarations are not allowed")

    def on_start(tag: str, attrs: dict[str, str]) -> None:
        if not positions and tag != root:
            stop(f"root element is <{tag[:40]}>, not <{root}>")
        if len(text) >= MAX_DEPTH:
            stop(f"elements nest deeper than {MAX_DEPTH} levels")
        if len(positions) >= MAX_ELEMENTS:
            stop(f"more than {MAX_ELEMENTS} elements")
        if len(attrs) > MAX_ATTRIBUTES:
            stop(f"<{tag[:40]}> has {len(attrs)} attributes (at most {MAX_ATTRIBUTES})")
        for key, value in attrs.items():
            if len(value) > MAX_ATTRIBUTE_CHARS:
                length = f"{len(value)} characters long (at most {MAX_ATTRIBUTE_CHARS})"
                stop(f"attribute {key[:40]!r} of <{tag[:40]}> is {length}")
        positions.append((parser.CurrentLineNumber, parser.CurrentColumnNumber + 1))
        text.append(0)

    def on_end(_: str) -> None:
        text.pop()

    def on_text(chunk: str) -> None:
        if text:
            text[-1] += len(chunk)
            if text[-1] > MAX_TEXT_CHARS:
                stop(f"more than {MAX_TEXT_CHARS} characters of text in one element")

    def on_default(chunk: str) -> None:
        if chunk.startswith("&"):
            stop(f"undefined entity {chunk[:40]}")

    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = on_doctype
    parser.EntityDeclHandler = on_doctype
    parser.StartElementHandler = on_start
    parser.EndElementHandler = on_end
    parser.CharacterDataHandler = on_text
    parser.DefaultHandler = on_default
    parser.buffer_text = True
    try:
        parser.Parse(data, True)
    except _Stop as exc:
        raise DataFileError(name, exc.message, exc.line, exc.column) from None
    except expat.ExpatError as exc:
        message = expat.errors.messages.get(exc.code, str(exc)) if exc.code else str(exc)
        raise DataFileError(name, f"malformed XML: {message}", exc.lineno, exc.offset + 1) from None
    except (ValueError, UnicodeError, LookupError) as exc:
        raise DataFileError(name, f"cannot be decoded: {exc}") from None
    if not positions:  # pragma: no cover - expat reports an empty document first
        raise DataFileError(name, "no root element")
    return positions
