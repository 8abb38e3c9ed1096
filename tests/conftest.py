"""Fixtures for the test suite."""

from __future__ import annotations

from pathlib import Path

import pytest

import icd10kb

ROOT = Path(__file__).resolve().parent.parent
OFFICIAL = ROOT / "data" / "official"


@pytest.fixture(scope="session")
def kb() -> icd10kb.KnowledgeBase:
    return icd10kb.load()


@pytest.fixture(scope="session")
def official() -> Path:
    return OFFICIAL
