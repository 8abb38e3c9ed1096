"""Code references in notes: every shape, resolution rate, edges."""

from __future__ import annotations

import collections

import pytest

import icd10kb


def refs(kb: icd10kb.KnowledgeBase, code: str, reference: str) -> icd10kb.references.Reference:  # type: ignore[name-defined]
    found = [r for r in kb.references(code) if r.reference == reference]
    assert found, [r.reference for r in kb.references(code)]
    return found[0]


def test_l94_excludes1_points_at_the_block(kb: icd10kb.KnowledgeBase) -> None:
    (reference,) = kb.references("L94")
    assert (reference.kind, reference.shape, reference.targets, reference.below) == ("excludes1", "block", ("M30-M36",), True)
    assert kb.graph.has_edge("L94", "M30-M36", key="excludes1")
    assert kb.graph.edges["L94", "M30-M36", "excludes1"]["text"] == "systemic connective tissue disorders (M30-M36)"


@pytest.mark.parametrize(
    ("code", "reference", "shape", "targets"),
    [
        ("L95", "L81.7", "code", ("L81.7",)),  # a single code
        ("L95", "M54.0-", "code_and_below", ("M54.0",)),  # a code and all below
        ("1", "Z16.-", "code_and_below", ("Z16",)),
        ("1", "P35-P39", "block", ("P35-P39",)),  # a range that is a block
        ("12", "A00-B99", "chapter", ("1",)),  # a range that is a chapter
        ("12", "O00-O9A", "chapter", ("15",)),
    ],
)
def test_reference_shapes(kb: icd10kb.KnowledgeBase, code: str, reference: str, shape: str, targets: tuple[str, ...]) -> None:
    found = refs(kb, code, reference)
    assert (found.shape, found.targets) == (shape, targets)


def test_lists_ranges_and_qualified_ranges(kb: icd10kb.KnowledgeBase) -> None:
    every = kb.references()
    shapes = collections.Counter(r.shape for r in every)
    assert set(shapes) >= {"code", "code_and_below", "range", "block", "chapter", "qualified"}
    # a list: "(E10.-, E11.-)" style notes give one reference per item
    by_note = collections.defaultdict(list)
    for r in every:
        by_note[(r.at, r.kind, r.text)].append(r)
    assert any(len(v) > 1 and all(r.shape == "code_and_below" for r in v) for v in by_note.values())
    # a range that is not a block resolves to its codes
    ranges = [r for r in every if r.shape == "range" and r.resolved]
    assert ranges and all(len(r.targets) >= 1 for r in ranges)
    # qualified: "T36-T50 with fifth or sixth character 5" -> the adverse-effect codes
    qualified = [r for r in every if r.reference == "T36-T50 with fifth or sixth character 5"]
    assert qualified
    targets = qualified[0].targets
    assert "T36.0X5" in targets and "T50.995" in targets
    assert all(c.replace(".", "")[4] == "5" or c.replace(".", "")[5] == "5" for c in targets)
    assert not any(t.endswith(("A", "D", "S")) and len(t) == 8 for t in targets)  # topmost matches only
    # continuation: "(F10-F19, with .17, .27, .97)"
    continued = [r for r in every if r.at == "F02" and r.reference in (".27", ".97")]
    assert continued and all(t.endswith(r.reference[1:]) for r in continued for t in r.targets)


def test_resolution_rate_and_nothing_dropped(kb: icd10kb.KnowledgeBase) -> None:
    every = kb.references()
    unresolved = kb.unresolved_references()
    assert len(every) > 10_000
    assert len(unresolved) / len(every) < 0.01
    for r in unresolved:
        assert r.at in kb and r.text and r.reference  # each says where it stands
    # the official files name G31.90, which no release here contains
    assert ("F02", "G31.90") in {(r.at, r.reference) for r in unresolved}


def test_references_by_kind(kb: icd10kb.KnowledgeBase) -> None:
    assert {r.kind for r in kb.references("G63", kind="code_first")} == {"code_first"}
    assert kb.references("L94", kind="excludes2") == ()


def test_qualifiers_reach_every_listed_category(kb: icd10kb.KnowledgeBase) -> None:
    # Regression (review): "(F10, F13, F19 with .26, .96)" qualified only F19.
    found = {r.reference: r.targets for r in kb.references("F44.0")}
    assert found["F10"] == ("F10.26",) and found["F13"] == ("F13.26",)
    assert found[".96"] == ("F10.96", "F13.96", "F19.96")


def test_hyphenated_and_final_character_qualifiers(kb: icd10kb.KnowledgeBase) -> None:
    # Regression (review): "fifth-character" was read as an ending, and "-23" matched I69.23 itself.
    pertussis = refs(kb, "J17", "A37 with fifth-character 1")
    assert pertussis.targets == ("A37.01", "A37.11", "A37.81", "A37.91")
    fluency = refs(kb, "F80.81", "I69. with final characters -23")
    assert fluency.targets == ("I69.023", "I69.123", "I69.223", "I69.323", "I69.823", "I69.923")
    fractures = refs(kb, "S31", "S32.1--S32.9 with 7th character B")
    assert fractures.shape == "qualified" and all(t.endswith("B") and len(t) == 8 for t in fractures.targets)


def test_each_concepts_references_equal_reading_its_own_notes(kb: icd10kb.KnowledgeBase) -> None:
    """For a shipped release a concept's references come from the compiled file, grouped once; reading
    the concept's notes again gives the same references in the same order, for every concept."""
    from icd10kb.notes.notes import notes
    from icd10kb.notes.references import find_references, own_references

    differ = []
    for code in kb.store.ids:
        again = tuple(
            r for note in notes(kb, code) if note.at == code for r in find_references(kb, code, note.kind, note.text)
        )
        if own_references(kb, code) != again:
            differ.append(code)
    assert differ == []
    assert own_references(kb, "S72.001A") == ()  # a 7th-character code's made-up note names nothing
