"""Applying a CMS code-descriptions addenda to a release: how FY2027 is built.

No FY2027 tabular XML could be brought in, but the official FY2027 addenda
lists every billable code added, deleted or retitled between FY2026 and
FY2027. :func:`apply_addenda` applies it to the 2026-04-01 classification
(as read by the tabular reader) and returns a new classification that
``scripts/build_history.py`` compiles like any other release.

What the addenda does not say, and how it is filled (each fill is listed in
the result's ``anomalies`` so that ``kb.release.anomalies`` states it):

- notes: new codes have none (the FY2027 notes are not in the addenda), and
  the notes of existing codes are those of 2026-04-01;
- a deleted billable code that gains new codes below it stays as a header
  with its 2026-04-01 title;
- a header that did not exist (``J34.83``) gets the longest common start of
  its codes' titles, cut at a comma (``Odontogenic sinusitis``), or, where
  there is none, ``[title not in the FY2027 addenda]``;
- a new category goes into the block of the category before it;
- a new 7th-character code takes its meaning from the rule of its category;
  its stem's title is its title without that meaning, which must agree
  across the stem's codes.
"""

from __future__ import annotations

import copy
import re
from typing import TYPE_CHECKING

from ..arguments import check_items, check_text
from ..errors import DataFileError, InvalidArgumentError
from .readers import Addenda

if TYPE_CHECKING:
    from ..classification.tabular import Node, TabularRelease

__all__ = ["NO_TITLE", "apply_addenda", "derived_title"]

NO_TITLE = "[title not in the FY2027 addenda]"
_CODE = re.compile(r"[A-Z][0-9A-Z]{2,6}")


def _dotless(code: str) -> str:
    return code.replace(".", "")


def _dotted(code: str) -> str:
    return code if len(code) <= 3 else f"{code[:3]}.{code[3:]}"


def derived_title(titles: list[str]) -> str | None:
    """The longest common start of *titles*, cut at a comma, or None.

    Examples
    --------
    >>> derived_title(["Odontogenic sinusitis, maxillary sinus", "Odontogenic sinusitis, unspecified"])
    'Odontogenic sinusitis'
    >>> derived_title(["Lynch syndrome", "Li Fraumeni syndrome"]) is None
    True
    """
    titles = [check_text(t, "title") for t in check_items(titles, "titles", 100_000)]
    return _common_title(titles)


def _common_title(titles: list[str]) -> str | None:
    if not titles:
        return None
    first = titles[0]
    size = len(first)
    for title in titles[1:]:
        size = min(size, len(title))
        for index in range(size):
            if title[index] != first[index]:
                size = index
                break
    common = first[:size]
    if all(len(t) == size for t in titles):
        return common or None
    cut = common.rfind(",")
    return common[:cut].strip() or None if cut > 0 else None


class _Tree:
    """The classification as a mutable tree keyed by node index."""

    def __init__(self, data: TabularRelease) -> None:
        self.nodes: list[Node] = [copy.copy(n) for n in data.nodes]
        self.children: dict[int, list[int]] = {i: [] for i in range(-1, len(self.nodes))}
        for index, node in enumerate(self.nodes):
            self.children[node.parent].append(index)
        self.index = {_dotless(n.id): i for i, n in enumerate(self.nodes) if n.kind not in ("chapter", "block")}
        self.removed: set[int] = set()
        self.rules = data.rules
        #: every added code and its title: new headers take their titles from these
        self.added: dict[str, str] = {}

    def rule_for(self, code: str) -> int:
        """The 7th-character rule whose owner is the longest start of *code*, or -1."""
        best, found = -1, -1
        for number, rule in enumerate(self.rules):
            owner = _dotless(rule.owner)
            if code.startswith(owner) and len(owner) > best:
                best, found = len(owner), number
        return found

    def insert(self, parent: int, node: Node) -> int:
        """Add *node* under *parent*, after the siblings whose codes sort before it."""
        self.nodes.append(node)
        index = len(self.nodes) - 1
        self.children[index] = []
        siblings = self.children[parent]
        key = _dotless(node.id)
        place = len(siblings)
        for position, sibling in enumerate(siblings):
            if sibling not in self.removed and _dotless(self.nodes[sibling].id) > key:
                place = position
                break
        siblings.insert(place, index)
        self.index[key] = index
        return index


def _new_node(code: str, kind: str, title: str, parent: int) -> Node:
    from ..classification.tabular import Node

    return Node(_dotted(code), kind, title, parent)


