"""Syntax and normalisation of identifiers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import icd10kb
from icd10kb.classification.codes import dotted, normalize, strip_dot


@pytest.mark.parametrize(
    ("given_", "expected"),
    [
        ("L94.2", "L94.2"),
        ("l942", "L94.2"),
        ("  L94.2\n", "L94.2"),
        ("L94", "L94"),
        ("L94.", "L94"),
        ("s72.001a", "S72.001A"),
        ("T360X1A", "T36.0X1A"),
        ("m30-m36", "M30-M36"),
        ("B99-B99", "B99-B99"),
        ("12", "12"),
        ("07", "7"),
        ("QA0", "QA0"),
    ],
)
def test_normalize_accepts_every_spelling(given_: str, expected: str) -> None:
    assert normalize(given_) == expected


@pytest.mark.parametrize(
    "bad",
    ["", "   ", "L9", "L94.2.1", "L9.42", "L94 2", "L94.21234", "1L94", "L94#", "M36-M30", "A00-", "0", "100", "x" * 10_000],
)
def test_normalize_rejects_garbage_with_a_value_error(bad: str) -> None:
    with pytest.raises(icd10kb.InvalidCodeError) as caught:
        normalize(bad)
    assert isinstance(caught.value, ValueError)
    assert len(str(caught.value)) < 300  # a megabyte of input is not echoed back


@pytest.mark.parametrize("bad", [None, 42, 4.2, b"L94.2", ["L94.2"], object()])
def test_normalize_rejects_other_types(bad: object) -> None:
    with pytest.raises(icd10kb.InvalidCodeError, match="expected a string"):
        normalize(bad)


codes = st.from_regex(r"[A-Z][0-9A-Z]{2}(\.[0-9A-Z]{1,4})?", fullmatch=True)


@given(codes)
def test_normalizing_twice_changes_nothing(code: str) -> None:
    once = normalize(code)
    assert normalize(once) == once
    assert normalize(strip_dot(once).lower()) == once
    assert dotted(strip_dot(once)) == once


@given(st.text(max_size=60))
def test_arbitrary_text_raises_only_the_documented_error(text: str) -> None:
    try:
        result = normalize(text)
    except icd10kb.InvalidCodeError:
        return
    assert normalize(result) == result
