"""The collector pause around large builds leaves the collector as it found it."""

from __future__ import annotations

import gc

import pytest

import icd10kb
from icd10kb.gcpause import collection_paused


def test_a_collector_turned_off_by_the_user_stays_off() -> None:
    gc.disable()
    try:
        with collection_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_collector_is_back_on_after_a_build_that_raises() -> None:
    with pytest.raises(RuntimeError), collection_paused():
        raise RuntimeError("build failed")
    assert gc.isenabled()


def test_nested_pauses_restore_once() -> None:
    with collection_paused():
        with collection_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_building_a_piece_leaves_the_collector_on() -> None:
    kb = icd10kb.load()
    kb.piece(lambda c: (gc.isenabled(), len(c)))  # built with the collector off
    assert kb.piece(_probe) == (False, len(kb))
    assert gc.isenabled()


def _probe(kb: icd10kb.KnowledgeBase) -> tuple[bool, int]:
    return gc.isenabled(), len(kb)