def apply_addenda(data: TabularRelease, addenda: Addenda, name: str = "addenda") -> TabularRelease:
    """Apply *addenda* to a classification read with its code list.

    Parameters
    ----------
    data:
        The release the addenda starts from (2026-04-01 for FY2027).
    addenda:
        As read by :func:`~icd10kb.history.readers.read_addenda`.
    name:
        The addenda's file name, for error messages.

    Returns
    -------
    TabularRelease
        A new classification; *data* is left unchanged.

    Raises
    ------
    DataFileError
        If the addenda deletes or revises a code the release lacks, or adds
        one it already has.
    """
    from ..classification.tabular import TabularRelease

    if not isinstance(data, TabularRelease):
        raise InvalidArgumentError(data, "a release read with icd10kb.classification.tabular.read_tabular", "data")
    name = check_text(name, "name", 1000)
    addenda = _checked(addenda)
    tree = _Tree(data)
    anomalies = list(data.anomalies)
    emptied: set[int] = set()
    for code, _ in addenda.deleted:
        _delete(tree, code, name, emptied)
    for code, _, title in addenda.revised:
        index = tree.index.get(code)
        if index is None or not tree.nodes[index].billable:
            raise DataFileError(name, f"revises {code!r}, which is not a billable code of the release")
        tree.nodes[index].title = title
    stems: dict[int, list[tuple[str, str]]] = {}
    tree.added = dict(addenda.added)
    for code, title in addenda.added:
        _add(tree, code, title, name, stems, anomalies)
    for index, entries in stems.items():
        _set_stem(tree, index, entries, name)
    for index in sorted(emptied):
        node = tree.nodes[index]
        if any(c not in tree.removed for c in tree.children[index]):
            anomalies.append(f"FY2027: {node.id} becomes a header, keeping its 2026-04-01 title")
        elif not node.seventh:
            _remove_upwards(tree, index)
    nodes = _preorder(tree)
    kept = {_dotless(n.id) for n in nodes}
    rejected = [c for c in data.rejected_seventh if _dotless(c)[:-1].rstrip("X") in kept]
    return TabularRelease(
        data.version, nodes, list(data.rules), list(data.files), rejected, anomalies, dict(data.official_titles)
    )


def _checked(addenda: object) -> Addenda:
    """*addenda* with plain str codes and titles, else InvalidArgumentError (it is read before any change)."""
    if not isinstance(addenda, Addenda):
        raise InvalidArgumentError(addenda, "an Addenda read with icd10kb.history.readers.read_addenda", "addenda")
    parts: list[tuple[tuple[str, ...], ...]] = []
    for changes, size in ((addenda.added, 2), (addenda.deleted, 2), (addenda.revised, 3)):
        rows = []
        for row in check_items(changes, "addenda changes", 1_000_000):
            fields = check_items(row, "addenda change", size) if isinstance(row, tuple) else []
            if len(fields) != size:
                raise InvalidArgumentError(row, f"a tuple of {size}: code, title(s)", "addenda change")
            code = check_text(fields[0], "addenda code", 7)
            if not _CODE.fullmatch(code):
                raise InvalidArgumentError(code, "a dotless ICD-10-CM code", "addenda code")
            rows.append((code, *(check_text(t, "addenda title", 1000) for t in fields[1:])))
        parts.append(tuple(rows))
    added, deleted, revised = parts
    return Addenda(added, deleted, revised, addenda.before, addenda.after)  # type: ignore[arg-type]


def _delete(tree: _Tree, code: str, name: str, emptied: set[int]) -> None:
    index = tree.index.get(code)
    if index is not None and tree.nodes[index].billable and not tree.children[index]:
        node = tree.nodes[index]
        node.billable = False
        node.kind = "subcategory" if len(code) > 3 else "category"
        emptied.add(index)
        return
    stem = tree.index.get(code[:6].rstrip("X")) if len(code) == 7 else None
    if stem is not None and code[6] in tree.nodes[stem].seventh:
        tree.nodes[stem].seventh = tree.nodes[stem].seventh.replace(code[6], "")
        if not tree.nodes[stem].seventh:
            emptied.add(stem)
        return
    raise DataFileError(name, f"deletes {code!r}, which is not a billable code of the release")


def _remove_upwards(tree: _Tree, index: int) -> None:
    while index >= 0 and tree.nodes[index].kind not in ("chapter", "block"):
        tree.removed.add(index)
        tree.index.pop(_dotless(tree.nodes[index].id), None)
        parent = tree.nodes[index].parent
        if any(c not in tree.removed for c in tree.children[parent]) or tree.nodes[parent].billable:
            return
        index = parent


