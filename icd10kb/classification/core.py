"""Traversal of one release: parents, children, ancestors, descendants, ranges and roll-ups.

:class:`Classification` is the classification core that every feature
works over: lookup (from :class:`~icd10kb.classification.lookup.Lookup`)
and traversal, answered from the store's arrays. It knows nothing of notes,
knowledge, search or graphs.

Conventions
-----------
- Every method takes codes in any accepted spelling (``"l942"``,
  ``" L94.2 "``) and returns canonical identifiers (``"L94.2"``).
- Traversal methods return tuples of identifiers.
- Edges point from the general to the specific: a parent comes before its
  children, and ``ancestors`` are listed nearest first.
"""

from __future__ import annotations

from typing import Any

from ..errors import ICD10KBError, InvalidArgumentError, InvalidCodeError
from .codes import MAX_INPUT_LENGTH, normalize, strip_dot
from .lookup import Lookup
from .store import Ref

__all__ = ["Classification"]

#: Marks a roll-up called without ``default``: errors are raised.
_RAISE: Any = object()


class Classification(Lookup):
    """One release of ICD-10-CM: lookup and traversal.

    Examples
    --------
    >>> kb.parent("L94.2"), kb.path("L94.2")
    ('L94', ('12', 'L80-L99', 'L94', 'L94.2'))
    """

    # --- traversal ---------------------------------------------------------------
    # parent, children, ancestors and descendants walk the store's arrays here
    # rather than through Store.parent/children/ancestors/descendants: they are
    # the benchmarked hot paths, and the extra calls and tuple references cost
    # 20-40 %. They must give what those Store methods give (the property tests
    # check parent/children/ancestors/descendants against one another).

    def parent(self, code: object) -> str | None:
        """The parent of *code*; None for a chapter.

        Examples
        --------
        >>> kb.parent("C00"), kb.parent("C00-C14"), kb.parent("2")
        ('C00-C14', 'C00-C75', None)
        """
        store = self._store
        position, char = self._ref(code)
        if char:
            return store.ids[position]
        up = store.parents[position]
        return store.ids[up] if up >= 0 else None

    def children(self, code: object) -> tuple[str, ...]:
        """The children of *code*, in the classification's order.

        Examples
        --------
        >>> kb.children("L94")[:3]
        ('L94.0', 'L94.1', 'L94.2')
        >>> kb.children("T36.0X1")
        ('T36.0X1A', 'T36.0X1D', 'T36.0X1S')
        """
        store = self._store
        position, char = self._ref(code)
        if char:
            return ()
        entry = store.seventh.get(position)
        if entry is not None:
            stem = store.seventh_stem(position)
            return tuple(stem + c for c in entry[0])
        ids, ends = store.ids, store.ends
        out = []
        child, end = position + 1, ends[position]
        while child < end:
            out.append(ids[child])
            child = ends[child]
        return tuple(out)

    def ancestors(self, code: object) -> tuple[str, ...]:
        """The ancestors of *code*, nearest first, ending at its chapter.

        Examples
        --------
        >>> kb.ancestors("C00")
        ('C00-C14', 'C00-C75', 'C00-C96', '2')
        """
        store = self._store
        position, char = self._ref(code)
        ids, parents = store.ids, store.parents
        out = [ids[position]] if char else []
        up = parents[position]
        while up >= 0:
            out.append(ids[up])
            up = parents[up]
        return tuple(out)

    def path(self, code: object) -> tuple[str, ...]:
        """The chapter, the blocks and codes down to *code*, then *code* itself.

        Examples
        --------
        >>> kb.path("S72.001A")[-3:]
        ('S72.00', 'S72.001', 'S72.001A')
        """
        ref = self._ref(code)
        ids = self._store.ids
        return (*(ids[p] for p in reversed(self._store.ancestors(ref))), self._id(ref))

    def descendants(self, code: object) -> tuple[str, ...]:
        """Everything below *code*, in pre-order (7th-character codes included).

        Examples
        --------
        >>> kb.descendants("L94.2")
        ()
        >>> len(kb.descendants("L94"))
        9
        """
        store = self._store
        position, char = self._ref(code)
        if char:
            return ()
        ids, seventh, id_of = store.ids, store.seventh, store.id_of
        out: list[str] = []
        entry = seventh.get(position)
        if entry is not None:
            out += [id_of((position, c)) for c in entry[0]]
        for inner in range(position + 1, store.ends[position]):
            out.append(ids[inner])
            entry = seventh.get(inner)
            if entry is not None:
                out += [id_of((inner, c)) for c in entry[0]]
        return tuple(out)

    def siblings(self, code: object) -> tuple[str, ...]:
        """The other children of *code*'s parent (other chapters, for a chapter).

        Examples
        --------
        >>> kb.siblings("L94.2")[:2]
        ('L94.0', 'L94.1')
        """
        ref = self._ref(code)
        parent = self._store.parent(ref)
        if parent is None:
            refs, p = [], 0
            while p < self._store.size:  # the chapters: each subtree ends where the next chapter starts
                refs.append((p, ""))
                p = self._store.ends[p]
        else:
            refs = self._store.children(parent)
        return tuple(self._id(r) for r in refs if r != ref)

    def depth(self, code: object) -> int:
        """The number of ancestors of *code*: 0 for a chapter.

        Examples
        --------
        >>> kb.depth("12"), kb.depth("L94.2")
        (0, 3)
        """
        return self._store.depth(self._ref(code))

    def is_ancestor(self, ancestor: object, code: object) -> bool:
        """Whether *ancestor* is a proper ancestor of *code*.

        Examples
        --------
        >>> kb.is_ancestor("L80-L99", "L94.2"), kb.is_ancestor("L94.2", "L94")
        (True, False)
        """
        up, up_char = self._ref(ancestor)
        low, low_char = self._ref(code)
        if up_char:
            return False
        if low_char and up == low:  # a 7th-character code lies below its base code
            return True
        return up < low < self._store.ends[up]

    def is_descendant(self, code: object, ancestor: object) -> bool:
        """Whether *code* lies below *ancestor* (``is_ancestor`` turned round)."""
        return self.is_ancestor(ancestor, code)

    def common_ancestor(self, *codes: object) -> str | None:
        """The nearest concept that is *codes* themselves or lies above all of them.

        None when they lie in different chapters.

        Examples
        --------
        >>> kb.common_ancestor("L94.2", "L94.3")
        'L94'
        >>> kb.common_ancestor("L94.2", "L94")
        'L94'
        >>> kb.common_ancestor("L94.2", "A00") is None
        True
        """
        if not codes:
            raise InvalidCodeError(codes, "common_ancestor needs at least one code", "list of codes")
        refs = [self._ref(c) for c in codes]
        lines = [self._lineage(r) for r in refs]
        shared = set(lines[0]).intersection(*lines[1:])
        for item in lines[0]:
            if item in shared:
                return self._id(item)
        return None

    def _lineage(self, ref: Ref) -> list[Ref]:
        return [ref] + [(p, "") for p in self._store.ancestors(ref)]

    def distance(self, a: object, b: object) -> int | None:
        """The number of parent-child steps between two concepts; None across chapters.

        Examples
        --------
        >>> kb.distance("L94.2", "L94.3"), kb.distance("L94.2", "L94.2")
        (2, 0)
        """
        ra, rb = self._ref(a), self._ref(b)
        la, lb = self._lineage(ra), self._lineage(rb)
        where = {r: i for i, r in enumerate(lb)}
        for i, item in enumerate(la):
            if item in where:
                return i + where[item]
        return None

    def billable_codes(self, code: object) -> tuple[str, ...]:
        """The billable codes at or below *code*.

        Examples
        --------
        >>> kb.billable_codes("L94")[:2]
        ('L94.0', 'L94.1')
        >>> kb.billable_codes("L94.2")
        ('L94.2',)
        """
        ref = self._ref(code)
        store = self._store
        refs = [ref] if store.is_billable(ref) else []
        refs += [r for r in store.descendants(ref) if store.is_billable(r)]
        return tuple(store.id_of(r) for r in refs)

    def chapter(self, code: object, default: Any = _RAISE) -> Any:
        """The chapter of *code*.

        With *default*, anything that is not a code of this release (None, an
        empty string, junk, an unknown code) gives *default* instead of an
        error, so a whole column can be rolled up without a guard.

        Examples
        --------
        >>> kb.chapter("L94.2")
        '12'
        >>> kb.chapter(None, default=None), kb.chapter("L94.7", default="?")
        (None, '?')
        """
        ref = self._ref_or(code, default)
        if ref is None:
            return default
        return self._store.ids[self._store.chapter_and_block(ref[0])[0]]

    def block(self, code: object, default: Any = _RAISE) -> Any:
        """The innermost block that holds *code*, or None above blocks (*default* as for :meth:`chapter`).

        Examples
        --------
        >>> kb.block("C00"), kb.block("C00-C14")
        ('C00-C14', 'C00-C75')
        """
        ref = self._ref_or(code, default)
        if ref is None:
            return default
        block = self._store.chapter_and_block(ref[0])[1]
        return self._store.ids[block] if block >= 0 else None

    def category(self, code: object, default: Any = _RAISE) -> Any:
        """The three-character category of *code*, or None above categories (*default* as for :meth:`chapter`).

        Examples
        --------
        >>> kb.category("S72.001A")
        'S72'
        >>> [kb.category(c, default=None) for c in ("E11.9", "", None, "zz")]
        ['E11', None, None, None]
        """
        ref = self._ref_or(code, default)
        if ref is None:
            return default
        return self._store.category_of(ref[0])

    def _ref_or(self, code: object, default: Any) -> Ref | None:
        if default is _RAISE:
            return self._ref(code)
        try:
            return self._ref(code)
        except ICD10KBError:
            return None

    # --- predicates ------------------------------------------------------------------

    def is_chapter(self, code: object) -> bool:
        """Whether *code* is a chapter of this release (False for anything else, never an error).

        Examples
        --------
        >>> kb.is_chapter("12"), kb.is_block("L80-L99"), kb.is_category("L94"), kb.is_subcategory("S72.00")
        (True, True, True, True)
        >>> kb.is_leaf("L94.2"), kb.is_leaf("L94"), kb.is_chapter("L94.7")
        (True, False, False)
        """
        return self._kind_is(code, "chapter")

    def is_block(self, code: object) -> bool:
        """Whether *code* is a block (a range of categories) of this release."""
        return self._kind_is(code, "block")

    def is_category(self, code: object) -> bool:
        """Whether *code* is a three-character category of this release."""
        return self._kind_is(code, "category")

    def is_subcategory(self, code: object) -> bool:
        """Whether *code* is a subcategory: a code with codes below it, under its category."""
        return self._kind_is(code, "subcategory")

    def is_leaf(self, code: object) -> bool:
        """Whether *code* has nothing below it (for a code: billable)."""
        try:
            return self._store.is_billable(self._ref(code))
        except ICD10KBError:
            return False

    def _kind_is(self, code: object, kind: str) -> bool:
        try:
            return self._store.kind(self._ref(code)) == kind
        except ICD10KBError:
            return False

    def expand_range(self, spec: object, *, descendants: bool = False) -> tuple[str, ...]:
        """The codes of a range such as ``"M30-M36"`` or ``"S72.0-S72.2"``.

        Parameters
        ----------
        spec:
            Two codes of the same length joined by ``-``; the order is the
            classification's own, so ``"C43-C44"`` holds ``C4A``. When the
            range is a block's own (``"J40-J4A"``), the block's categories are
            returned, all of them: J45 and J47 stand after J4A in the file.
        descendants:
            Also return everything below the codes of the range.

        Returns
        -------
        tuple[str, ...]
            The codes of that length from the first to the last, in order; for
            a block's own range, the block's categories.

        Raises
        ------
        InvalidCodeError
            If *spec* is not two codes joined by ``-``, of one length.
        CodeNotFoundError
            If either end is not a code of this release.

        Examples
        --------
        >>> kb.expand_range("M30-M36")
        ('M30', 'M31', 'M32', 'M33', 'M34', 'M35', 'M36')
        >>> kb.expand_range("C43-C44")
        ('C43', 'C4A', 'C44')
        """
        if type(descendants) is not bool:
            raise InvalidArgumentError(descendants, "descendants is True or False", "descendants")
        if not isinstance(spec, str) or len(spec) > 2 * MAX_INPUT_LENGTH + 1 or spec.count("-") != 1:
            raise InvalidCodeError(spec, "a range is two codes joined by '-', like 'M30-M36'", "range")
        ends = [part.strip() for part in spec.split("-")]
        block = self._store.resolve(normalize(spec)) if all(len(e) == 3 for e in ends) else None
        if block is not None:  # a block's own range: its categories (J40-J4A holds J45, after J4A)
            categories = [c for c in self.descendants(self._id(block)) if self.kind(c) == "category"]
            if not descendants:
                return tuple(categories)
            return tuple(c for c in self.descendants(self._id(block)) if self.kind(c) != "block")
        first_text, last_text = spec.split("-")
        first, last = self._ref(first_text), self._ref(last_text)
        if first[1] or last[1]:
            raise InvalidCodeError(spec, "7th-character codes cannot bound a range", "range")
        store = self._store
        size = len(strip_dot(store.ids[first[0]]))
        if len(strip_dot(store.ids[last[0]])) != size or store.kinds[first[0]] in "CB" or store.kinds[last[0]] in "CB":
            raise InvalidCodeError(spec, "both ends of a range must be codes of the same length", "range")
        if last[0] < first[0]:
            raise InvalidCodeError(spec, "the range runs backwards", "range")
        codes = [
            store.ids[position]
            for position in range(first[0], last[0] + 1)
            if store.kinds[position] not in "CB" and len(strip_dot(store.ids[position])) == size
        ]
        if not descendants:
            return tuple(codes)
        out: list[str] = []
        for code in codes:
            out.append(code)
            out.extend(self.descendants(code))
        return tuple(out)
