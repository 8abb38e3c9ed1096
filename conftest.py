"""Shared pytest set-up: the doctests of the package and the docs see ``kb`` and ``icd10kb``."""

from __future__ import annotations

from typing import Any

import pytest

import icd10kb

collect_ignore = ["icd10kb/__main__.py", "scripts", "benchmarks"]


@pytest.fixture(autouse=True)
def _doctest_names(doctest_namespace: dict[str, Any]) -> None:
    doctest_namespace["icd10kb"] = icd10kb
    doctest_namespace["kb"] = icd10kb.load()
