"""Code references inside instructional notes, resolved to concepts.

A note such as *"systemic connective tissue disorders (M30-M36)"* names
other concepts in parentheses. This module finds every such reference and
resolves it against a release. The shapes understood (counts are for the
2026-04-01 release):

- a single code, ``(L81.7)``;
- a code and everything below it, ``(S78.-)``, ``(M54.0-)``;
- a range, ``(M30-M36)``: resolved to the block or chapter with exactly
  that range when there is one, otherwise to every code of the range;
- lists, ``(E10.-, E11.-)`` (also separated by ``;``);
- qualified ranges, ``(T36-T50 with fifth or sixth character 5)``,
  ``(V01-V09 with 5th character 9)``, ``(E08-E13 with .51-.52)``,
  ``(I69. with final characters -23)``, ``(S06.0X- with seventh character A)``:
  resolved to the codes that match the qualifier (the topmost ones; their
  descendants are implied), and a following ``.251`` continues the same
  range with another ending;
- ranges and lists in words: ``M05.00 to M05.8A``, ``S24.0 and S24.1``;
- slips of the files, read as meant: ``M51.1.-``, ``S00 - S09``, ``i.e. E05.8``.

Every reference becomes one :class:`Reference`; those that cannot be
resolved are listed by ``kb.unresolved_references()`` with where they stand. Nothing is
dropped silently. In the graph each target is an edge from the concept that
carries the note, keyed by the note's kind.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

from ..classification.codes import strip_dot
from ..classification.models import construct
from ..errors import ICD10KBError, InvalidArgumentError
from .models import NOTE_ORDER, NoteEdge, Reference, Shape

if TYPE_CHECKING:
    from ..classification.core import Classification

__all__ = [
    "DATASET",
    "NoteEdge",
    "Reference",
    "Shape",
    "all_references",
    "decode",
    "encode",
    "find_references",
    "note_edges",
    "read_references",
    "references",
]


_GROUP = re.compile(r"\(([^()]*)\)")
_CODE = r"[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{0,4})?"
_TOKEN = re.compile(r"(?<![0-9A-Za-z])[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{0,4})?-?(?![0-9A-Za-z])")
_SINGLE = re.compile(rf"({_CODE})")
_BELOW = re.compile(rf"({_CODE}?)\.?-")
_RANGE = re.compile(rf"({_CODE})-?\s*-\s*({_CODE})(\.?-)?")
_QUALIFIED = re.compile(rf"({_CODE}(?:-{_CODE})?)\.?-?\s*with\s+(.+)", re.IGNORECASE)
_POSITION = re.compile(
    r"(?:(fifth|5th|sixth|six|6th|seventh|7th)(?:\s+or\s+(fifth|5th|sixth|six|6th))?|final)[\s-]+characters?\s+(.+)",
    re.IGNORECASE,
)
_ORDINAL = {"fifth": 4, "5th": 4, "sixth": 5, "six": 5, "6th": 5, "seventh": 6, "7th": 6}
_PREFIXES = ("i.e.", "e.g.", "see")


def _top_matches(kb: Classification, roots: list[str], test: Callable[[str], bool]) -> list[str]:
    """The topmost concepts at or below *roots* for which *test(strip_dot code)* holds."""
    out: list[str] = []
    store = kb.store
    for root in roots:
        ref = store.resolve(root)
        if ref is None:
            continue
        matched, skip_until = -1, -1
        for position, char in [ref, *store.descendants(ref)]:
            if matched <= position < skip_until and (position, char) != (matched, ""):
                continue
            code = store.id_of((position, char))
            if test(strip_dot(code)):
                out.append(code)
                if not char:
                    matched, skip_until = position, store.ends[position]
    return out


def _chars(spec: str) -> set[str]:
    spec = spec.strip().strip(".")
    match = re.fullmatch(r"([0-9A-Z])\s*-\s*([0-9A-Z])", spec)
    if match:
        return {chr(c) for c in range(ord(match.group(1)), ord(match.group(2)) + 1)}
    return {c for c in re.split(r"[\s,]+|\bor\b", spec) if len(c) == 1}


def _suffixes(spec: str) -> list[str]:
    spec = spec.strip()
    match = re.fullmatch(r"\.?([0-9]+)\s*-\s*\.?([0-9]+)", spec)
    if match and len(match.group(1)) == len(match.group(2)):
        width = len(match.group(1))
        return [str(n).zfill(width) for n in range(int(match.group(1)), int(match.group(2)) + 1)]
    return [s for s in re.split(r"[\s.,-]+|\bor\b", spec) if s]


class _Resolver:
    def __init__(self, kb: Classification) -> None:
        self.kb = kb
        self.chapters: dict[str, str] = {}
        store = kb.store
        for position in range(store.size):
            if store.kinds[position] == "C":
                categories = [i for i in range(position, store.ends[position]) if store.kinds[i] == "c"]
                if categories:
                    self.chapters[f"{store.ids[categories[0]]}-{store.ids[categories[-1]]}"] = store.ids[position]

    def code(self, text: str) -> str | None:
        text = text.rstrip(".")
        for candidate in (text, text.rstrip("X").rstrip(".")):
            try:
                return self.kb.normalize(candidate)
            except ICD10KBError:
                continue
        return None

    def categories(self, first: str, last: str) -> list[str]:
        a, b = self.code(first), self.code(last)
        if a is None or b is None:
            return [c for c in (a, b) if c]
        try:
            return list(self.kb.expand_range(f"{a}-{b}"))
        except ICD10KBError:
            return [a, b]

    def range(self, first: str, last: str) -> tuple[Shape, list[str]]:
        key = f"{first}-{last}"
        if key in self.chapters:
            return "chapter", [self.chapters[key]]
        if "." not in key and key in self.kb.store.index:
            return "block", [key]
        if first == last and "." not in first and f"{first}-{first}" in self.kb.store.index:
            return "block", [f"{first}-{first}"]
        return "range", self.categories(first, last)

    def qualified(self, scope: str, qualifier: str) -> list[str]:
        scope = scope.rstrip(".-")
        if "-" in scope:
            first, last = (s.strip() for s in scope.split("-", 1))
            roots = self.categories(first, last)
        else:
            root = self.code(scope)
            roots = [root] if root else []
        position = _POSITION.fullmatch(qualifier.strip())
        if position is not None and position.group(1):
            places = {_ORDINAL[position.group(1).lower()]}
            if position.group(2):
                places.add(_ORDINAL[position.group(2).lower()])
            wanted = _chars(position.group(3))
            found = _top_matches(self.kb, roots, lambda c: any(len(c) > p and c[p] in wanted for p in places))
        else:
            if position is not None:  # "final characters -23" or ".00 or .01"
                qualifier = position.group(3)
            found = self.suffixes(roots, qualifier) if re.search(r"\d", qualifier) else []
        # A qualifier in words ("to indicate intent") names no characters: the
        # reference then stands for its whole range, as the shape records.
        return found or roots

    def suffixes(self, roots: list[str], qualifier: str) -> list[str]:
        endings = _suffixes(qualifier)
        exact = qualifier.strip().startswith(".")

        def test(code: str) -> bool:
            # ".151": the part after the dot is exactly that; "-23": it ends so, after something
            tail = code[3:]
            return any((tail == e) if exact else (tail.endswith(e) and len(tail) > len(e)) for e in endings)

        return _top_matches(self.kb, roots, test)


def _items(group: str) -> list[str]:
    out = []
    for item in re.split(r"[,;]|\s+and\s+", group):
        item = re.sub(r"(?<=[0-9A-Z])\s+to\s+(?=[A-Z][0-9])", "-", item.strip())
        for prefix in _PREFIXES:
            if item.lower().startswith(prefix):
                item = item[len(prefix) :].strip()
        if item:
            out.append(item)
    return out


def find_references(kb: Classification, code: str, kind: str, text: str) -> Iterator[Reference]:
    """The references in one note *text* of kind *kind* carried by *code*.

    Within one parenthesised group, a qualifier applies to the bare
    categories listed just before it too: in ``(F10, F13, F19 with .26, .96)``
    the endings ``.26`` and ``.96`` qualify F10, F13 and F19 alike.
    """
    from ..arguments import check_text

    code, kind, text = check_text(code, "code"), check_text(kind, "kind"), check_text(text, "note text", 100_000)
    resolver = _resolver(kb)
    for group in _GROUP.findall(text):
        if not _TOKEN.search(group):
            continue
        found: list[Reference] = []
        bare: list[int] = []  # positions in *found* of bare categories a qualifier may still reach
        scopes: list[str] = []
        for item in _items(group):
            compact = _compact(item)
            qualified = _QUALIFIED.fullmatch(compact)
            if qualified is not None:
                scope, qualifier = qualified.group(1), qualified.group(2)
                for index in bare:
                    earlier = found[index]
                    found[index] = _make(earlier, "qualified", resolver.qualified(earlier.reference, qualifier), True)
                scopes = [found[i].reference for i in bare] + [scope]
                bare = []
                found.append(
                    _reference(code, kind, text, item, "qualified", resolver.qualified(scope, qualifier), True)
                )
            elif scopes and (item.startswith(".") or item.lower().startswith("with ")):
                qualifier = item[5:] if item.lower().startswith("with ") else item
                targets = [t for s in scopes for t in resolver.qualified(s, qualifier)]
                found.append(_reference(code, kind, text, item, "qualified", targets, True))
            else:
                reference = _read_item(resolver, code, kind, text, item)
                found.append(reference)
                if reference.shape == "code" and len(strip_dot(compact)) == 3:
                    bare.append(len(found) - 1)
                    scopes = [compact]
                else:
                    bare = []
                    scopes = [compact.rstrip(".-")] if _TOKEN.match(compact) else []
        yield from found


def _compact(item: str) -> str:
    return re.sub(r"\s*-+\s*", "-", item)


def _reference(
    code: str, kind: str, text: str, item: str, shape: Shape, targets: Sequence[str | None], below: bool
) -> Reference:
    unique = tuple(dict.fromkeys(t for t in targets if t))
    return Reference.model_construct(
        at=code, kind=kind, text=text, reference=item, shape=shape, targets=unique, below=below
    )


def _make(earlier: Reference, shape: Shape, targets: Sequence[str | None], below: bool) -> Reference:
    return _reference(earlier.at, earlier.kind, earlier.text, earlier.reference, shape, targets, below)


def _read_item(resolver: _Resolver, code: str, kind: str, text: str, item: str) -> Reference:
    def ref(shape: Shape, targets: Sequence[str | None], below: bool) -> Reference:
        return _reference(code, kind, text, item, shape, targets, below)

    compact = _compact(item)
    if _SINGLE.fullmatch(compact):
        target = resolver.code(compact)
        return ref("code", [target] if target else [], False)
    match = _BELOW.fullmatch(compact)
    if match:
        target = resolver.code(match.group(1))
        return ref("code_and_below", [target] if target else [], True)
    match = _RANGE.fullmatch(compact)
    if match:
        shape, targets = resolver.range(match.group(1).rstrip("."), match.group(2).rstrip("."))
        return ref(shape, targets, True)
    tokens = _TOKEN.findall(item)
    named = [resolver.code(token.rstrip("-")) for token in tokens]
    return ref("mention", [t for t in named if t], any(t.endswith("-") for t in tokens))


def _resolver(kb: Classification) -> _Resolver:
    return kb.piece(_Resolver)


#: The dataset that holds the references of every shipped release, read out of their notes ahead of time.
DATASET = "icd10cm-note-references"


def all_references(kb: Classification) -> tuple[Reference, ...]:
    """Every reference in every note of the release, in the classification's order (built once per release).

    For a shipped release they are read from the dataset :data:`DATASET`,
    compiled by ``scripts/build_references.py`` with :func:`encode` (reading
    them out of 55,000 notes takes seconds); for official files read with
    ``load_tabular`` they are read out of the notes now.
    """
    return kb.piece(_all_references)


def _all_references(kb: Classification) -> tuple[Reference, ...]:
    release = kb.shipped_release
    if release is not None:
        from ..datasets import describe, names, read_json

        path = f"{DATASET}/{release}.json.gz"
        if DATASET in names() and any(f.path == path for f in describe(DATASET).files):
            return decode(kb, read_json(DATASET, path), path)
    return read_references(kb)


def read_references(kb: Classification) -> tuple[Reference, ...]:
    """Every reference in every note of the release, read out of the notes' text."""
    table = kb.notes_table()
    out: list[Reference] = []
    for code in kb.store.ids:
        for kind, texts in table.get(code, {}).items():
            for text in texts:
                out.extend(find_references(kb, code, kind, text))
    return tuple(out)