def _parent_for(tree: _Tree, code: str, anomalies: list[str]) -> int:
    """The index of the node *code* goes under, creating missing headers."""
    parent_code = code[:-1]
    while len(parent_code) > 3 and parent_code.endswith("X") and parent_code not in tree.index:
        parent_code = parent_code[:-1]  # a placeholder: the code hangs from the header above it
    if len(code) == 3:
        return _block_for(tree, code, anomalies)
    found = tree.index.get(parent_code)
    if found is not None and found not in tree.removed:
        node = tree.nodes[found]
        if node.billable or node.seventh:
            raise ValueError(f"it would extend {node.id!r}, a code the addenda does not delete")
        return found
    grand = _parent_for(tree, parent_code, anomalies)
    title = _common_title([t for c, t in tree.added.items() if c.startswith(parent_code)])
    anomalies.append(
        f"FY2027: new header {_dotted(parent_code)} "
        + (f"titled {title!r}, the common start of its codes' titles" if title else f"titled {NO_TITLE!r}")
        + " (the addenda gives titles of billable codes only)"
    )
    kind = "category" if len(parent_code) == 3 else "subcategory"
    return tree.insert(grand, _new_node(parent_code, kind, title or NO_TITLE, grand))


def _block_for(tree: _Tree, category: str, anomalies: list[str]) -> int:
    before = [c for c, i in tree.index.items() if len(c) == 3 and c < category and c[0] == category[0]]
    if not before:
        raise ValueError(f"no category before {category!r} to place it by")
    block = tree.nodes[tree.index[max(before)]].parent
    anomalies.append(f"FY2027: new category {category} placed in block {tree.nodes[block].id} (after {max(before)})")
    return block


def _add(
    tree: _Tree, code: str, title: str, name: str, stems: dict[int, list[tuple[str, str]]], anomalies: list[str]
) -> None:
    existing = tree.index.get(code)
    if (
        existing is not None
        and existing not in tree.removed
        and (tree.nodes[existing].billable or tree.nodes[existing].seventh)
    ):
        raise DataFileError(name, f"adds {code!r}, which the release already has")
    rule = tree.rule_for(code)
    try:
        if len(code) == 7 and rule >= 0 and code[6] in tree.rules[rule].characters:
            stem_code = code[:6].rstrip("X")
            stem = tree.index.get(stem_code)
            if stem is None or stem in tree.removed:
                parent = _parent_for(tree, stem_code, anomalies)
                stem = tree.insert(parent, _new_node(stem_code, "subcategory", "", parent))
                tree.nodes[stem].rule = rule
            stems.setdefault(stem, []).append((code[6], title))
            return
        if existing is not None and existing not in tree.removed:
            raise DataFileError(name, f"adds {code!r}, which the release has as a header")
        parent = _parent_for(tree, code, anomalies)
    except ValueError as exc:
        raise DataFileError(name, f"cannot place {code!r}: {exc}") from None
    node = _new_node(code, "code" if len(code) > 3 else "category", title, parent)
    node.billable = True
    tree.insert(parent, node)


def _set_stem(tree: _Tree, index: int, entries: list[tuple[str, str]], name: str) -> None:
    node = tree.nodes[index]
    rule = tree.rule_for(_dotless(node.id)) if node.rule < 0 else node.rule
    meanings = tree.rules[rule].characters
    stem_titles = set()
    for char, title in entries:
        suffix = f", {meanings[char]}"
        if not title.endswith(suffix):
            raise DataFileError(name, f"the title of {node.id}{char} does not end with its 7th character {suffix!r}")
        stem_titles.add(title[: -len(suffix)])
    if node.title:
        stem_titles.add(node.title)
    if len(stem_titles) != 1:
        raise DataFileError(name, f"the codes of {node.id} disagree on its title: {sorted(stem_titles)}")
    node.title = stem_titles.pop()
    node.rule = rule
    chars = set(node.seventh) | {char for char, _ in entries}
    node.seventh = "".join(c for c in meanings if c in chars)
    node.billable = False


def _preorder(tree: _Tree) -> list[Node]:
    order: list[int] = []
    stack = [c for c in reversed(tree.children[-1]) if c not in tree.removed]
    while stack:
        index = stack.pop()
        order.append(index)
        stack.extend(c for c in reversed(tree.children[index]) if c not in tree.removed)
    position = {old: new for new, old in enumerate(order)}
    nodes = []
    for old in order:
        node = copy.copy(tree.nodes[old])
        node.parent = position[node.parent] if node.parent >= 0 else -1
        nodes.append(node)
    return nodes
