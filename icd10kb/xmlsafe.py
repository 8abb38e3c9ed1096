"""A small, hostile-input-proof XML reader on top of expat.

The official tabular files contain no document type declaration, so any
DTD, entity declaration or external entity reference is refused outright:
that rules out entity expansion ("billion laughs") and external entity
attacks without depending on the expat version. Syntax errors are reported
with the file name, line and column.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import NoReturn
from xml.parsers import expat

from .errors import DataFileError

__all__ = ["MAX_DEPTH", "MAX_ELEMENTS", "parse_xml"]

#: The most elements a document may hold (the official tabular file has about 180,000).
MAX_ELEMENTS = 2_000_000
#: The deepest nesting of elements allowed (the official tabular file nests 10 deep).
MAX_DEPTH = 64


class _Refused(Exception):
    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


def parse_xml(
    data: bytes,
    name: str,
    *,
    root: str | None = None,
    max_elements: int = MAX_ELEMENTS,
    max_depth: int = MAX_DEPTH,
    max_attributes: int | None = None,
    max_attribute_chars: int | None = None,
    max_text_chars: int | None = None,
    positions: list[tuple[int, int]] | None = None,
) -> ET.Element:
    """Parse *data* into an element tree, refusing DTDs and entities.

    The document is checked as it is read, before the tree is complete: its
    root element (when *root* is given), the number of elements and how deep
    they nest, so that a hostile file costs little before it is refused.

    Parameters
    ----------
    data:
        The document's bytes; the encoding comes from its declaration
        (UTF-8 when none is given).
    name:
        The file's name, for messages.
    root:
        The tag the root element must have.
    max_elements, max_depth:
        The most elements the document may hold, and the deepest nesting.
    max_attributes, max_attribute_chars, max_text_chars:
        When given: the most attributes on one element, the longest attribute
        value, and the most characters of text directly inside one element.
    positions:
        When given, the (line, column) where each element starts is appended
        to it, in document order (that of ``Element.iter()``), so that a
        reader can name the place of problems it finds in the tree.

    Returns
    -------
    xml.etree.ElementTree.Element
        The root element.

    Raises
    ------
    DataFileError
        For malformed XML, a wrong encoding, a DTD or any entity declaration,
        another root element, or more elements or deeper nesting than allowed.

    Examples
    --------
    >>> parse_xml(b"<a><b>x</b></a>", "t.xml").find("b").text
    'x'
    >>> parse_xml(b"<!DOCTYPE a [<!ENTITY e 'x'>]><a>&e;</a>", "t.xml")
    Traceback (most recent call last):
      ...
    icd10kb.errors.DataFileError: t.xml, line 1, column 13: document type declarations are not allowed
    >>> parse_xml(b"<b><a/></b>", "t.xml", root="a")
    Traceback (most recent call last):
      ...
    icd10kb.errors.DataFileError: t.xml, line 1, column 1: the root element is <b>, not <a>
    """
    from .arguments import check_bytes, check_int, check_text

    data, name = check_bytes(data, "XML data"), check_text(name, "file name", 4096)
    root = None if root is None else check_text(root, "root element", 200)
    max_elements, max_depth = check_int(max_elements, "max_elements", 1), check_int(max_depth, "max_depth", 1)
    limits = {"max_attributes": max_attributes, "max_attribute_chars": max_attribute_chars}
    limits["max_text_chars"] = max_text_chars
    for what, value in limits.items():
        if value is not None:
            check_int(value, what, 0)
    if positions is not None and type(positions) is not list:
        from .errors import InvalidArgumentError

        raise InvalidArgumentError(positions, "positions is a list to fill, or None", "positions")
    builder = ET.TreeBuilder()
    parser = expat.ParserCreate()

    def refuse(message: str) -> NoReturn:  # where the parser stands now: the start of the element at fault
        raise _Refused(message, parser.CurrentLineNumber, parser.CurrentColumnNumber + 1)

    def on_doctype(*_: object) -> None:
        refuse("document type declarations are not allowed")

    def on_entity(*_: object) -> None:
        refuse("entity declarations are not allowed")

    def on_external(*_: object) -> int:
        refuse("external entities are not allowed")

    count = 0
    text: list[int] = []  # characters of text directly inside each open element

    def on_start(tag: str, attrs: dict[str, str]) -> None:
        nonlocal count
        if count == 0 and root is not None and tag != root:
            refuse(f"the root element is <{tag[:40]}>, not <{root}>")
        count += 1
        if count > max_elements:
            refuse(f"more than {max_elements:,} elements")
        if len(text) >= max_depth:
            refuse(f"elements nest deeper than {max_depth} levels")
        if max_attributes is not None and len(attrs) > max_attributes:
            refuse(f"<{tag[:40]}> has {len(attrs)} attributes (at most {max_attributes})")
        if max_attribute_chars is not None:
            for key, value in attrs.items():
                if len(value) > max_attribute_chars:
                    length = f"{len(value)} characters long (at most {max_attribute_chars})"
                    refuse(f"attribute {key[:40]!r} of <{tag[:40]}> is {length}")
        if positions is not None:
            positions.append((parser.CurrentLineNumber, parser.CurrentColumnNumber + 1))
        text.append(0)
        builder.start(tag, attrs)

    def on_end(tag: str) -> None:
        text.pop()
        builder.end(tag)

    def on_text(chunk: str) -> None:
        if max_text_chars is not None and text:
            text[-1] += len(chunk)
            if text[-1] > max_text_chars:
                refuse(f"more than {max_text_chars} characters of text in one element")
        builder.data(chunk)

    def on_default(text: str) -> None:
        # Reached for references to undeclared entities, among others.
        if text.startswith("&"):
            refuse(f"undefined entity {text}")

    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = on_doctype
    parser.EntityDeclHandler = on_entity
    parser.UnparsedEntityDeclHandler = on_entity
    parser.ExternalEntityRefHandler = on_external
    parser.StartElementHandler = on_start
    parser.EndElementHandler = on_end
    parser.CharacterDataHandler = on_text
    parser.DefaultHandler = on_default
    parser.buffer_text = True
    try:
        parser.Parse(data, True)
    except _Refused as exc:
        raise DataFileError(name, exc.message, exc.line, exc.column) from None
    except expat.ExpatError as exc:
        message = expat.errors.messages.get(exc.code, str(exc)) if exc.code else str(exc)
        raise DataFileError(name, f"malformed XML: {message}", exc.lineno, exc.offset + 1) from None
    except (ValueError, UnicodeError, LookupError) as exc:
        raise DataFileError(name, f"cannot be decoded: {exc}") from None
    try:
        return builder.close()
    except AssertionError:  # pragma: no cover - expat reports unbalanced tags first
        raise DataFileError(name, "malformed XML: unbalanced elements") from None
