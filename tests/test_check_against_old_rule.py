"""kb.check equals the implementation before the linear rewrite, finding for finding and in order.

``_old_check`` transcribes the pre-rewrite algorithm (``git show 717929c~1:icd10kb/notes/checks.py``)
against the public API: for each code, every note that applies to it (its own, then its
ancestors'), the codes its targets cover, each pair tested against the code's lineage. The
encounters mix note carriers and their targets with headers, chapters, blocks, 7th-character
codes, the same code in another spelling, malformed and unknown codes. The shipped release
(compiled references) and a release loaded from the official files (references read concept by
concept) are both checked, and so is the MAX_PAIRS limit.
"""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

import pytest

import icd10kb
from icd10kb.errors import CodeNotFoundError, InvalidArgumentError, InvalidCodeError
from icd10kb.notes import checks
from icd10kb.notes.notes import notes
from icd10kb.notes.references import own_references

OFFICIAL = Path(__file__).resolve().parent.parent / "data" / "official"
_CONDITIONAL = re.compile(r"\b(if applicable|if known|if present|if any|for adverse effects?|any associated)\b", re.I)

Row = tuple[Any, ...]


_OWN: dict[str, Any] = {"own_references": own_references}  # swapped for a doctored one by a test


def _notes_of(kb: icd10kb.KnowledgeBase, code: str, kind: str) -> list[Any]:
    own = _OWN["own_references"]
    return [r for owner in (code, *kb.ancestors(code)) for r in own(kb, owner) if r.kind == kind]


def _old_check(kb: icd10kb.KnowledgeBase, codes: list[Any], max_pairs: int = checks.MAX_PAIRS) -> list[Row]:
    findings: list[Row] = []
    valid: list[str] = []
    seen: set[str] = set()
    for raw in codes:
        try:
            code = kb.normalize(raw)
        except InvalidCodeError as exc:
            findings.append(("malformed", "error", (str(raw)[:40],), exc.reason, None, None, ()))
            continue
        except CodeNotFoundError as exc:
            findings.append(("unknown", "error", (exc.code,), str(exc), None, None, tuple(exc.suggestions)))
            continue
        if code in seen:
            findings.append(("duplicate", "warning", (code,), f"{code} is listed twice", None, None, ()))
            continue
        seen.add(code)
        valid.append(code)
        if not kb.is_billable(code):
            position, char = kb.ref(code)
            if not char and position in kb.store.seventh:
                findings.append(
                    ("missing_seventh_character", "error", (code,), f"{code} needs a 7th character", None, None,
                     tuple(kb.children(code)[:20]))
                )
            else:
                below = kb.billable_codes(code)
                findings.append(
                    ("not_billable", "error", (code,),
                     f"{code} is a header, not a billable code; {len(below)} billable codes lie beneath it", None,
                     None, tuple(below[:20]))
                )
    lineages = [frozenset((code, *kb.ancestors(code))) for code in valid]
    under: dict[str, list[int]] = {}
    for i, lineage in enumerate(lineages):
        for concept in lineage:
            under.setdefault(concept, []).append(i)
    # Excludes1, as before the rewrite
    found: dict[tuple[str, str], Row] = {}
    for ia, a in enumerate(valid):
        for reference in _notes_of(kb, a, "excludes1"):
            hits: set[int] = set()
            for target in reference.targets:
                hits.update(under.get(target, ()))
            for ib in sorted(hits):
                b = valid[ib]
                if ib == ia or a in lineages[ib] or b in lineages[ia] or reference.at in lineages[ib]:
                    continue
                pair = (a, b) if a < b else (b, a)
                if pair not in found:
                    if len(found) >= max_pairs:
                        raise InvalidArgumentError("<codes>", "too many pairs", "list of codes")
                    found[pair] = (
                        "excludes1", "error", (a, b), f"{a} and {b} are not coded together (Excludes1 at {reference.at})",
                        reference.text, reference.at, (),
                    )
    findings += found.values()
    # code first, as before the rewrite
    for index, code in enumerate(valid):
        by_carrier: dict[str, list[Any]] = {}
        for reference in _notes_of(kb, code, "code_first"):
            by_carrier.setdefault(reference.at, []).append(reference)
        for at, refs in by_carrier.items():
            targets = [t for r in refs for t in r.targets]
            if not targets:
                continue
            text = "; ".join(n.text for n in notes(kb, at) if n.kind == "code_first")
            first = min(
                (next((i for i in under.get(t, ())[:2] if i != index), len(valid)) for t in targets),
                default=len(valid),
            )
            if first == len(valid) and not _CONDITIONAL.search(text):
                findings.append(
                    ("code_first", "warning", (code,),
                     f"the 'code first' note at {at} asks for {code}'s underlying condition to be "
                     f"coded first, and none of the conditions it names is in the encounter", text, at, ())
                )
            elif index < first < len(valid):
                findings.append(
                    ("code_first", "warning", (code, valid[first]),
                     f"{valid[first]} is to be listed before {code} (code first note at {at})", text, at, ())
                )
    return findings