def encode(references: Sequence[Reference], table: dict[str, dict[str, list[str]]]) -> list[list[object]]:
    """References as compact rows: the note by (concept, kind, position), then what was read from it."""
    from ..errors import InvalidArgumentError

    if not isinstance(table, dict) or not all(isinstance(r, Reference) for r in references):
        raise InvalidArgumentError(references, "references and the notes table they were read from", "references")
    out: list[list[object]] = []
    for r in references:
        position = table[r.at][r.kind].index(r.text)
        out.append([r.at, r.kind, position, r.reference, r.shape, list(r.targets), int(r.below)])
    return out


def decode(kb: Classification, rows: object, name: str) -> tuple[Reference, ...]:
    """The references of :func:`encode`'s rows, checked against the release's notes."""
    from ..arguments import check_text
    from ..errors import DataFileError

    name = check_text(name, "file name", 4096)
    table = kb.notes_table()
    out = []
    if not isinstance(rows, list):
        raise DataFileError(name, "not a list of references")
    try:
        for at, kind, position, reference, shape, targets, below in rows:
            out.append(
                construct(  # checked when compiled, and against the release's notes here: no validation again
                    Reference,
                    at=at,
                    kind=kind,
                    text=table[at][kind][position],
                    reference=reference,
                    shape=shape,
                    targets=tuple(targets),
                    below=bool(below),
                )
            )
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        raise DataFileError(name, f"a reference that does not fit the release's notes: {exc!r}"[:300]) from None
    return tuple(out)


