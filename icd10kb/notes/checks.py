"""Checking the codes of one encounter against the classification's rules.

:func:`check` takes the codes reported together for one encounter, in
their order, and returns typed findings:

- ``malformed``: not shaped like a code;
- ``unknown``: well formed but not in the release (with suggestions);
- ``missing_seventh_character``: a code that takes a 7th character given
  without one (``S72.001`` for ``S72.001A``);
- ``not_billable``: a header code, with the billable codes beneath it;
- ``duplicate``: the same code twice;
- ``excludes1``: two codes that an Excludes1 note says never go together;
- ``code_first``: a manifestation code whose "code first" note names
  conditions none of which is in the encounter, or one that is listed
  after it (the etiology is sequenced first). Notes that ask for the other
  code only under a condition ("if applicable", "for adverse effects",
  "any associated …") are checked for order only.

Each finding names the codes and quotes the note it rests on. A note
carried by an ancestor applies to every code below it, and a note's target
covers everything below the target.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..errors import CodeNotFoundError, InvalidArgumentError, InvalidCodeError
from ..gcpause import collection_paused
from .findings import Finding
from .findings import FindingKind as FindingKind  # where earlier versions had it
from .notes import notes
from .references import own_references_lookup

if TYPE_CHECKING:
    from ..classification.core import Classification
    from ..notes.references import Reference

__all__ = ["MAX_CODES", "MAX_PAIRS", "check"]

#: The most codes one call checks (an encounter has a few dozen at most).
MAX_CODES = 100_000
#: The most Excludes1 pairs reported; past it the list is refused as not an encounter.
MAX_PAIRS = 500_000

def _own_of_kind(kb: Classification, kind: str) -> Callable[[str], tuple[Reference, ...]]:
    """The references of a concept's own notes of *kind*, each concept's worked out once per call."""
    own = own_references_lookup(kb)
    memo: dict[str, tuple[Reference, ...]] = {}

    def of_kind(concept: str) -> tuple[Reference, ...]:
        found = memo.get(concept)
        if found is None:
            found = memo[concept] = tuple(r for r in own(concept) if r.kind == kind)
        return found

    return of_kind


def check(kb: Classification, codes: object) -> tuple[Finding, ...]:
    """Check the codes of one encounter; see the module's description.

    Parameters
    ----------
    kb:
        The knowledge base.
    codes:
        The codes, in the order reported (the first is the principal
        diagnosis). Any spelling is accepted.

    Returns
    -------
    tuple[Finding, ...]
        The findings, in the order of the codes; empty when all is well.

    Raises
    ------
    InvalidCodeError
        If *codes* is not a list or tuple of strings (a bare string is refused,
        to catch ``check("L94.2")`` meant as ``check(["L94.2"])``).
    InvalidArgumentError
        If there are more than :data:`MAX_CODES` codes, or more than
        :data:`MAX_PAIRS` pairs of them conflict under Excludes1 notes.

    Examples
    --------
    >>> [f.kind for f in check(kb, ["L94.2", "M34.0"])]
    ['excludes1']
    >>> check(kb, ["L94.2", "E83.824"])
    ()
    """
    if isinstance(codes, (str, bytes)) or not isinstance(codes, (list, tuple)):
        raise InvalidCodeError(codes, "the codes of an encounter are given as a list", "list of codes")
    if len(codes) > MAX_CODES:
        raise InvalidArgumentError(
            f"<{len(codes)} codes>", f"an encounter holds at most {MAX_CODES:,} codes", "list of codes"
        )
    with collection_paused():  # a large encounter makes a finding per conflicting pair: see icd10kb.gcpause
        return _check(kb, codes)


def _check(kb: Classification, codes: list[Any] | tuple[Any, ...]) -> tuple[Finding, ...]:
    findings: list[Finding] = []
    valid: list[str] = []
    seen: set[str] = set()
    for raw in codes:
        try:
            code = kb.normalize(raw)
        except InvalidCodeError as exc:
            findings.append(Finding(kind="malformed", severity="error", codes=(_as_given(raw),), message=exc.reason))
            continue
        except CodeNotFoundError as exc:
            findings.append(
                Finding(
                    kind="unknown", severity="error", codes=(exc.code,), message=str(exc), suggestions=exc.suggestions
                )
            )
            continue
        if code in seen:
            findings.append(
                Finding(kind="duplicate", severity="warning", codes=(code,), message=f"{code} is listed twice")
            )
            continue
        seen.add(code)
        valid.append(code)
        if not kb.is_billable(code):
            position, char = kb.ref(code)
            if not char and position in kb.store.seventh:  # a leaf of the tabular list that takes a 7th character
                children = kb.children(code)
                findings.append(
                    Finding(
                        kind="missing_seventh_character",
                        severity="error",
                        codes=(code,),
                        message=f"{code} needs a 7th character",
                        suggestions=children[:20],
                    )
                )
            else:
                below = kb.billable_codes(code)
                findings.append(
                    Finding(
                        kind="not_billable",
                        severity="error",
                        codes=(code,),
                        message=f"{code} is a header, not a billable code; {len(below)} billable codes lie beneath it",
                        suggestions=below[:20],
                    )
                )
    lineages = [(code, *kb.ancestors(code)) for code in valid]  # each code, then its ancestors nearest first
    under: dict[str, list[int]] = {}  # concept -> positions (in *valid*) of the codes at or below it
    for i, lineage in enumerate(lineages):
        for concept in lineage:
            under.setdefault(concept, []).append(i)
    findings += _excludes1(kb, valid, lineages, under)
    findings += _code_first(kb, valid, lineages, under)
    return tuple(findings)


def _as_given(raw: object) -> str:
    """A malformed input as text for a finding (never raises, even for a hostile ``__str__``)."""
    if isinstance(raw, str):
        return str.__getitem__(raw, slice(0, 40))
    try:
        text = str(raw)
        if isinstance(text, str):
            return text[:40]
    except Exception:
        pass
    return f"<{type(raw).__name__} object>"


def _excludes1(
    kb: Classification, codes: list[str], lineages: list[tuple[str, ...]], under: dict[str, list[int]]
) -> list[Finding]:
    # Linear in the codes and the pairs found. A note at X applies to the codes under X, and
    # conflicts with the codes its targets cover (looked up in *under*: concept -> the codes at or
    # below it), except the codes under X themselves (the note speaks of its own subtree; this
    # also leaves out a code's own descendants) and X's ancestors. Those are worked out once per
    # note reference, so each pair costs one look-up.
    found: dict[int, Finding] = {}  # (position of one code) * n + (position of the other), the first the lower
    n = len(codes)
    others: dict[int, list[int]] = {}  # id(reference) -> positions of the codes it conflicts with
    position = {code: i for i, code in enumerate(codes)}
    make = Finding._excludes1
    notes_at = _own_of_kind(kb, "excludes1")
    for ia, (a, lineage) in enumerate(zip(codes, lineages, strict=True)):
        for reference in (r for concept in lineage for r in notes_at(concept)):  # the code's notes, then inherited
            hits = others.get(id(reference))
            at, text = reference.at, reference.text
            if hits is None:
                covered: set[int] = set()
                for target in reference.targets:
                    covered.update(under.get(target, ()))
                covered.difference_update(under.get(at, ()))
                covered.difference_update(position[c] for c in kb.ancestors(at) if c in position)
                hits = others[id(reference)] = sorted(covered)
            for ib in hits:
                pair = ia * n + ib if ia < ib else ib * n + ia
                if pair not in found:
                    found[pair] = make(a, codes[ib], at, text)  # valid by construction: see Finding
            if len(found) > MAX_PAIRS:  # checked per note: the list grows past the limit by one note's codes at most
                raise InvalidArgumentError(
                    f"<{len(codes)} codes>",
                    f"more than {MAX_PAIRS:,} pairs of them conflict under Excludes1 notes",
                    "list of codes",
                )
    return list(found.values())


#: Words that make a "code first" note conditional: it asks for the other code
#: only when that condition is present ("if applicable", "for adverse effects").
_CONDITIONAL = re.compile(r"\b(if applicable|if known|if present|if any|for adverse effects?|any associated)\b", re.I)


def _code_first(
    kb: Classification, codes: list[str], lineages: list[tuple[str, ...]], under: dict[str, list[int]]
) -> list[Finding]:
    # The "code first" notes at one concept are alternatives ("such as: a; b;
    # c"): the rule holds when any of the conditions they name is present.
    # Only the first other code a target covers matters, so each target costs O(1).
    findings = []
    notes_at = _own_of_kind(kb, "code_first")
    texts: dict[str, str] = {}  # carrier -> the text of its "code first" notes
    for index, (code, lineage) in enumerate(zip(codes, lineages, strict=True)):
        for at in lineage:
            targets = [t for r in notes_at(at) for t in r.targets]
            if not targets:
                continue
            text = texts.get(at)
            if text is None:
                text = texts[at] = "; ".join(n.text for n in notes(kb, at) if n.kind == "code_first")
            first = min(
                (next((i for i in under.get(t, ())[:2] if i != index), len(codes)) for t in targets),
                default=len(codes),
            )
            if first == len(codes) and not _CONDITIONAL.search(text):
                findings.append(
                    Finding(
                        kind="code_first",
                        severity="warning",
                        codes=(code,),
                        message=f"the 'code first' note at {at} asks for {code}'s underlying condition to be "
                        f"coded first, and none of the conditions it names is in the encounter",
                        note=text,
                        note_at=at,
                    )
                )
            elif index < first < len(codes):
                findings.append(
                    Finding(
                        kind="code_first",
                        severity="warning",
                        codes=(code, codes[first]),
                        message=f"{codes[first]} is to be listed before {code} (code first note at {at})",
                        note=text,
                        note_at=at,
                    )
                )
    return findings
