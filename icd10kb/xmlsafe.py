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

__all__ = ["parse_xml"]


class _Refused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def parse_xml(data: bytes, name: str) -> ET.Element:
    """Parse *data* into an element tree, refusing DTDs and entities.

    Parameters
    ----------
    data:
        The document's bytes; the encoding comes from its declaration
        (UTF-8 when none is given).
    name:
        The file's name, for messages.

    Returns
    -------
    xml.etree.ElementTree.Element
        The root element.

    Raises
    ------
    DataFileError
        For malformed XML, a wrong encoding, a DTD or any entity declaration.

    Examples
    --------
    >>> parse_xml(b"<a><b>x</b></a>", "t.xml").find("b").text
    'x'
    >>> parse_xml(b"<!DOCTYPE a [<!ENTITY e 'x'>]><a>&e;</a>", "t.xml")
    Traceback (most recent call last):
      ...
    icd10kb.errors.DataFileError: t.xml, line 1, column 13: document type declarations are not allowed
    """
    builder = ET.TreeBuilder()
    parser = expat.ParserCreate()

    def refuse(message: str) -> NoReturn:
        raise _Refused(message)

    def on_doctype(*_: object) -> None:
        refuse("document type declarations are not allowed")

    def on_entity(*_: object) -> None:
        refuse("entity declarations are not allowed")

    def on_external(*_: object) -> int:
        refuse("external entities are not allowed")

    def on_start(tag: str, attrs: dict[str, str]) -> None:
        builder.start(tag, attrs)

    def on_end(tag: str) -> None:
        builder.end(tag)

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
    parser.CharacterDataHandler = builder.data
    parser.DefaultHandler = on_default
    parser.buffer_text = True
    try:
        parser.Parse(data, True)
    except _Refused as exc:
        raise DataFileError(name, exc.message, parser.CurrentLineNumber, parser.CurrentColumnNumber + 1) from None
    except expat.ExpatError as exc:
        message = expat.errors.messages.get(exc.code, str(exc)) if exc.code else str(exc)
        raise DataFileError(name, f"malformed XML: {message}", exc.lineno, exc.offset + 1) from None
    except (ValueError, UnicodeError, LookupError) as exc:
        raise DataFileError(name, f"cannot be decoded: {exc}") from None
    try:
        return builder.close()
    except AssertionError:  # pragma: no cover - expat reports unbalanced tags first
        raise DataFileError(name, "malformed XML: unbalanced elements") from None