def _rows(findings: tuple[Any, ...]) -> list[Row]:
    return [(f.kind, f.severity, f.codes, f.message, f.note, f.note_at, tuple(f.suggestions)) for f in findings]


class _Pools:
    def __init__(self, kb: icd10kb.KnowledgeBase) -> None:
        everything = list(kb)
        self.all = everything
        self.refs = [r for r in kb.references() if r.kind in ("excludes1", "code_first") and r.targets]
        self.seventh = [c for c in everything if kb.ref(c)[1]]
        self.headers = [c for c in everything if not kb.is_billable(c)]
        self.upper = [c for c in everything if kb.kind(c) in ("chapter", "block")]


def _encounter(kb: icd10kb.KnowledgeBase, pools: _Pools, rng: random.Random, size: int) -> list[Any]:
    codes: list[Any] = []
    for _ in range(size):
        reference = rng.choice(pools.refs)  # a code under a note's carrier and one under its target: conflicts
        codes.append(rng.choice((reference.at, *kb.descendants(reference.at)[:200])))
        target = rng.choice(reference.targets)
        codes.append(rng.choice((target, *kb.descendants(target)[:200])))
    codes += rng.sample(pools.seventh, rng.randint(0, size))
    codes += rng.sample(pools.headers, rng.randint(0, 3))
    codes += rng.sample(pools.upper, rng.randint(0, 2))
    codes += rng.sample(pools.all, rng.randint(0, size))
    for _ in range(rng.randint(0, 3)):  # an ancestor of a code already there
        ancestors = kb.ancestors(rng.choice(codes))
        if ancestors:
            codes.append(rng.choice(ancestors))
    for code in rng.sample(codes, min(2, len(codes))):  # the same code, spelt otherwise: a duplicate
        codes.append(code.lower().replace(".", ""))
    codes += rng.sample(["Z99.999", "A00.09", "XX", "", "L94.2.", 12, None], rng.randint(0, 2))
    rng.shuffle(codes)
    return codes


@pytest.fixture(scope="module")
def shipped() -> tuple[icd10kb.KnowledgeBase, _Pools]:
    kb = icd10kb.load()
    return kb, _Pools(kb)


@pytest.mark.parametrize("seed", range(20))
def test_check_equals_the_old_implementation(shipped: tuple[icd10kb.KnowledgeBase, _Pools], seed: int) -> None:
    kb, pools = shipped
    rng = random.Random(seed)
    for size in (1, 2, 4, 8, 16):
        codes = _encounter(kb, pools, rng, size)
        assert _rows(kb.check(codes)) == _old_check(kb, codes), codes


def test_check_equals_the_old_implementation_on_large_encounters(shipped: tuple[icd10kb.KnowledgeBase, _Pools]) -> None:
    kb, pools = shipped
    rng = random.Random(99)
    for _ in range(3):
        codes = _encounter(kb, pools, rng, 60) + rng.sample(pools.all, 300)
        assert _rows(kb.check(codes)) == _old_check(kb, codes)