def references(kb: Classification, code: object | None = None, *, kind: str | None = None) -> tuple[Reference, ...]:
    """The code references in the notes: of one concept, or of the whole release.

    Parameters
    ----------
    code:
        The concept whose own notes to read; None for every note of the release.
    kind:
        Only notes of this kind (``"excludes1"``, ``"code_first"`` …).

    Raises
    ------
    InvalidArgumentError
        If *kind* is not a kind of note.

    Examples
    --------
    >>> [(r.reference, r.shape, r.targets) for r in references(kb, "L94")]
    [('M30-M36', 'block', ('M30-M36',))]
    """
    if kind is not None and (type(kind) is not str or kind not in NOTE_ORDER):
        raise InvalidArgumentError(kind, f"a kind of note is one of {', '.join(NOTE_ORDER)}", "kind")
    found = all_references(kb) if code is None else own_references(kb, kb.normalize(code))
    return found if kind is None else tuple(r for r in found if r.kind == kind)


def own_references(kb: Classification, canonical: str) -> tuple[Reference, ...]:
    """The references in the notes of the concept *canonical* itself (its canonical identifier, unchecked)."""
    cache = kb.piece(_per_concept)
    found = cache.get(canonical, () if type(cache) is _Complete else None)
    if found is None:
        from .notes import notes

        # Only the concept's own notes (a 7th-character code's made-up note names nothing).
        found = tuple(
            r
            for note in notes(kb, canonical)
            if note.at == canonical
            for r in find_references(kb, canonical, note.kind, note.text)
        )
        found = cache.setdefault(canonical, found)  # the same tuple whoever computes it first
    return found


