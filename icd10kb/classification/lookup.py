"""Looking codes up in one release: identifiers, records, titles, the release's description.

:class:`Lookup` is the lowest part of the classification core: it turns
any accepted spelling of a code into a position of the store, and answers
the questions asked of one code. Traversal is added by
:class:`~icd10kb.classification.core.Classification`.

The pieces that features build over a release (notes, search index,
graph …) are kept by :meth:`Lookup.piece`, which builds each once, under a
lock, keyed by the function that builds it; the core never needs to know
what they are.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar, overload

from ..errors import CodeNotFoundError, ICD10KBError, InvalidArgumentError, InvalidCodeError
from ..gcpause import collection_paused
from .codes import normalize
from .concept import Concept
from .store import Ref, Store

if TYPE_CHECKING:
    from .models import Release

__all__ = ["Lookup"]

T = TypeVar("T")
_bound = Concept._bound
_new = object.__new__
_set_concept = Concept._v.__set__  # type: ignore[attr-defined]


class Lookup:
    """Identifiers and records of one release.

    Examples
    --------
    >>> kb["L94.2"].title
    'Calcinosis cutis'
    >>> "l942" in kb, "L94.7" in kb
    (True, False)
    """

    def __init__(
        self,
        store: Store,
        notes_loader: Callable[[], dict[str, dict[str, list[str]]]],
        release: str | None = None,
    ) -> None:
        setattr_ = object.__setattr__
        #: The shipped release this was read from (None for official files read with ``load_tabular``).
        setattr_(self, "shipped_release", release)
        setattr_(self, "_store", store)
        setattr_(self, "_titles", store.titles)  # read by the title fast path
        setattr_(self, "_offsets", store.offsets)
        setattr_(self, "_kinds", store.kinds)
        #: The dictionary the fast paths read: the index until the full lookup is built, then the lookup.
        setattr_(self, "_known", store.index)
        setattr_(self, "_lookup", None)
        setattr_(self, "_notes_loader", notes_loader)
        setattr_(self, "_pieces", {})
        setattr_(self, "_piece_locks", {})
        setattr_(self, "_lock", threading.RLock())

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"a {type(self).__name__} cannot be changed (tried to set {name!r})")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"a {type(self).__name__} cannot be changed (tried to delete {name!r})")

    # --- pieces built on demand ---------------------------------------------------

    def piece(self, build: Callable[[Any], T]) -> T:
        """What ``build(self)`` returns, built once per release, under a lock of its own.

        The extension point of the core: a feature keeps its index for a
        release here, keyed by its own build function, so only that function
        can put a value in the slot. A build that raises leaves nothing
        behind.

        Examples
        --------
        >>> def count(c): return len(c)
        >>> kb.piece(count) == len(kb)
        True
        """
        if not callable(build):
            raise InvalidArgumentError(build, "piece() takes the function that builds the piece", "build")
        pieces: dict[Any, Any] = self._pieces
        try:
            return pieces[build]  # type: ignore[no-any-return]
        except KeyError:
            pass
        with self._lock:
            lock = self._piece_locks.setdefault(build, threading.RLock())
        with lock:
            if build not in pieces:
                with collection_paused():  # large indexes: see icd10kb.gcpause
                    pieces[build] = build(self)
        return pieces[build]  # type: ignore[no-any-return]

    def notes_table(self) -> dict[str, dict[str, list[str]]]:
        """The raw notes of the release: concept -> kind -> texts (read on first use)."""
        return self.piece(_load_notes)

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
            raise CodeNotFoundError(canonical, release=self.release_name, suggest=lambda: self.suggest(canonical))
        return ref

    def _build_lookup(self) -> dict[str, int | tuple[int, str]]:
        """Every canonical identifier: a position, or for a 7th-character code (base position, meaning).

        Built the first time an 8-character string (the length of a canonical
        7th-character code) is not found in the index of the tabular list, so
        that every lookup after it costs one dictionary access.
        """
        with self._lock:
            if self._lookup is None:
                store = self._store
                meanings = store.meanings
                lookup: dict[str, int | tuple[int, str]] = dict(store.index)
                for position, (chars, rule) in store.seventh.items():
                    stem = store.seventh_stem(position)
                    for char in chars:
                        lookup[stem + char] = (position, meanings[rule][char])
                object.__setattr__(self, "_lookup", lookup)
                object.__setattr__(self, "_known", lookup)
        return self._lookup  # type: ignore[return-value]

    def _id(self, ref: Ref) -> str:
        return self._store.id_of(ref)

    @property
    def store(self) -> Store:
        """The release's immutable arrays, for features that walk the whole release."""
        return self._store  # type: ignore[no-any-return]

    def ref(self, code: object) -> Ref:
        """The store's reference ``(position, 7th character)`` of *code*; the errors of :meth:`normalize`.

        Examples
        --------
        >>> kb.ref("L94.2")[1], kb.ref("S72.001A")[1]
        ('', 'A')
        """
        return self._ref(code)

    @property
    def release_name(self) -> str:
        """The short name of the release, e.g. ``'2026-04-01'``."""
        return self._store.header["release"]["name"]  # type: ignore[no-any-return]

    def normalize(self, code: object) -> str:
        """Return the canonical identifier of a code of this release.

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

        Never raises for the code: anything that is not a valid code gives False.

        Examples
        --------
        >>> kb.is_valid("L94.2", billable=True), kb.is_valid("L94", billable=True), kb.is_valid(42)
        (True, False, False)
        """
        if type(billable) is not bool:
            raise InvalidArgumentError(billable, "billable is True or False", "billable")
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
        return f"<{type(self).__name__} ICD-10-CM {self.release_name}: {len(self):,} concepts>"

    # --- records -----------------------------------------------------------------

    def __getitem__(self, code: object) -> Concept:
        if type(code) is str:  # the fast path: a canonical identifier (Concept._bound, inlined)
            entry = self._known.get(code)
            if type(entry) is int:
                concept = _new(Concept)
                _set_concept(concept, (self._store, entry, ""))
                return concept
            if entry is not None:
                return _bound(self._store, entry[0], code[7])
        position, char = self._ref(code)
        return _bound(self._store, position, char)

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
            position, char = self._ref(code)
        except ICD10KBError:
            return default
        return _bound(self._store, position, char)

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
            if type(entry) is int:
                if self._kinds[entry] in "CB":  # a chapter or block: the official title, range included
                    return self._store.title((entry, ""))  # type: ignore[no-any-return]
                return titles[offsets[entry] : offsets[entry + 1]]  # type: ignore[no-any-return]
            if entry is not None:
                return f"{titles[offsets[entry[0]] : offsets[entry[0] + 1]]}, {entry[1]}"
        return self._store.title(self._ref(code))

    def label(self, code: object) -> str:
        """A short title: a chapter's or block's without its range; other concepts' title.

        Examples
        --------
        >>> kb.title("12")
        'Diseases of the skin and subcutaneous tissue (L00-L99)'
        >>> kb.label("12"), kb.label("L94.2")
        ('Diseases of the skin and subcutaneous tissue', 'Calcinosis cutis')
        """
        position, char = self._ref(code)
        if char:
            return self._store.title((position, char))  # type: ignore[no-any-return]
        return self._store.base_title(position)  # type: ignore[no-any-return]

    def kind(self, code: object) -> str:
        """``"chapter"``, ``"block"``, ``"category"``, ``"subcategory"`` or ``"code"``.

        Examples
        --------
        >>> kb.kind("12"), kb.kind("L80-L99"), kb.kind("L94"), kb.kind("L94.2")
        ('chapter', 'block', 'category', 'code')
        """
        return self._store.kind(self._ref(code))

    def is_billable(self, code: object) -> bool:
        """Whether *code* is valid on a claim: a leaf of the hierarchy.

        Examples
        --------
        >>> kb.is_billable("S72.001A"), kb.is_billable("S72.001")
        (True, False)
        """
        return self._store.is_billable(self._ref(code))

    # --- the release ---------------------------------------------------------------

    @property
    def release(self) -> Release:
        """Which release this is: classification, version, date, source and checksums.

        Examples
        --------
        >>> kb.release.name, kb.release.classification
        ('2026-04-01', 'ICD-10-CM')
        """
        return self.piece(_build_release)

    @property
    def rejected_seventh_characters(self) -> tuple[str, ...]:
        """Codes the 7th-character rules would make but the release's code list does not hold.

        Examples
        --------
        >>> "S06.1X7D" in kb.rejected_seventh_characters
        True
        """
        return tuple(self._store.header.get("rejected_seventh", ()))


def _load_notes(lookup: Lookup) -> dict[str, dict[str, list[str]]]:
    return lookup._notes_loader()  # type: ignore[no-any-return]


def _build_release(lookup: Lookup) -> Release:
    from .models import Release, SourceFile

    store = lookup._store
    info = store.header["release"]
    return Release.model_validate(
        {
            **{
                k: info.get(k) for k in ("name", "classification", "version", "effective", "title", "source", "license")
            },
            "files": tuple(SourceFile(**f) for f in info.get("files", ())),
            "concepts": len(store),
            "billable": sum(store.billable) + store.seventh_total,
            "anomalies": tuple(store.header.get("anomalies", ())),
        }
    )