def test_check_equals_the_old_implementation_on_a_release_loaded_from_the_official_files() -> None:
    # A release that is not shipped reads each concept's references as asked for (not the compiled table).
    kb = icd10kb.load_tabular(
        OFFICIAL / "icd10cm-tabular-2025-04-01.xml.gz", OFFICIAL / "icd10cm-code-list-2025-04-01.txt.gz"
    )
    assert kb.shipped_release is None
    pools = _Pools(icd10kb.load("2025-04-01"))
    rng = random.Random(7)
    for size in (1, 3, 8, 20):
        codes = _encounter(kb, pools, rng, size)
        assert _rows(kb.check(codes)) == _old_check(kb, codes), codes


@pytest.mark.parametrize("seed", range(6))
def test_max_pairs_is_refused_exactly_when_the_old_implementation_refused(
    shipped: tuple[icd10kb.KnowledgeBase, _Pools], seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    kb, pools = shipped
    rng = random.Random(seed)
    codes = _encounter(kb, pools, rng, 10)
    pairs = sum(1 for row in _old_check(kb, codes) if row[0] == "excludes1")
    for limit in {0, max(pairs - 1, 0), pairs, pairs + 1}:
        monkeypatch.setattr(checks, "MAX_PAIRS", limit)
        if pairs > limit:
            with pytest.raises(InvalidArgumentError):
                kb.check(codes)
            with pytest.raises(InvalidArgumentError):
                _old_check(kb, codes, limit)
        else:
            assert _rows(kb.check(codes)) == _old_check(kb, codes, limit)


def test_notes_that_name_their_own_subtree_or_their_ancestors(
    shipped: tuple[icd10kb.KnowledgeBase, _Pools], monkeypatch: pytest.MonkeyPatch
) -> None:
    # No shipped Excludes1 note names a concept at or below its carrier, or above it, so the rewrite's
    # "minus the codes under the carrier, minus the carrier's ancestors" is never exercised by real
    # notes: doctored ones (added to the real ones) make it so.
    from icd10kb.classification.models import construct
    from icd10kb.notes.models import Reference

    kb, _ = shipped

    def fake(at: str, *targets: str) -> Reference:
        return construct(
            Reference, at=at, kind="excludes1", text=f"doctored note at {at}", reference=",".join(targets),
            shape="code", targets=targets, below=True,
        )

    extra = {
        "L94": (fake("L94", "L94.2", "L80-L99", "M34"),),  # its own child, its block, and another category
        "M34.0": (fake("M34.0", "M34", "M30-M36", "L94.2"),),  # its parent, its block, and a code elsewhere
        "L80-L99": (fake("L80-L99", "L94", "12"),),  # a block naming a category in it and its own chapter
        "S72.0": (fake("S72.0", "S72.001", "S72", "L94"),),
    }

    def doctored_own(kb_: Any, concept: str) -> tuple[Any, ...]:
        return (*own_references(kb_, concept), *extra.get(concept, ()))

    real_lookup = checks.own_references_lookup

    def doctored_lookup(kb_: Any) -> Any:
        lookup = real_lookup(kb_)
        return lambda concept: (*lookup(concept), *extra.get(concept, ()))

    monkeypatch.setitem(_OWN, "own_references", doctored_own)
    monkeypatch.setattr(checks, "own_references_lookup", doctored_lookup)
    around = [
        "L94", "L94.2", "L94.0", "L80-L99", "12", "M34", "M34.0", "M34.1", "M30-M36", "13", "L95.8", "L81.7",
        "S72.0", "S72.001", "S72.001A", "S72", "S72.002B", "19", "E85.1", "G63",
    ]
    rng = random.Random(5)
    for _ in range(150):
        codes = rng.sample(around, rng.randint(2, len(around)))
        assert _rows(kb.check(codes)) == _old_check(kb, codes), codes