def own_references_lookup(kb: Classification) -> Callable[[str], tuple[Reference, ...]]:
    """:func:`own_references` for one release as a function of the concept alone: a dictionary
    look-up for a shipped release, whose references are all read at once."""
    cache = kb.piece(_per_concept)
    if type(cache) is _Complete:
        get, empty = cache.get, ()
        return lambda canonical: get(canonical, empty)
    return lambda canonical: own_references(kb, canonical)


def _per_concept(kb: Classification) -> dict[str, tuple[Reference, ...]]:
    """The references of each concept's own notes: for a shipped release, all of them at once from
    the compiled references (in the order of the notes' kinds, as the notes give them); else filled
    concept by concept as asked for."""
    if kb.shipped_release is None:
        return {}
    grouped: dict[str, list[Reference]] = {}
    for reference in all_references(kb):
        grouped.setdefault(reference.at, []).append(reference)
    return _Complete(
        (at, tuple(sorted(found, key=lambda r: NOTE_ORDER[r.kind]))) for at, found in grouped.items()
    )


class _Complete(dict):  # type: ignore[type-arg]
    """Every concept's references, read at once: a concept that is not in it has none."""

    __slots__ = ()


def note_edges(kb: Classification) -> Iterator[NoteEdge]:
    """One edge per (note, target) pair, for the graph."""
    for reference in all_references(kb):
        for target in reference.targets:
            yield NoteEdge(reference.at, target, reference.kind, reference.text, reference.reference)
