"""Reading the official ICD-10-CM index XML format (root ``<ICD10CM.index>``).

One format serves four files that NCHS publishes with each release: the
Index to Diseases and Injuries, the External Cause of Injuries Index, the
Table of Drugs and Chemicals and the Table of Neoplasms (schemas
``icd10cm-index-*.xsd`` and ``icd-10-cm-drug-neoplasm-*.xsd``). A file holds
letters of main terms; each term has a title (text, an optional
``<nemod>`` non-essential modifier, possibly more text), optional ``<see>``,
``<seeAlso>``, ``<code>``, ``<manif>``, ``<subcat>``, ``<seecat>``,
``<warning>``, table cells ``<cell col="N">`` whose meaning the
``<indexHeading>`` gives, and nested ``<term level="N">`` subterms.

Addenda files mark changes with ``<new>``, ``<old>`` and ``<unc>``; the
reader keeps the text as it reads after the change (``<old>`` text dropped).

The file is read in one pass by :func:`icd10kb.xmlsafe.parse_xml`, which
refuses a hostile file before the tree is complete: any document type
declaration or entity, another root element (at the first tag), and more
than the limits below allow. The limits are far above anything in the
official files (the Index to Diseases and Injuries, the largest, nests 14
deep and has titles of a few hundred characters). The pass records where each
element starts, so structural problems found later are collected into one
:class:`~icd10kb.errors.DataFileError` naming up to 20 of them, each with its
line and column.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass

from ..errors import DataFileError
from ..files import Source, read_bytes
from ..xmlsafe import parse_xml

__all__ = [
    "MAX_ATTRIBUTES",
    "MAX_ATTRIBUTE_CHARS",
    "MAX_DEPTH",
    "MAX_ELEMENTS",
    "MAX_TEXT_CHARS",
    "IndexFile",
    "IndexTerm",
    "read_index",
]

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

ROOT = "ICD10CM.index"
_SINGLE = ("see", "seeAlso", "code", "manif", "subcat", "seecat", "warning")
_SPACE = re.compile(r"\s+")
_NUMBER = re.compile(r"[0-9]{1,3}")
_MAX_SHOWN = 20
_MAX_COLUMNS = 9
_MAX_LEVEL = 9


@dataclass(frozen=True)
class IndexTerm:
    """One main term or subterm of an index file, as the file has it.

    Attributes
    ----------
    title:
        The essential words of the title (the ``<nemod>`` left out), e.g.
        ``'Acid NEC'``.
    nemod:
        The non-essential modifier, e.g. ``'(corrosive)'``, or ``''``.
    display:
        The title as printed, modifier included: ``'Acid (corrosive) NEC'``.
    see, see_also, code, manif, subcat, seecat, warning:
        The text of those elements, ``''`` where absent.
    cells:
        Columns 2, 3, ... of a table row as printed (``'T39.1X1'``,
        ``'C34.9-'``, ``'--'``), ``''`` where the file has no cell; empty
        for a file without ``<indexHeading>``.
    terms:
        The subterms, in file order.
    """

    title: str
    nemod: str
    display: str
    see: str = ""
    see_also: str = ""
    code: str = ""
    manif: str = ""
    subcat: str = ""
    seecat: str = ""
    warning: str = ""
    cells: tuple[str, ...] = ()
    terms: tuple[IndexTerm, ...] = ()


@dataclass(frozen=True)
class IndexFile:
    """A whole index file.

    Attributes
    ----------
    name, sha256:
        The file's name and the SHA-256 of its bytes as stored.
    version, title:
        The ``<version>`` and ``<title>`` of the file (``''`` if absent).
    heading:
        The column headings of a table, column 1 first; empty for an index.
    terms:
        The main terms, in file order (letters are not kept: they are the
        initials of the main terms).
    """

    name: str
    sha256: str
    version: str
    title: str
    heading: tuple[str, ...]
    terms: tuple[IndexTerm, ...]

    def walk(self) -> Iterator[tuple[tuple[IndexTerm, ...], IndexTerm]]:
        """Every term in file order with the path of terms above it (main term first).

        Examples
        --------
        >>> from icd10kb.tables import table
        >>> path, term = next(iter(table("neoplasm").walk()))
        >>> path, term.title
        ((), 'Neoplasm, neoplastic')
        """
        stack: list[tuple[tuple[IndexTerm, ...], IndexTerm]] = [((), t) for t in reversed(self.terms)]
        while stack:
            path, term = stack.pop()
            yield path, term
            below = (*path, term)
            stack.extend((below, t) for t in reversed(term.terms))


def clean(text: str) -> str:
    """Collapse white space and drop the space the XML leaves before a comma."""
    return _SPACE.sub(" ", text).strip().replace(" ,", ",")


def _content(element: ET.Element, parts: list[str], nemod: list[str] | None = None) -> None:
    """Append the text of *element* as it reads after any addenda change; nemods go to *nemod*."""
    if element.text:
        parts.append(element.text)
    for child in element:
        if child.tag == "nemod" and nemod is not None:
            inner: list[str] = []
            _content(child, inner)
            nemod.append("".join(inner))
            parts.append(" ")
        elif child.tag != "old":
            _content(child, parts, nemod)
        if child.tail:
            parts.append(child.tail)


def _text(element: ET.Element) -> str:
    parts: list[str] = []
    _content(element, parts)
    return clean("".join(parts))


class _Reader:
    def __init__(self, name: str, positions: dict[int, tuple[int, int]]) -> None:
        self.name = name
        self.positions = positions
        self.problems: list[tuple[str, tuple[int, int] | None]] = []
        self.count = 0
        self.columns = 0

    def problem(self, element: ET.Element, message: str) -> None:
        self.count += 1
        if len(self.problems) < _MAX_SHOWN:
            self.problems.append((message, self.positions.get(id(element))))

    def raise_if_any(self) -> None:
        if not self.count:
            return
        shown = "; ".join(f"line {p[0]}, column {p[1]}: {m}" if p else m for m, p in self.problems)
        more = f"; … and {self.count - len(self.problems)} more" if self.count > len(self.problems) else ""
        first = self.problems[0][1] or (None, None)
        raise DataFileError(self.name, f"{self.count} problem(s): {shown}{more}", first[0], first[1])

    def number(self, element: ET.Element, attribute: str, low: int, high: int) -> int | None:
        raw = element.get(attribute)
        if raw is None or not _NUMBER.fullmatch(raw.strip()) or not low <= int(raw) <= high:
            self.problem(
                element, f"<{element.tag}> needs {attribute}= a whole number from {low} to {high}, not {raw!r}"
            )
            return None
        return int(raw)

    def heading(self, element: ET.Element) -> tuple[str, ...]:
        heads: dict[int, str] = {}
        for head in element:
            if head.tag != "head":
                self.problem(head, f"unexpected <{head.tag[:40]}> in <indexHeading>")
                continue
            col = self.number(head, "col", 1, _MAX_COLUMNS)
            if col is not None:
                if col in heads:
                    self.problem(head, f"column {col} is headed twice")
                heads[col] = _text(head)
        if heads and sorted(heads) != list(range(1, len(heads) + 1)):
            self.problem(element, f"columns {sorted(heads)} are not numbered 1 to {len(heads)}")
        return tuple(heads[c] for c in sorted(heads))

    def term(self, element: ET.Element, level: int) -> IndexTerm | None:
        if level and self.number(element, "level", 1, _MAX_LEVEL) not in (None, level):
            self.problem(element, f"<term level={element.get('level')!r}> sits at level {level}")
        title: tuple[str, str, str] | None = None
        fields: dict[str, str] = {}
        cells: dict[int, str] = {}
        terms: list[IndexTerm] = []
        for child in element:
            tag = child.tag
            if tag in ("title", "diff"):
                if title is not None:
                    self.problem(child, f"<{element.tag}> has two titles")
                title = self.title(child)
            elif tag in _SINGLE:
                if tag in fields:
                    self.problem(child, f"<{element.tag}> has two <{tag}> elements")
                fields[tag] = _text(child)
            elif tag == "cell":
                col = self.number(child, "col", 2, max(self.columns, 2))
                if not self.columns:
                    self.problem(child, "<cell> in a file without <indexHeading>")
                elif col is not None:
                    if col in cells:
                        self.problem(child, f"column {col} is given twice")
                    cells[col] = _text(child)
            elif tag == "term":
                sub = self.term(child, level + 1)
                if sub is not None:
                    terms.append(sub)
            else:
                self.problem(child, f"unexpected <{tag[:40]}> in <{element.tag}>")
        if title is None or not title[0]:
            self.problem(element, f"<{element.tag}> has no title")
            return None
        essential, nemod, display = title
        return IndexTerm(
            title=essential,
            nemod=nemod,
            display=display,
            see=fields.get("see", ""),
            see_also=fields.get("seeAlso", ""),
            code=fields.get("code", ""),
            manif=fields.get("manif", ""),
            subcat=fields.get("subcat", ""),
            seecat=fields.get("seecat", ""),
            warning=fields.get("warning", ""),
            cells=tuple(cells.get(c, "") for c in range(2, self.columns + 1)) if self.columns else (),
            terms=tuple(terms),
        )

    def title(self, element: ET.Element) -> tuple[str, str, str]:
        parts: list[str] = []
        nemods: list[str] = []
        _content(element, parts, nemods)
        if len(nemods) > 1:
            self.problem(element, "a title has more than one <nemod>")
        nemod = clean(" ".join(nemods))
        essential = clean("".join(parts))
        if not nemods:
            return essential, "", essential
        display: list[str] = []
        _display(element, display)
        return essential, nemod, clean("".join(display))


def _display(element: ET.Element, parts: list[str]) -> None:
    """The title as printed: the modifier in place, set off by spaces."""
    if element.text:
        parts.append(element.text)
    for child in element:
        if child.tag == "nemod":
            parts.append(" " + _text(child) + " ")
        elif child.tag != "old":
            _display(child, parts)
        if child.tail:
            parts.append(child.tail)


def read_index(source: Source) -> IndexFile:
    """Read an official index XML file: an index, the drug table or the neoplasm table.

    Parameters
    ----------
    source:
        A path, ``PathLike`` or binary file object; gzip is read transparently.

    Returns
    -------
    IndexFile
        Its version, title, column headings and main terms.

    Raises
    ------
    DataFileError
        If the file cannot be read, is not well-formed, is hostile (DTD,
        entities, wrong root, deep nesting, too many elements, oversized
        attributes or text), or does not follow the index schema; the
        message names the file and where.

    Examples
    --------
    >>> import io
    >>> doc = b'''<ICD10CM.index><version>2099</version><letter><title>F</title>
    ...   <mainTerm><title>Fall, falling<nemod>(accidental)</nemod></title><code>W19</code>
    ...     <term level="1"><title>from ladder</title><code>W11</code></term></mainTerm>
    ... </letter></ICD10CM.index>'''
    >>> index = read_index(io.BytesIO(doc))
    >>> main = index.terms[0]
    >>> main.title, main.nemod, main.display, main.code
    ('Fall, falling', '(accidental)', 'Fall, falling (accidental)', 'W19')
    >>> main.terms[0].title, main.terms[0].code
    ('from ladder', 'W11')
    """
    data, name, checksum = read_bytes(source)
    positions: list[tuple[int, int]] = []
    root = parse_xml(
        data,
        name,
        root=ROOT,
        max_elements=MAX_ELEMENTS,
        max_depth=MAX_DEPTH,
        max_attributes=MAX_ATTRIBUTES,
        max_attribute_chars=MAX_ATTRIBUTE_CHARS,
        max_text_chars=MAX_TEXT_CHARS,
        positions=positions,
    )
    reader = _Reader(name, {id(e): p for e, p in zip(root.iter(), positions)})
    version = title = ""
    heading: tuple[str, ...] = ()
    terms: list[IndexTerm] = []
    letters = 0
    for child in root:
        if child.tag == "version":
            version = _text(child)
        elif child.tag == "title":
            title = _text(child)
        elif child.tag == "indexHeading":
            heading = reader.heading(child)
            reader.columns = len(heading)
        elif child.tag == "letter":
            letters += 1
            for item in child:
                if item.tag == "mainTerm":
                    term = reader.term(item, 0)
                    if term is not None:
                        terms.append(term)
                elif item.tag not in ("title", "diff"):
                    reader.problem(item, f"unexpected <{item.tag[:40]}> in <letter>")
        else:
            reader.problem(child, f"unexpected <{child.tag[:40]}> in <{ROOT}>")
    if not letters:
        reader.problem(root, "no <letter> elements")
    reader.raise_if_any()
    return IndexFile(name, checksum, version, title, heading, tuple(terms))
