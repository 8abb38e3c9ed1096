"""The knowledge base: lookup and traversal of one release, with its knowledge.

:class:`KnowledgeBase` is what :func:`icd10kb.load` returns. It is
immutable: every method answers from the store built at load time, and
the pieces built later on demand (notes, knowledge, graph, search index)
are built once, under a lock, and never changed afterwards, so one
knowledge base can be shared by many threads.

Conventions
-----------
- Every method takes codes in any accepted spelling (``"l942"``,
  ``" L94.2 "``) and returns canonical identifiers (``"L94.2"``).
- Traversal methods return tuples of identifiers; ``kb[code]`` returns the
  :class:`~icd10kb.models.Concept`.
- Edges point from the general to the specific: a parent comes before its
  children, and ``ancestors`` are listed nearest first.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar, overload

from .codes import dotless, normalize
from .errors import CodeNotFoundError, ICD10KBError, InvalidCodeError
from .store import Ref, Store

if TYPE_CHECKING:
    import networkx as nx

    from .checks import Finding
    from .differential import Candidate
    from .knowledge import KnowledgeIndex
    from .knowledge_models import KnowledgeProfile
    from .models import Concept, ConceptDetails, Note, Release
    from .references import Reference
    from .search import SearchHit, SearchIndex

__all__ = ["KnowledgeBase"]

_MODELS: tuple[Any, Any, Any] | None = None


def _models() -> tuple[Any, Any, Any]:
    """The model classes, imported on the first model handed out (pydantic is not needed before)."""
    global _MODELS
    if _MODELS is None:
        from .models import Concept, SeventhCharacter, construct

        _MODELS = (Concept, SeventhCharacter, construct)
    return _MODELS


T = TypeVar("T")


class KnowledgeBase:
    """One release of ICD-10-CM with its notes and clinical knowledge.

    Do not build it directly; use :func:`icd10kb.load` or
    :func:`icd10kb.load_tabular`.

    Examples
    --------
    >>> kb["L94.2"].title
    'Calcinosis cutis'
    >>> "l942" in kb, "L94.7" in kb
    (True, False)
    >>> kb.parent("L94.2"), kb.path("L94.2")
    ('L94', ('12', 'L80-L99', 'L94', 'L94.2'))
    """

    def __init__(
        self,
        store: Store,
        notes_loader: Callable[[], dict[str, dict[str, list[str]]]],
        knowledge_loader: Callable[[KnowledgeBase], KnowledgeIndex],
    ) -> None:
        self._store = store
        self._index = store.index
        self._titles, self._offsets = store.titles, store.offsets  # read by the title fast path
        self._lookup: dict[str, int | tuple[int, str]] | None = None
        #: The dictionary the fast paths read: the index until the lookup is built, then the lookup.
        self._known: dict[str, int] | dict[str, int | tuple[int, str]] = store.index
        self._notes_loader = notes_loader
        self._knowledge_loader = knowledge_loader
        # One lock per lazily built piece, so that building the search index does
        # not hold up, say, the first 7th-character lookup. Pieces built from
        # others (search from notes and knowledge) take their locks in turn,
        # never the other way round.
        self._locks = {
            name: threading.RLock()
            for name in ("lookup", "notes", "references", "knowledge", "graph", "search", "release")
        }
        self._notes: dict[str, dict[str, list[str]]] | None = None
        self._knowledge: KnowledgeIndex | None = None
        self._graph: nx.MultiDiGraph[str] | None = None
        self._search: SearchIndex | None = None
        self._references: tuple[Reference, ...] | None = None
        self._reference_resolver: Any = None
        self._references_of: dict[str, tuple[Reference, ...]] = {}
        self._release: Release | None = None

    # --- identifiers -----------------------------------------------------------

    def _ref(self, code: object) -> Ref:
        """Resolve any accepted spelling to a reference, or raise the documented errors."""
        if type(code) is str:
            entry = self._known.get(code)
            if entry is None and len(code) == 8 and self._lookup is None:  # a 7th-character code
                entry = self._build_lookup().get(code)
            if isinstance(entry, int):
                return entry, ""
            if entry is not None:
                return entry[0], code[7]
        canonical = normalize(code)
        ref = self._store.resolve(canonical)
        if ref is None:
            raise CodeNotFoundError(
                canonical, release=self._store.header["release"]["name"], suggest=lambda: self.suggest(canonical)
            )
        return ref

    def _build_lookup(self) -> dict[str, int | tuple[int, str]]:
        """Every canonical identifier: a position, or for a 7th-character code (base position, meaning).

        Built the first time an 8-character string (the length of a canonical
        7th-character code) is not found in the index of the tabular list; it
        holds the release's identifiers and its 51,000 7th-character codes, so
        that every lookup after it costs one dictionary access.
        """
        with self._locks["lookup"]:
            if self._lookup is None:
                store = self._store
                meanings = store.meanings
                lookup: dict[str, int | tuple[int, str]] = dict(store.index)
                for position, (chars, rule) in store.seventh.items():
                    stem = store.seventh_stem(position)
                    for char in chars:
                        lookup[stem + char] = (position, meanings[rule][char])
                self._lookup = lookup
                self._known = lookup
        return self._lookup

    def _id(self, ref: Ref) -> str:
        return self._store.id_of(ref)

    def normalize(self, code: object) -> str:
        """Return the canonical identifier of a code of this release.

        Parameters
        ----------
        code:
            A code, block or chapter in any accepted spelling.

        Returns
        -------
        str
            The canonical identifier.

        Raises
        ------
        InvalidCodeError
            If *code* is not shaped like an identifier.
        CodeNotFoundError
            If it is well formed but not in this release.

        Examples
        --------
        >>> kb.normalize("s72001a")
        'S72.001A'
        >>> kb.normalize("S06.1X7D")
        Traceback (most recent call last):
          ...
        icd10kb.errors.CodeNotFoundError: 'S06.1X7D' is not a code in ICD-10-CM 2026-04-01; did you mean S06.1X7A, ...?
        """
        return self._id(self._ref(code))

    def suggest(self, code: object, limit: int = 5) -> tuple[str, ...]:
        """The valid codes nearest to a mistyped or unknown one, best first.

        Examples
        --------
        >>> kb.suggest("L94.7")[:2]
        ('L94.6', 'L94.8')
        """
        from .suggest import suggest

        return suggest(self, code, limit)

    def __contains__(self, code: object) -> bool:
        if type(code) is str:
            if code in self._known:
                return True
            if len(code) == 8 and self._lookup is None and code in self._build_lookup():
                return True
        if isinstance(code, str):
            try:
                return self._store.resolve(normalize(code)) is not None
            except InvalidCodeError:
                return False
        return False

    def is_valid(self, code: object, *, billable: bool = False) -> bool:
        """Whether *code* is a code of this release (and billable, if asked).

        Never raises: anything that is not a valid code gives False.

        Examples
        --------
        >>> kb.is_valid("L94.2", billable=True), kb.is_valid("L94", billable=True), kb.is_valid(42)
        (True, False, False)
        """
        try:
            ref = self._ref(code)
        except ICD10KBError:
            return False
        return not billable or self._store.is_billable(ref)

    def __len__(self) -> int:
        return len(self._store)

    def __iter__(self) -> Iterator[str]:
        id_of = self._store.id_of
        return (id_of(ref) for ref in self._store)

    def __repr__(self) -> str:
        return f"<KnowledgeBase ICD-10-CM {self._store.header['release']['name']}: {len(self):,} concepts>"

    # --- concepts ----------------------------------------------------------------

    def __getitem__(self, code: object) -> Concept:
        return self._concept(self._ref(code))

    @overload
    def get(self, code: object) -> Concept | None: ...

    @overload
    def get(self, code: object, default: T) -> Concept | T: ...

    def get(self, code: object, default: Any = None) -> Any:
        """The concept for *code*, or *default* when it is not a code of this release.

        Like ``dict.get`` it never raises: malformed input gives *default* too.

        Examples
        --------
        >>> kb.get("L94.2").title
        'Calcinosis cutis'
        >>> kb.get("L94.7") is None
        True
        """
        try:
            return self._concept(self._ref(code))
        except ICD10KBError:
            return default

    def _concept(self, ref: Ref) -> Concept:
        Concept, SeventhCharacter, construct = _models()
        store = self._store
        position, char = ref
        parents, ids = store.parents, store.ids
        top, block = store.chapter_and_block(position)
        seventh = None
        if char:
            seventh = construct(
                SeventhCharacter, character=char, meaning=store.meaning(ref), defined_at=store.rule_owner(ref)
            )
            parent: str | None = ids[position]
        else:
            up = parents[position]
            parent = ids[up] if up >= 0 else None
        concept = construct(
            Concept,
            code=store.id_of(ref) if char else ids[position],
            kind=store.kind(ref),
            title=store.title(ref),
            billable=store.is_billable(ref),
            depth=store.depth(ref),
            parent=parent,
            chapter=ids[top],
            block=ids[block] if block >= 0 else None,
            category=store.category_of(position),
            seventh_character=seventh,
        )
        return concept  # type: ignore[no-any-return]

    def title(self, code: object) -> str:
        """The official title of *code*.

        Examples
        --------
        >>> kb.title("S72.001A")
        'Fracture of unspecified part of neck of right femur, initial encounter for closed fracture'
        """
        titles, offsets = self._titles, self._offsets
        if type(code) is str:  # fast paths for canonical identifiers
            entry = self._known.get(code)
            if entry is None and len(code) == 8 and self._lookup is None:
                entry = self._build_lookup().get(code)
            if isinstance(entry, int):
                return titles[offsets[entry] : offsets[entry + 1]]
            if entry is not None:
                return f"{titles[offsets[entry[0]] : offsets[entry[0] + 1]]}, {entry[1]}"
        store = self._store
        position, char = self._ref(code)
        title = titles[offsets[position] : offsets[position + 1]]
        if not char:
            return title
        return f"{title}, {store.meaning((position, char))}"

    def kind(self, code: object) -> str:
        """``"chapter"``, ``"block"``, ``"category"``, ``"subcategory"`` or ``"code"``."""
        return self._store.kind(self._ref(code))

    def is_billable(self, code: object) -> bool:
        """Whether *code* is valid on a claim: a leaf of the hierarchy.

        Examples
        --------
        >>> kb.is_billable("S72.001A"), kb.is_billable("S72.001")
        (True, False)
        """
        return self._store.is_billable(self._ref(code))

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

    def chapter(self, code: object) -> str:
        """The chapter of *code*.

        Examples
        --------
        >>> kb.chapter("L94.2")
        '12'
        """
        return self._store.ids[self._store.chapter_and_block(self._ref(code)[0])[0]]

    def block(self, code: object) -> str | None:
        """The innermost block that holds *code*, or None above blocks.

        Examples
        --------
        >>> kb.block("C00"), kb.block("C00-C14")
        ('C00-C14', 'C00-C75')
        """
        block = self._store.chapter_and_block(self._ref(code)[0])[1]
        return self._store.ids[block] if block >= 0 else None

    def category(self, code: object) -> str | None:
        """The three-character category of *code*, or None above categories.

        Examples
        --------
        >>> kb.category("S72.001A")
        'S72'
        """
        return self._store.category_of(self._ref(code)[0])

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
        if not isinstance(spec, str) or spec.count("-") != 1:
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
        size = len(dotless(store.ids[first[0]]))
        if len(dotless(store.ids[last[0]])) != size or store.kinds[first[0]] in "CB" or store.kinds[last[0]] in "CB":
            raise InvalidCodeError(spec, "both ends of a range must be codes of the same length", "range")
        if last[0] < first[0]:
            raise InvalidCodeError(spec, "the range runs backwards", "range")
        codes = [
            store.ids[position]
            for position in range(first[0], last[0] + 1)
            if store.kinds[position] not in "CB" and len(dotless(store.ids[position])) == size
        ]
        if not descendants:
            return tuple(codes)
        out: list[str] = []
        for code in codes:
            out.append(code)
            out.extend(self.descendants(code))
        return tuple(out)

    # --- notes -------------------------------------------------------------------

    def _notes_table(self) -> dict[str, dict[str, list[str]]]:
        if self._notes is None:
            with self._locks["notes"]:
                if self._notes is None:
                    self._notes = self._notes_loader()
        return self._notes

    def notes(self, code: object, *, inherited: bool = False) -> tuple[Note, ...]:
        """The instructional notes of *code*.

        Parameters
        ----------
        code:
            The concept.
        inherited:
            Also return the notes of its ancestors, which apply to it too
            (an Excludes1 note at a category covers all its codes).

        Notes
        -----
        A 7th-character code has no notes of its own: it gets one
        ``seventh_characters`` note with its own character and meaning (carried
        by the concept that defines it), and its base code's notes only with
        *inherited*.

        Examples
        --------
        >>> [n.text for n in kb.notes("L94")]
        ['systemic connective tissue disorders (M30-M36)']
        >>> [n.at for n in kb.notes("L94.2", inherited=True)][:1]
        ['L94']
        """
        from .models import NOTE_ORDER, Note

        ref = self._ref(code)
        table = self._notes_table()
        ids = [self._id(ref)] if not ref[1] else []
        if inherited:
            ids += [self._store.ids[p] for p in self._store.ancestors(ref)]
        notes: list[Note] = []
        if ref[1]:
            notes.append(
                Note.model_construct(
                    kind="seventh_characters",
                    text=f"{ref[1]}: {self._store.meaning(ref)}",
                    at=self._store.rule_owner(ref),
                )
            )
        for owner in ids:
            own = table.get(owner, {})
            for kind in sorted(own, key=NOTE_ORDER.get):  # type: ignore[arg-type]
                if ref[1] and kind == "seventh_characters":
                    continue  # a 7th-character code has its own character above, not the whole table
                notes.extend(Note.model_construct(kind=kind, text=text, at=owner) for text in own[kind])  # type: ignore[arg-type]
        return tuple(notes)

    def references(self, code: object | None = None, *, kind: str | None = None) -> tuple[Reference, ...]:
        """The code references in the notes: of one concept, or of the whole release.

        Parameters
        ----------
        code:
            The concept whose notes to read; None for every note of the release.
        kind:
            Only notes of this kind (``"excludes1"``, ``"code_first"`` …).

        Examples
        --------
        >>> [(r.reference, r.shape, r.targets) for r in kb.references("L94")]
        [('M30-M36', 'block', ('M30-M36',))]
        """
        if code is None:
            if self._references is None:
                with self._locks["references"]:
                    if self._references is None:
                        from .references import all_references

                        self._references = all_references(self)
            found = self._references
        else:
            canonical = self.normalize(code)
            cached = self._references_of.get(canonical)
            if cached is None:
                from .references import find_references

                # Only the concept's own notes (a 7th-character code's made-up note names nothing).
                cached = tuple(
                    r
                    for note in self.notes(canonical)
                    if note.at == canonical
                    for r in find_references(self, canonical, note.kind, note.text)
                )
                self._references_of[canonical] = cached  # the same tuple whoever computes it first
            found = cached
        return found if kind is None else tuple(r for r in found if r.kind == kind)

    def unresolved_references(self) -> tuple[Reference, ...]:
        """The references in the notes that name no concept of this release, with where they stand."""
        return tuple(r for r in self.references() if not r.resolved)

    # --- knowledge -------------------------------------------------------------

    @property
    def knowledge_index(self) -> KnowledgeIndex:
        """The clinical knowledge loaded into this knowledge base (built on first use)."""
        if self._knowledge is None:
            with self._locks["knowledge"]:
                if self._knowledge is None:
                    self._knowledge = self._knowledge_loader(self)
        return self._knowledge

    def knowledge(self, code: object, *, include_descendants: bool = False) -> KnowledgeProfile:
        """The clinical knowledge about *code*: causes, symptoms, tests, treatments.

        A code without knowledge gets an empty profile.

        Parameters
        ----------
        code:
            The code.
        include_descendants:
            Merge in the knowledge of every code below it (``kb.knowledge("L94",
            include_descendants=True)`` holds L94.2's facts).

        Examples
        --------
        >>> [s.label for s in kb.knowledge("L94.2").symptoms][:2]
        ['hard, firm or bumpy skin nodules', 'pain or tenderness at the deposits']
        """
        canonical = self.normalize(code)
        below = self.descendants(canonical) if include_descendants else ()
        return self.knowledge_index.profile(canonical, below)

    def codes_with_symptom(self, symptom: str) -> tuple[str, ...]:
        """Codes that present with a symptom, given by HPO id or label (any case).

        Examples
        --------
        >>> kb.codes_with_symptom("HP:0001482"), kb.codes_with_symptom("Skin ulceration")
        (('L94.2',), ('L94.2',))
        """
        return self.knowledge_index.codes_with("symptom", symptom)

    def codes_with_cause(self, cause: str, *, subsumed: bool = True) -> tuple[str, ...]:
        """Codes caused by a disease or factor, given by ICD-10-CM code or label.

        With *subsumed*, a code matches causes anywhere below it too, so a
        block such as ``"M30-M36"`` finds diseases caused by M34.

        Examples
        --------
        >>> kb.codes_with_cause("M34"), kb.codes_with_cause("M30-M36")
        (('L94.2',), ('L94.2',))
        """
        return self.knowledge_index.codes_with("cause", cause, subsumed=subsumed, kb=self)

    def codes_with_test(self, test: str) -> tuple[str, ...]:
        """Codes diagnosed with a test, given by LOINC code or label.

        Examples
        --------
        >>> kb.codes_with_test("LOINC:17861-6")
        ('L94.2',)
        """
        return self.knowledge_index.codes_with("test", test)

    def differential(self, symptoms: object, limit: int = 10) -> tuple[Candidate, ...]:
        """Rank the codes that have knowledge by how well they explain *symptoms*.

        Symptoms are HPO ids or labels (any case); each candidate explains
        its matches. See :mod:`icd10kb.differential`.

        Examples
        --------
        >>> [c.code for c in kb.differential(["subcutaneous nodule", "HP:0200042"])]
        ['L94.2']
        """
        from .differential import differential

        return differential(self, symptoms, limit)

    def shared_symptoms(self, code: object) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """Other codes with knowledge that share symptoms with *code*, with the shared labels."""
        from .differential import shared_symptoms

        return shared_symptoms(self, self.normalize(code))

    def details(self, code: object) -> ConceptDetails:
        """Everything about *code* in one model: what ``icd10kb show`` prints."""
        from .models import ConceptDetails

        ref = self._ref(code)
        return ConceptDetails.model_construct(
            concept=self._concept(ref),
            path=tuple(self[c] for c in self.path(self._id(ref))[:-1]),
            children=tuple(self._concept(r) for r in self._store.children(ref)),
            notes=self.notes(self._id(ref), inherited=True),
            knowledge=self.knowledge(self._id(ref)),
        )

    def check(self, codes: object) -> tuple[Finding, ...]:
        """Check the codes of one encounter against the classification's rules.

        See :func:`icd10kb.checks.check`: unknown, malformed, duplicate or
        non-billable codes, missing 7th characters, Excludes1 pairs and unmet
        "code first" notes, each finding quoting its note.

        Examples
        --------
        >>> [(f.kind, f.codes) for f in kb.check(["L94.2", "M34.0", "S72.001"])]
        [('missing_seventh_character', ('S72.001',)), ('excludes1', ('L94.2', 'M34.0'))]
        """
        from .checks import check

        return check(self, codes)

    # --- release -------------------------------------------------------------

    @property
    def release(self) -> Release:
        """Which release this is: classification, version, date, source and checksums.

        Examples
        --------
        >>> kb.release.name, kb.release.classification
        ('2026-04-01', 'ICD-10-CM')
        """
        if self._release is None:
            with self._locks["release"]:
                if self._release is None:
                    self._release = self._build_release()
        return self._release

    def _build_release(self) -> Release:
        from .models import Release, SourceFile

        info = self._store.header["release"]
        return Release.model_validate(
            {
                **{
                    k: info.get(k)
                    for k in ("name", "classification", "version", "effective", "title", "source", "license")
                },
                "files": tuple(SourceFile(**f) for f in info.get("files", ())),
                "concepts": len(self),
                "billable": sum(self._store.billable) + self._store.seventh_total,
                "anomalies": tuple(self._store.header.get("anomalies", ())),
            }
        )

    @property
    def rejected_seventh_characters(self) -> tuple[str, ...]:
        """Codes the 7th-character rules would make but the release's code list does not hold.

        Examples
        --------
        >>> "S06.1X7D" in kb.rejected_seventh_characters
        True
        """
        return tuple(self._store.header.get("rejected_seventh", ()))

    # --- views -----------------------------------------------------------------

    @property
    def graph(self) -> nx.MultiDiGraph[str]:
        """The whole knowledge graph as a read-only networkx ``MultiDiGraph``.

        Built on first use. See :mod:`icd10kb.graph` for its nodes and edges.
        """
        if self._graph is None:
            with self._locks["graph"]:
                if self._graph is None:
                    from .graph import build_graph

                    self._graph = build_graph(self)
        return self._graph

    @property
    def hierarchy(self) -> nx.MultiDiGraph[str]:
        """A read-only view of :attr:`graph` with only the hierarchy's edges.

        ``networkx.descendants(kb.hierarchy, c)`` equals ``set(kb.descendants(c))``.
        """
        from .graph import hierarchy_view

        return hierarchy_view(self.graph)

    def subgraph(
        self,
        code: object,
        *,
        ancestors: bool = True,
        children: bool = True,
        siblings: bool = False,
        knowledge: bool = True,
    ) -> nx.MultiDiGraph[str]:
        """A code's neighbourhood as a new networkx graph, ready to draw or export.

        See :func:`icd10kb.graph.neighbourhood`.
        """
        from .graph import neighbourhood

        return neighbourhood(
            self, self.normalize(code), ancestors=ancestors, children=children, siblings=siblings, knowledge=knowledge
        )

    def search(
        self,
        text: str,
        limit: int = 10,
        *,
        chapter: str | None = None,
        block: str | None = None,
        billable: bool | None = None,
    ) -> tuple[SearchHit, ...]:
        """Find codes from words: titles, inclusion terms, includes notes and knowledge labels.

        Tolerates case, word order, plural and other endings and small typos;
        a code typed as the query comes first. See :mod:`icd10kb.search`.

        Parameters
        ----------
        text:
            The words to look for (at most 500 characters).
        limit:
            The most hits to return.
        chapter, block:
            Only concepts within this chapter or block.
        billable:
            Only billable codes (True) or only headers (False).

        Returns
        -------
        tuple[SearchHit, ...]
            Best first; each hit says which texts matched.

        Examples
        --------
        >>> [h.code for h in kb.search("calcium deposits in the skin", 3)][:1]
        ['L94.2']
        >>> hit = kb.search("calcinossis cutis", 1)[0]
        >>> hit.code, hit.corrections
        ('L94.2', (('calcinossis', 'calcinosis'),))
        """
        if self._search is None:
            with self._locks["search"]:
                if self._search is None:
                    from .search import SearchIndex

                    self._search = SearchIndex(self)
        return self._search.search(text, limit, chapter=chapter, block=block, billable=billable)
