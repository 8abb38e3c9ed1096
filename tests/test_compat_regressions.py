"""Regressions a review of the kb.check rewrite, the lightweight records and the graph sharing found, each fixed.

Each failed before its fix.
"""

from __future__ import annotations

import inspect
import pickle

import icd10kb

# kb["L94.2"] pickled (protocol 4) by the commit before the change (afa908c): Concept.__reduce__ named
# icd10kb.classification.concept._rebuild, which the change moved to icd10kb.classification.record.
_OLD_CONCEPT_PICKLE = (
    b"\x80\x04\x95\xd6\x00\x00\x00\x00\x00\x00\x00\x8c\x1eicd10kb.classification.concept\x94\x8c\x08_rebuild\x94"
    b"\x93\x94}\x94(\x8c\x04code\x94\x8c\x05L94.2\x94\x8c\x04kind\x94h\x04\x8c\x05title\x94\x8c\x10Calcinosis cutis"
    b"\x94\x8c\x08billable\x94\x88\x8c\x05depth\x94K\x03\x8c\x06parent\x94\x8c\x03L94\x94\x8c\x07chapter\x94\x8c\x0212"
    b"\x94\x8c\x05block\x94\x8c\x07L80-L99\x94\x8c\x08category\x94\x8c\x03L94\x94\x8c\x11seventh_character\x94Nu\x85"
    b"\x94R\x94."
)


def test_a_concept_pickled_by_the_previous_version_still_loads(kb: icd10kb.KnowledgeBase) -> None:
    assert pickle.loads(_OLD_CONCEPT_PICKLE) == kb["L94.2"]


def test_graph_layer_edges_do_not_alias_each_others_attributes(kb: icd10kb.KnowledgeBase) -> None:
    # graph_layer() is public and documented as graph_edges(kb); graph_edges gives each edge its own dict.
    # Format 2 decodes one dict per distinct attribute set: 26,609 edges share 3,329 dicts, so a caller
    # that changes one edge's attributes changes thousands of others.
    from icd10kb.phenotypes.layer import graph_layer

    _, edges = graph_layer(kb)
    assert len({id(attributes) for *_, attributes in edges}) == len(edges)


def test_search_hit_model_copy_takes_its_own_matches(kb: icd10kb.KnowledgeBase) -> None:
    # model_copy is new on the search records (from Record); the update is validated against the
    # model (matches: tuple[MatchModel, ...]), so the record's own Match values are refused.
    hit = kb.search("calcinosis cutis", 1)[0]
    assert hit.model_copy(update={"matches": hit.matches}) == hit


def test_inspecting_the_record_base_class_does_not_raise() -> None:
    # Record.model_fields is a descriptor that asks the class for its model; the base has none and
    # raises NotImplementedError (not AttributeError), so inspect.getmembers(Record) fails.
    from icd10kb.classification.record import Record

    assert any(name == "model_dump" for name, _ in inspect.getmembers(Record))


def test_finding_kind_is_still_importable_from_checks() -> None:
    # icd10kb.notes.checks listed Finding and FindingKind in __all__; FindingKind moved to
    # icd10kb.notes.findings and is no longer importable from checks.
    from icd10kb.notes import checks

    assert hasattr(checks, "FindingKind") and hasattr(checks, "Finding")
