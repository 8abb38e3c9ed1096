"""The immutable in-memory store of one release.

The store keeps the compiled arrays (see :mod:`icd10kb.classification.compiled`) and the
index from identifier to position, and answers structural questions by
position. It knows nothing about input syntax or user-facing errors; that
is the job of :class:`icd10kb.kb.KnowledgeBase`.

A *reference* to a concept is a pair ``(position, character)``: the
position of a concept of the tabular list, and ``""`` or the 7th character
of a code made from it. 7th-character codes (half of the release) are not
stored one by one; each leaf that takes a 7th character stores the string
of its valid characters.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from ..classification.codes import dotted, strip_dot
from ..classification.compiled import KINDS, Sections
from ..errors import DataFileError

__all__ = ["KIND_NAMES", "Ref", "Store"]

Ref = tuple[int, str]

KIND_NAMES = {letter: kind for kind, letter in KINDS.items()}


class Store:
    """Arrays of one release in pre-order, plus the identifier index."""

    __slots__ = (
        "_meanings",
        "_rules",
        "_rules_text",
        "_sealed",
        "billable",
        "depths",
        "ends",
        "header",
        "ids",
        "index",
        "kinds",
        "official",
        "offsets",
        "parents",
        "seventh",
        "seventh_total",
        "size",
        "titles",
    )

    def __init__(self, sections: Sections) -> None:
        name = sections.name
        try:
            self.header: dict[str, Any] = sections.header
            #: Official titles of chapters and blocks, range included; ``titles`` holds their labels.
            self.official: dict[str, str] = dict(self.header.get("official_titles", {}))
            self.ids: list[str] = sections.text("ids").split("\n")
            self.titles: str = sections.text("titles")
            self.offsets = sections.ints("title_offsets")
            self.parents = sections.ints("parents")
            self.ends = sections.ints("ends")
            self.kinds: str = sections.text("kinds")
            self.billable: bytes = sections.parts["billable"]
            self.depths: bytes = sections.parts["depths"]
            chars_text = sections.text("seventh_chars")
            chars = chars_text.split("\n") if chars_text else []
            nodes = sections.ints("seventh_nodes")
            rules = sections.ints("seventh_rules")
            self._rules_text = sections.text("rules")
        except KeyError as exc:
            raise DataFileError(name, f"compiled release lacks section {exc}") from None
        n = len(self.ids)
        self.size = n
        if n != self.header.get("count") or not all(
            len(seq) == n for seq in (self.parents, self.ends, self.kinds, self.billable, self.depths)
        ):
            raise DataFileError(name, "compiled release sections differ in length")
        if len(self.offsets) != n + 1 or self.offsets[-1] != len(self.titles):
            raise DataFileError(name, "compiled release titles do not match their offsets")
        if not (len(nodes) == len(rules) == len(chars) == self.header.get("seventh_count")):
            raise DataFileError(name, "compiled release 7th-character sections differ in length")
        self.seventh: dict[int, tuple[str, int]] = dict(zip(nodes, zip(chars, rules)))
        self.index: dict[str, int] = dict(zip(self.ids, range(n)))
        if len(self.index) != n:
            raise DataFileError(name, "compiled release repeats an identifier")
        self.seventh_total = sum(len(c) for c in chars)
        self._rules: list[dict[str, Any]] | None = None
        self._meanings: list[dict[str, str]] | None = None
        self._sealed = True  # from here on the store cannot be changed (see __setattr__)

    def __setattr__(self, name: str, value: object) -> None:
        if getattr(self, "_sealed", False):
            raise AttributeError(f"a Store cannot be changed (tried to set {name!r})")
        object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"a Store cannot be changed (tried to delete {name!r})")

    @property
    def rules(self) -> list[dict[str, Any]]:
        """The 7th-character rules, decoded on first use."""
        if self._rules is None:
            object.__setattr__(self, "_rules", json.loads(self._rules_text))  # decoded once, never changed
        return self._rules

    @property
    def meanings(self) -> list[dict[str, str]]:
        """For each 7th-character rule, its characters and their meanings."""
        if self._meanings is None:
            object.__setattr__(self, "_meanings", [rule["characters"] for rule in self.rules])
        return self._meanings

    def seventh_stem(self, position: int) -> str:
        """The code a 7th character is appended to: the base code padded with X (``T36.0X1``, ``E08.37X``)."""
        code = self.ids[position]
        return code if len(code) == 7 else dotted(strip_dot(code).ljust(6, "X"))

    # --- identifiers ------------------------------------------------------

    def resolve(self, code: str) -> Ref | None:
        """The reference of a canonical identifier, or None if it is not in the release."""
        position = self.index.get(code)
        if position is not None:
            return position, ""
        flat = strip_dot(code)
        if len(flat) != 7 or "-" in flat:
            return None
        head = flat[:6]
        while len(head) >= 3:
            base = self.index.get(dotted(head))
            if base is not None and base in self.seventh:
                # Only placeholder X's were stripped, so the base padded with X is flat[:6].
                return (base, flat[6]) if flat[6] in self.seventh[base][0] else None
            if not head.endswith("X"):
                return None
            head = head[:-1]
        return None

    def id_of(self, ref: Ref) -> str:
        position, char = ref
        return self.seventh_stem(position) + char if char else self.ids[position]

    # --- structure ----------------------------------------------------------

    def parent(self, ref: Ref) -> Ref | None:
        position, char = ref
        if char:
            return position, ""
        up = self.parents[position]
        return (up, "") if up >= 0 else None

    def children(self, ref: Ref) -> list[Ref]:
        position, char = ref
        if char:
            return []
        entry = self.seventh.get(position)
        if entry:
            return [(position, c) for c in entry[0]]
        out = []
        child, end, ends = position + 1, self.ends[position], self.ends
        while child < end:
            out.append((child, ""))
            child = ends[child]
        return out

    def ancestors(self, ref: Ref) -> list[int]:
        """Positions of the ancestors, nearest first."""
        position, char = ref
        out = [position] if char else []
        parents = self.parents
        up = parents[position]
        while up >= 0:
            out.append(up)
            up = parents[up]
        return out

    def descendants(self, ref: Ref) -> Iterator[Ref]:
        position, char = ref
        if char:
            return
        seventh = self.seventh
        entry = seventh.get(position)
        if entry:
            for c in entry[0]:
                yield position, c
        for inner in range(position + 1, self.ends[position]):
            yield inner, ""
            entry = seventh.get(inner)
            if entry:
                for c in entry[0]:
                    yield inner, c

    def chapter_and_block(self, position: int) -> tuple[int, int]:
        """The positions of the chapter above *position* and of its innermost block (-1 if none).

        A concept is its own chapter; a block's block is the one enclosing it.
        """
        kinds, parents = self.kinds, self.parents
        block, top, up = -1, position, parents[position]
        while up >= 0:
            if block < 0 and kinds[up] == "B":
                block = up
            top, up = up, parents[up]
        return top, block

    def category_of(self, position: int) -> str | None:
        """The three-character category a code belongs to, or None above categories."""
        return self.ids[position][:3] if self.kinds[position] in "csd" else None

    def depth(self, ref: Ref) -> int:
        return self.depths[ref[0]] + (1 if ref[1] else 0)

    def kind(self, ref: Ref) -> str:
        if ref[1]:
            return "code"
        return KIND_NAMES[self.kinds[ref[0]]]

    def is_billable(self, ref: Ref) -> bool:
        return bool(ref[1]) or self.billable[ref[0]] == 1

    def base_title(self, position: int) -> str:
        """The title without a chapter's or block's range: the label search and drawings use."""
        return self.titles[self.offsets[position] : self.offsets[position + 1]]

    def title(self, ref: Ref) -> str:
        """The official title (a chapter's or block's with its range, as the tabular list writes it)."""
        position, char = ref
        title = self.titles[self.offsets[position] : self.offsets[position + 1]]
        if char:
            return f"{title}, {self.meaning(ref)}"
        if self.kinds[position] in "CB":
            return self.official.get(self.ids[position], title)
        return title

    def meaning(self, ref: Ref) -> str:
        return self.meanings[self.seventh[ref[0]][1]][ref[1]]

    def rule_owner(self, ref: Ref) -> str:
        owner: str = self.rules[self.seventh[ref[0]][1]]["owner"]
        return owner

    def __len__(self) -> int:
        return self.size + self.seventh_total

    def __iter__(self) -> Iterator[Ref]:
        seventh = self.seventh
        for position in range(self.size):
            yield position, ""
            entry = seventh.get(position)
            if entry:
                for c in entry[0]:
                    yield position, c
