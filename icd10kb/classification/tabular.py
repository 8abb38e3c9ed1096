"""Reading the official ICD-10-CM files: the tabular XML and a code list.

This is the only module that knows the layout of the official files. It
turns them into a :class:`TabularRelease`: every concept in pre-order
(a chapter, then its blocks, each followed by what it holds), with parents,
titles, billable flags, notes and the 7th-character rules. Everything
downstream (the compiled release, the store, the graph) starts from it.

Facts about the files that this module handles (see ``data/README.md``):

- ``<version>`` and ``<introduction>`` are not concepts; ``<sectionIndex>`` is
  a table of contents.
- Block nesting is not written as nesting: sections that hold no ``<diag>``
  enclose other sections by range (``C00-C96`` ⊃ ``C00-C75`` ⊃ ``C00-C14``),
  so each block's parent is the smallest block whose range encloses it.
- A ``<sevenChrDef>`` applies to every leaf below the element that carries
  it; codes shorter than six characters take the placeholder ``X``.
- The 7th-character rules over-generate; a release's code list, when given,
  decides which 7th-character codes are valid.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from ..classification.codes import block_id, dotted, normalize, strip_dot
from ..errors import DataFileError, ICD10KBError
from ..files import Source, read_bytes
from ..xmlsafe import parse_xml
from .codelist import code_list_from_bytes, read_code_list
from .tabular_parts import NOTE_KINDS, _notes, _Problems, _shape, _split_title, _text

__all__ = [
    "MAX_CATEGORIES",
    "MAX_DEPTH",
    "MAX_SECTIONS",
    "MAX_TABULAR_BYTES",
    "NOTE_KINDS",
    "TabularRelease",
    "Node",
    "SeventhCharacterRule",
    "read_code_list",
    "read_tabular",
]


_MAX_LEVELS = 8
#: Budgets that refuse hostile files early (the official files: 9.7 MB, 34 sections in the largest
#: chapter, about 350 categories in a chapter, concepts nested 9 deep).
MAX_TABULAR_BYTES = 64 * 1024 * 1024
MAX_SECTIONS = 300
MAX_CATEGORIES = 5_000
MAX_DEPTH = 64


@dataclass
class SeventhCharacterRule:
    """One ``<sevenChrDef>``: the 7th characters and what each means."""

    owner: str
    characters: dict[str, str]
    notes: list[str] = field(default_factory=list)


@dataclass
class Node:
    """One concept of the classification, as read from the files."""

    id: str
    kind: str
    title: str
    parent: int
    notes: dict[str, list[str]] = field(default_factory=dict)
    billable: bool = False
    #: Valid 7th characters of a leaf that takes one, in file order.
    seventh: str = ""
    #: Index of the rule that gives them their meaning, or -1.
    rule: int = -1


@dataclass
class TabularRelease:
    """A whole release: concepts in pre-order and the 7th-character rules."""

    version: str
    nodes: list[Node]
    rules: list[SeventhCharacterRule]
    files: list[tuple[str, str]]
    #: Codes the rules would make but the code list does not contain.
    rejected_seventh: list[str] = field(default_factory=list)
    #: Oddities of the file that were kept as the file has them.
    anomalies: list[str] = field(default_factory=list)
    #: The official title of each chapter and block, range included ("... (L00-L99)"); nodes hold the label.
    official_titles: dict[str, str] = field(default_factory=dict)


@dataclass
class _Block:
    first: str
    last: str
    title: str
    element: ET.Element
    #: Document positions of the first and last category the block spans.
    start: int = -1
    stop: int = -1
    parent: _Block | None = None
    blocks: list[_Block] = field(default_factory=list)

    @property
    def id(self) -> str:
        return block_id(self.first, self.last)

    @property
    def holds_codes(self) -> bool:
        return self.element.find("diag") is not None

    def encloses(self, other: _Block) -> bool:
        if not (self.start <= other.start and other.stop <= self.stop):
            return False
        if (self.start, self.stop) != (other.start, other.stop):
            return True
        # Same categories spanned (C00-C96 holding only C00 beside C00-C14): the
        # block that holds the codes is the inner one, else the narrower range.
        if self.holds_codes != other.holds_codes:
            return other.holds_codes
        return self.id != other.id and self.first <= other.first and other.last <= self.last


class _Reader:
    def __init__(self, name: str, codes: frozenset[str] | None) -> None:
        self.name = name
        self.codes = codes
        self.nodes: list[Node] = []
        self.rules: list[SeventhCharacterRule] = []
        self.seen: set[str] = set()
        self.problems = _Problems(name)
        self.rejected: list[str] = []
        self.anomalies: list[str] = []
        self.depths: list[int] = []
        #: Codes made by 7th-character rules, to find those also written out.
        self.generated: set[str] = set()
        self.official: dict[str, str] = {}

    def add(self, id_: str, kind: str, title: str, parent: int, element: ET.Element | None) -> int:
        if id_ in self.seen:
            self.problems.add(f"{id_!r} appears twice")
        self.seen.add(id_)
        if not title:
            self.problems.add(f"{id_!r} has no title")
        depth = self.depths[parent] + 1 if parent >= 0 else 0
        if depth > MAX_DEPTH:
            self.problems.add(f"{id_!r} nests {depth} levels deep (at most {MAX_DEPTH})")
        self.depths.append(depth)
        self.nodes.append(Node(id_, kind, title, parent, _notes(element) if element is not None else {}))
        return len(self.nodes) - 1

    def one(self, element: ET.Element, tag: str, owner: str) -> ET.Element | None:
        """The child *tag* of *element*; two of them that differ are a problem, not the first silently."""
        found = element.findall(tag)
        if len(found) > 1 and len({_shape(f) for f in found}) > 1:
            self.problems.add(f"{owner} has {len(found)} different <{tag}> elements")
        return found[0] if found else None

    def chapter(self, element: ET.Element) -> None:
        name = _text(self.one(element, "name", "a <chapter>"))
        if not (name.isascii() and name.isdigit() and 1 <= int(name) <= 99):
            self.problems.add(f"chapter name {name!r} is not a chapter number (1 to 99)")
            return
        desc = _text(self.one(element, "desc", f"chapter {name}"))
        index = self.add(str(int(name)), "chapter", _split_title(desc), -1, element)
        self.official[str(int(name))] = desc
        sections = element.findall("section")
        if len(sections) > MAX_SECTIONS or len(element.findall("section/diag")) > MAX_CATEGORIES:
            self.problems.add(f"chapter {name} holds more than {MAX_SECTIONS} sections or {MAX_CATEGORIES} categories")
            return
        blocks = [self.block(section) for section in sections]
        self.place(blocks)
        roots = self.nest(blocks)
        for block in roots:
            self.emit_block(block, index)

    def place(self, blocks: list[_Block]) -> None:
        # Letters in third place (C4A, D3A, M1A) make string order differ from
        # the classification's order, so ranges are compared by document order.
        position: dict[str, int] = {}
        for block in blocks:
            for diag in block.element.findall("diag"):
                position.setdefault(_text(diag.find("name")), len(position))
        for block in blocks:
            own = [position[_text(d.find("name"))] for d in block.element.findall("diag")]
            if not own and block.first in position and block.last in position:
                own = [position[block.first], position[block.last]]
            elif not own:
                own = [p for code, p in position.items() if _within(code, block)]
            if own:
                block.start, block.stop = min(own), max(own)
            else:
                self.problems.add(f"block {block.id} spans no category of its chapter")

    def block(self, section: ET.Element) -> _Block:
        raw = section.get("id", "")
        first, _, last = raw.partition("-")
        last = last or first
        try:
            if normalize(block_id(first, last)) != block_id(first, last):
                raise ValueError
        except (ICD10KBError, ValueError):
            self.problems.add(f"section id {raw!r} is not a range of categories")
        return _Block(first, last, _split_title(_text(self.one(section, "desc", f"section {raw[:20]!r}"))), section)

    def nest(self, blocks: list[_Block]) -> list[_Block]:
        roots = []
        for block in blocks:
            enclosing = [b for b in blocks if b is not block and b.encloses(block)]
            for other in blocks:
                if other is not block and other.id == block.id:
                    self.problems.add(f"block {block.id} appears twice")
            overlapping = [
                b
                for b in blocks
                if b is not block
                and not b.encloses(block)
                and not block.encloses(b)
                and b.start <= block.stop
                and block.start <= b.stop
            ]
            for other in overlapping:
                self.problems.add(f"blocks {block.id} and {other.id} overlap without one enclosing the other")
            if enclosing:
                # The innermost of the narrowest enclosing blocks (linear, not a count per candidate).
                span = min(b.stop - b.start for b in enclosing)
                parent = None
                for candidate in enclosing:
                    if candidate.stop - candidate.start == span and (parent is None or parent.encloses(candidate)):
                        parent = candidate
                block.parent = parent
                parent.blocks.append(block)  # type: ignore[union-attr]
            else:
                roots.append(block)
        return roots

    def emit_block(self, block: _Block, parent: int) -> None:
        index = self.add(block.id, "block", block.title, parent, block.element)
        self.official[block.id] = _text(block.element.find("desc"))
        items: list[tuple[int, int, _Block | ET.Element]] = [(b.start, 0, b) for b in block.blocks]
        for order, diag in enumerate(block.element.findall("diag")):
            items.append((block.start + order, 1, diag))
        items.sort(key=lambda item: (item[0], item[1]))
        for _, _, item in items:
            if isinstance(item, _Block):
                self.emit_block(item, index)
            else:
                first = _text(item.find("name"))
                if not _within(first[:3], block):
                    self.problems.add(f"category {first!r} lies outside its block {block.id}")
                self.diag(item, index, "", -1)

    def diag(self, element: ET.Element, parent: int, parent_code: str, rule: int, level: int = 0) -> None:
        name = _text(self.one(element, "name", f"a <diag> under {parent_code or 'a section'}"))
        if level > _MAX_LEVELS:
            # A code has at most seven characters, so <diag> nests at most five deep.
            self.problems.add(f"<diag> elements nest deeper than {_MAX_LEVELS} levels at {name[:20]!r}")
            return
        try:
            code = normalize(name)
        except ICD10KBError as exc:
            self.problems.add(str(exc))
            return
        if code != name or "-" in code or code.isdigit():
            self.problems.add(f"code {name!r} is not written in canonical dotted form")
        flat = strip_dot(code)
        if parent_code and not (flat.startswith(strip_dot(parent_code)) and len(flat) > len(strip_dot(parent_code))):
            message = f"code {code!r} does not extend its parent {parent_code!r}"
            # Kept as the file has it when it stays in the same category (the
            # FY2021 file nests H54.512A under H54.511); refused otherwise.
            if flat[:3] == strip_dot(parent_code)[:3] and len(flat) > len(strip_dot(parent_code)):
                self.anomalies.append(message)
            else:
                self.problems.add(message)
        elif not parent_code and len(flat) != 3:
            self.problems.add(f"code {code!r} stands directly in a block but is not a category")
        definition = self.one(element, "sevenChrDef", code)
        if definition is not None:
            rule = self.rule(code, definition)
        kind = "category" if len(flat) == 3 else "subcategory"
        index = self.add(code, kind, _text(self.one(element, "desc", code)), parent, element)
        children = element.findall("diag")
        for child in children:
            self.diag(child, index, code, rule, level + 1)
        node = self.nodes[index]
        if rule >= 0 and "sevenChrDef" in {c.tag for c in element}:
            node.notes["seventh_characters"] = [
                f"{char}: {label}" for char, label in self.rules[rule].characters.items()
            ]
        if not children:
            self.leaf(node, flat, rule)

    def rule(self, code: str, element: ET.Element) -> int:
        characters: dict[str, str] = {}
        for extension in element.findall("extension"):
            char = extension.get("char", "")
            if len(char) != 1 or not (char.isascii() and char.isalnum()) or char.upper() in characters:
                self.problems.add(f"7th-character definition under {code!r} has a bad character {char!r}")
                continue
            characters[char.upper()] = _text(extension)
        notes = [t for t in (_text(n) for n in element.findall("note")) if t]
        self.rules.append(SeventhCharacterRule(code, characters, notes))
        return len(self.rules) - 1

    def leaf(self, node: Node, flat: str, rule: int) -> None:
        # Only billable codes are checked against the code list: the CMS code
        # file lists nothing else, and headers add nothing to validity.
        if rule < 0 and self.codes is not None and flat not in self.codes:
            self.problems.add(f"code {node.id!r} is not in the code list")
        if rule < 0:
            node.billable = True
            if len(flat) > 3:
                node.kind = "code"
            return
        if len(flat) >= 7:
            # A 7th-character rule applies to codes of up to six characters; a written-out
            # code of seven already has its 7th character.
            self.problems.add(f"code {node.id!r} already has 7 characters, yet a 7th-character rule applies to it")
            return
        padded = flat.ljust(6, "X")
        chars = []
        for char in self.rules[rule].characters:
            if self.codes is None or padded + char in self.codes:
                chars.append(char)
            else:
                self.rejected.append(dotted(padded + char))
        node.seventh = "".join(chars)
        node.rule = rule
        self.generated.update(dotted(padded + char) for char in chars)
        if not chars:
            node.billable = True
            node.kind = "code" if len(flat) > 3 else "category"


def _within(category: str, block: _Block) -> bool:
    # A letter in third place (C4A, M1A, Z3A) sorts among the digits in the
    # classification's own order, so only the first two characters are compared.
    if len(category) < 3:
        return False
    if category[2].isalpha():
        return block.first[:2] <= category[:2] <= block.last[:2]
    return block.first <= category <= block.last


def read_tabular(source: Source, code_list: Source | None = None) -> TabularRelease:
    """Read an official ICD-10-CM tabular XML file.

    Parameters
    ----------
    source:
        The tabular XML (``icd10cm-tabular-*.xml``, plain or gzip) as a path,
        ``PathLike`` or binary file object.
    code_list:
        The release's code list (see :func:`read_code_list`). With it, a
        7th-character code exists exactly when the list has it; without it,
        every character of every applicable ``<sevenChrDef>`` is accepted,
        which over-generates (``S06.1X7D``, for instance).

    Returns
    -------
    TabularRelease
        The concepts in pre-order, with notes and 7th-character rules.

    Raises
    ------
    DataFileError
        If a file is malformed or hostile, or the two files disagree; the
        message names the file and the position or the offending codes.
    """
    data, name, checksum = read_bytes(source, limit=MAX_TABULAR_BYTES)
    files = [(name, checksum)]
    codes = None
    if code_list is not None:
        list_data, list_name, list_checksum = read_bytes(code_list)
        codes = code_list_from_bytes(list_data, list_name)
        files.append((list_name, list_checksum))
    root = parse_xml(data, name, root="ICD10CM.tabular")
    del data
    reader = _Reader(name, codes)
    chapters = root.findall("chapter")
    if not chapters:
        raise DataFileError(name, "no <chapter> elements")
    for chapter in chapters:
        reader.chapter(chapter)
    for code in sorted(reader.generated & reader.seen):
        reader.problems.add(f"code {code!r} is written out and also made by a 7th-character rule")
    reader.problems.raise_if_any()
    if codes is not None:
        _check_code_list(reader, codes, files[-1][0])
    return TabularRelease(
        _text(root.find("version")),
        reader.nodes,
        reader.rules,
        files,
        reader.rejected,
        reader.anomalies,
        reader.official,
    )


def _check_code_list(reader: _Reader, codes: frozenset[str], name: str) -> None:
    known = {strip_dot(n.id) for n in reader.nodes}
    for node in reader.nodes:
        if node.seventh:
            padded = strip_dot(node.id).ljust(6, "X")
            known.update(padded + char for char in node.seventh)
    unknown = sorted(codes - known)
    if unknown:
        problems = _Problems(name)
        for code in unknown:
            problems.add(f"{dotted(code)!r} is listed but the tabular file does not define it")
        problems.raise_if_any()
