"""Property-based and adversarial tests of the public API of icd10kb.

Three families of properties:

- structural laws of the hierarchy, checked on identifiers sampled from the
  real release (chapters, blocks, categories, codes and 7th-character codes);
- robustness: arbitrary input (text of every kind, huge strings, non-strings)
  given to every method that takes a code raises nothing but the documented
  errors, with short messages and valid suggestions;
- immutability and thread safety of what the knowledge base hands out.

Hypothesis is run without an example database (``database=None``) so that the
tests leave nothing behind in the working tree.
"""

from __future__ import annotations

import datetime
import json
import random
import re
import threading
import warnings
from collections.abc import Callable
from typing import Any

import networkx as nx
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

import icd10kb
from icd10kb.classification.record import Record
from icd10kb.knowledge.index import MAX_QUERY

KB = icd10kb.load()
ALL_IDS: list[str] = sorted(KB)
ID_SET = frozenset(ALL_IDS)
CHAPTERS = tuple(c for c in KB if KB.kind(c) == "chapter")  # in the classification's order
TABULAR = [c for c in ALL_IDS if KB.kind(c) not in ("chapter", "block")]

COMMON: dict[str, Any] = {
    "deadline": None,
    "database": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
}

#: Identifiers worth seeing often: first and last chapters, single-category
#: blocks, a letter in third place, 7th-character codes with placeholders.
LANDMARKS = ["1", "12", "22", "L80-L99", "B99-B99", "C43-C44", "L94", "L94.2", "S72.001A", "T36.0X1A", "W57.XXXA", "C4A"]
ids = st.one_of(st.sampled_from(LANDMARKS), st.sampled_from(ALL_IDS))

# --- oracles, written independently of icd10kb.codes ---------------------------

_DIGITS = "0123456789"
_ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#: Strictly well-formed identifiers (after stripping surrounding white space,
#: any case): a chapter number, a category range, or a dotted/dotless code.
_STRICT_CHAPTER = re.compile(r"[1-9][0-9]?")
_STRICT_BLOCK = re.compile(r"([A-Za-z][0-9A-Za-z]{2})-([A-Za-z][0-9A-Za-z]{2})")
_STRICT_CODE = re.compile(r"[A-Za-z][0-9A-Za-z]{2}(?:\.?[0-9A-Za-z]{1,4})?")
#: Loosely well-formed: also leading zeros, white space around the hyphen of a
#: range and a trailing dot. Anything icd10kb accepts or reports as an unknown
#: code must at least be this.
_LOOSE = re.compile(
    r"[0-9]+"
    r"|[A-Za-z][0-9A-Za-z]{2}[ \t]*-[ \t]*[A-Za-z][0-9A-Za-z]{2}"
    r"|[A-Za-z][0-9A-Za-z]{2}(?:\.|\.?[0-9A-Za-z]{1,4})?"
)
#: Longest input the package promises to look at (icd10kb.codes.MAX_INPUT_LENGTH).
MAX_INPUT = 32


def strictly_well_formed(value: object) -> bool:
    if not isinstance(value, str) or len(value) > MAX_INPUT:
        return False
    text = value.strip()
    if not text.isascii():
        return False
    if _STRICT_CHAPTER.fullmatch(text) or _STRICT_CODE.fullmatch(text):
        return True
    block = _STRICT_BLOCK.fullmatch(text)
    return bool(block) and block.group(1).upper() <= block.group(2).upper()


def loosely_well_formed(value: object) -> bool:
    if not isinstance(value, str):
        return False
    text = value.strip()
    return text.isascii() and _LOOSE.fullmatch(text) is not None


# --- strategies of adversarial input ------------------------------------------

MEGA = 10**6
HUGE: list[object] = [
    "A" * MEGA,
    "L94.2" + " " * MEGA,
    " " * MEGA + "L94.2",
    "\x00" * MEGA,
    "é" * MEGA,
    "\U0001f600" * MEGA,
    "L94.2-" * (MEGA // 6),
    "A" * MEGA + "-" + "B" * 10,
    "M30-" + "9" * MEGA,
    "(" * MEGA,
    "HP:" + "0" * MEGA,
    "L94.2\n" * (MEGA // 6),
    "9" * MEGA,
    b"L94.2" * (MEGA // 5),
]


class StrSubclass(str):
    """A str subclass: must be treated like the str it is."""


@st.composite
def near_misses(draw: st.DrawFn) -> str:
    """A real identifier damaged by one typing slip (or re-spelled harmlessly)."""
    code = draw(ids)
    i = draw(st.integers(0, len(code)))
    char = draw(st.sampled_from(_ALNUM + "abcxyz.- \t-X"))
    slip = draw(st.sampled_from(["sub", "del", "ins", "swap", "lower", "dotless", "pad", "prefix0", "double"]))
    if slip == "sub" and i < len(code):
        return code[:i] + char + code[i + 1 :]
    if slip == "del" and i < len(code):
        return code[:i] + code[i + 1 :]
    if slip == "ins":
        return code[:i] + char + code[i:]
    if slip == "swap" and i < len(code) - 1:
        return code[:i] + code[i + 1] + code[i] + code[i + 2 :]
    if slip == "lower":
        return code.lower()
    if slip == "dotless":
        return code.replace(".", "")
    if slip == "pad":
        return draw(st.sampled_from([" ", "\t", "\n", "\u3000", "\u200b", "\x00", "\x85"])) + code
    if slip == "prefix0":
        return "0" + code
    if slip == "double":
        return code + code
    return code


def _surrogates() -> st.SearchStrategy[str]:
    return st.text(st.characters(categories=["Cs"]), min_size=1, max_size=4)


texts = st.one_of(
    st.text(),
    st.text(st.characters(codec="utf-8"), max_size=40),
    st.text(alphabet=_ALNUM + "abcdefghijklmnopqrstuvwxyz.- X\t", max_size=12),
    st.from_regex(r"\A[A-Za-z][0-9A-Za-z]{2}\.?[0-9A-Za-z]{0,4}\Z"),
    st.from_regex(r"\A\s*[A-Z][0-9][0-9A-Z]\s*-\s*[A-Z][0-9][0-9A-Z]\s*\Z"),
    st.from_regex(r"\A[0-9]{1,4}\Z"),
    near_misses(),
    st.text(st.characters(categories=["Cc", "Cf", "Zs", "Zl", "Zp", "Co", "Nd", "No", "Nl"]), max_size=10),
    _surrogates(),
    st.sampled_from(["K94.2", "L94.2\u0130", "ſ72.001A", "Ｌ94.2", "١٢", "Ⅻ", "𝟏𝟐", "L94.2\u0301", "I69.", "S72.001X"]),
)
non_strings = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=10**30),
    st.floats(allow_nan=True),
    st.complex_numbers(),
    st.binary(max_size=10),
    st.lists(st.text(max_size=6), max_size=3),
    st.tuples(st.sampled_from(ALL_IDS)),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.frozensets(st.text(max_size=3), max_size=2),
    st.builds(object),
    st.sampled_from(
        [b"L94.2", bytearray(b"L94.2"), memoryview(b"L94.2"), ["L94.2"], ("L94.2",), {"L94.2"}, 12, 12.0, KB["L94.2"], Ellipsis, str, KB]
    ),
)
junk = st.one_of(texts, non_strings, st.sampled_from(HUGE), st.sampled_from(ALL_IDS), st.builds(StrSubclass, st.sampled_from(ALL_IDS)))


# --- helpers -----------------------------------------------------------------------


def check_error(exc: BaseException, value: object, *, classify: bool = True) -> None:
    """An error raised on purpose: documented class, short message, valid suggestions."""
    assert isinstance(exc, icd10kb.ICD10KBError), f"{type(exc).__name__} is not an ICD10KBError: {exc!r}"[:500]
    assert isinstance(exc, (icd10kb.InvalidCodeError, icd10kb.CodeNotFoundError)), type(exc)
    message = str(exc)
    assert len(message) < 400, f"message of {len(message)} characters"
    assert len(repr(exc)) < 400
    if isinstance(exc, icd10kb.InvalidCodeError):
        assert isinstance(exc, ValueError) and not isinstance(exc, KeyError)
        if classify:
            assert not strictly_well_formed(value), f"{value!r} is well formed but was called invalid: {message}"
    else:
        assert isinstance(exc, KeyError) and not isinstance(exc, ValueError)
        if classify:
            assert loosely_well_formed(value), f"{value!r} is malformed but was reported as an unknown code: {message}"
        assert isinstance(exc.suggestions, tuple)
        assert len(set(exc.suggestions)) == len(exc.suggestions)
        for suggestion in exc.suggestions:
            assert suggestion in ID_SET, suggestion
            assert KB.normalize(suggestion) == suggestion
        assert exc.code not in exc.suggestions


def call(method: Callable[..., Any], value: object, *args: Any, classify: bool = True, **kwargs: Any) -> tuple[bool, Any]:
    """Call *method*; return (True, result) or (False, the documented error), failing on anything else."""
    try:
        return True, method(value, *args, **kwargs)
    except icd10kb.ICD10KBError as exc:
        check_error(exc, value, classify=classify)
        return False, exc


def assert_codes(result: object) -> None:
    assert isinstance(result, tuple), type(result)
    assert all(isinstance(c, str) and c in ID_SET for c in result)


def recursive_preorder(code: str) -> list[str]:
    out: list[str] = []
    for child in KB.children(code):
        out.append(child)
        out.extend(recursive_preorder(child))
    return out


def lineage(code: str) -> tuple[str, ...]:
    return (code,) + KB.ancestors(code)


def walk_immutable(value: object, where: str = "value") -> None:
    """Every model in *value* is frozen, every collection a tuple."""
    if isinstance(value, BaseModel):
        assert value.model_config.get("frozen") is True, where
        names = list(type(value).model_fields)
        if names:
            before = getattr(value, names[0])
            with pytest.raises((ValueError, TypeError, AttributeError)):
                setattr(value, names[0], before)
            with pytest.raises((ValueError, TypeError, AttributeError)):
                delattr(value, names[0])
            assert getattr(value, names[0]) == before
        for name in names:
            walk_immutable(getattr(value, name), f"{where}.{name}")
    elif isinstance(value, Record):  # a lightweight record (Concept, Finding, SearchHit): frozen, fields of its model
        with pytest.raises(AttributeError):
            value.title = "x"  # type: ignore[misc]
        walk_immutable(value.as_model(), where)
    elif isinstance(value, tuple):
        for i, item in enumerate(value):
            walk_immutable(item, f"{where}[{i}]")
    else:
        assert isinstance(value, (str, int, float, bool, type(None), datetime.date)), f"{where} is a {type(value).__name__}"


# --- structure of the real release -------------------------------------------------


@settings(max_examples=400, **COMMON)
@given(x=ids)
def test_parent_child_links_agree(x: str) -> None:
    children = KB.children(x)
    assert isinstance(children, tuple)
    assert len(set(children)) == len(children)
    for child in children:
        assert KB.parent(child) == x
        assert KB.depth(child) == KB.depth(x) + 1
    parent = KB.parent(x)
    if parent is None:
        assert KB.kind(x) == "chapter" and x in CHAPTERS
    else:
        assert x in KB.children(parent)
        assert KB.is_ancestor(parent, x)


@settings(max_examples=400, **COMMON)
@given(x=ids)
def test_ancestors_path_depth_and_kind(x: str) -> None:
    ancestors = KB.ancestors(x)
    assert isinstance(ancestors, tuple)
    assert KB.depth(x) == len(ancestors) == KB[x].depth
    if ancestors:
        assert KB.kind(ancestors[-1]) == "chapter"
        assert ancestors[0] == KB.parent(x)
        # nearest first: each is the parent of the one before
        for lower, upper in zip((x,) + ancestors, ancestors):
            assert KB.parent(lower) == upper
    else:
        assert KB.kind(x) == "chapter"
    assert KB.path(x) == tuple(reversed(ancestors)) + (x,)
    for a in ancestors:
        assert KB.is_ancestor(a, x)
        assert KB.is_descendant(x, a)
        assert not KB.is_ancestor(x, a)
    assert not KB.is_ancestor(x, x)
    # kind is readable from the identifier and sits in the right place
    kind = KB.kind(x)
    assert kind == KB[x].kind
    assert (kind == "chapter") == x.isdigit()
    assert (kind == "block") == ("-" in x)
    order = {"chapter": 0, "block": 1, "category": 2, "subcategory": 3, "code": 4}
    kinds = [order[KB.kind(p)] for p in KB.path(x)]
    assert kinds == sorted(kinds), KB.path(x)


@settings(max_examples=300, **COMMON)
@given(x=ids)
@example(x="L94")
@example(x="T36.0X1")
@example(x="S72.0")
@example(x="B99-B99")
def test_descendants_are_the_preorder_of_children(x: str) -> None:
    descendants = KB.descendants(x)
    assert isinstance(descendants, tuple)
    if len(descendants) > 3000:
        assert set(descendants) >= set(KB.children(x))
        return
    assert list(descendants) == recursive_preorder(x)
    assert len(set(descendants)) == len(descendants)
    assert x not in descendants
    assert all(KB.is_ancestor(x, d) for d in descendants)
    leaves = tuple(c for c in (x,) + descendants if not KB.children(c))
    assert KB.billable_codes(x) == leaves


@settings(max_examples=15, **COMMON)  # a walk of the filtered networkx view costs ~0.1 s
@given(x=ids)
@example(x="L94")
@example(x="S72.001")
def test_hierarchy_view_reaches_the_descendants(x: str) -> None:
    descendants = KB.descendants(x)
    if len(descendants) > 3000:
        return
    assert set(descendants) == nx.descendants(KB.hierarchy, x)
    assert set(KB.hierarchy.successors(x)) == set(KB.children(x))


@settings(max_examples=400, **COMMON)
@given(x=ids)
def test_billable_iff_leaf(x: str) -> None:
    leaf = not KB.children(x)
    assert KB.is_billable(x) is leaf
    assert KB[x].billable is leaf
    assert KB.is_valid(x, billable=True) is leaf
    assert (KB.descendants(x) == ()) is leaf
    if leaf:
        assert KB.kind(x) in ("category", "subcategory", "code")


@settings(max_examples=500, **COMMON)
@given(x=ids, y=ids, pick=st.integers(0, 10), near=st.booleans())
def test_common_ancestor_and_distance(x: str, y: str, pick: int, near: bool) -> None:
    if near:  # a pair inside one subtree is far likelier to share more than a chapter
        path = KB.path(x)
        base = path[min(pick, len(path) - 1)]
        below = (base,) + KB.descendants(base)[:2000]
        y = below[pick * 7919 % len(below)]
    ca = KB.common_ancestor(x, y)
    assert ca == KB.common_ancestor(y, x)
    d = KB.distance(x, y)
    assert d == KB.distance(y, x)
    lx, ly = lineage(x), lineage(y)
    if ca is None:
        assert KB.chapter(x) != KB.chapter(y)
        assert d is None
        return
    assert KB.chapter(x) == KB.chapter(y)
    assert ca in lx and ca in ly
    for child in KB.children(ca):
        assert not (child in lx and child in ly), f"{child} is a nearer common ancestor than {ca}"
    assert d == lx.index(ca) + ly.index(ca)
    assert (d == 0) == (x == y)
    assert KB.is_ancestor(y, x) == (y in lx[1:])
    assert KB.common_ancestor(x, y, ca) == ca
    assert KB.common_ancestor(x) == x
    assert KB.distance(x, ca) + KB.distance(ca, y) == d


@settings(max_examples=400, **COMMON)
@given(x=ids)
def test_siblings(x: str) -> None:
    siblings = KB.siblings(x)
    assert isinstance(siblings, tuple)
    assert x not in siblings
    assert len(set(siblings)) == len(siblings)
    parent = KB.parent(x)
    for s in siblings:
        assert KB.parent(s) == parent
    if parent is None:
        assert set(siblings) | {x} == set(CHAPTERS)
    else:
        assert tuple(c for c in KB.children(parent) if c != x) == siblings


@settings(max_examples=400, **COMMON)
@given(x=ids)
def test_concepts_spellings_and_json(x: str) -> None:
    concept = KB[x]
    assert concept.code == x
    assert KB.get(x) == concept
    assert x in KB and KB.is_valid(x)
    assert KB.normalize(x) == x
    if KB.kind(x) != "chapter":
        assert KB.normalize(x.lower().replace(".", "")) == x
        assert KB.normalize(f" {x.lower()}\t") == x
        assert icd10kb.normalize(x.lower().replace(".", "")) == x
    assert (concept.title, concept.kind, concept.billable, concept.parent) == (
        KB.title(x), KB.kind(x), KB.is_billable(x), KB.parent(x)
    )
    assert type(concept).model_validate_json(concept.model_dump_json()) == concept
    assert type(concept).model_validate(concept.model_dump()) == concept
    assert json.loads(concept.model_dump_json())["code"] == x


@settings(max_examples=400, **COMMON)
@given(x=ids)
def test_chapter_block_category_agree_with_path(x: str) -> None:
    path = KB.path(x)
    concept = KB[x]
    assert KB.chapter(x) == concept.chapter == path[0]
    blocks = [p for p in path[:-1] if KB.kind(p) == "block"]
    assert KB.block(x) == concept.block == (blocks[-1] if blocks else None)
    categories = [p for p in path if KB.kind(p) == "category"]
    assert len(categories) <= 1
    assert KB.category(x) == concept.category == (categories[0] if categories else None)
    if concept.category is not None:
        assert x.startswith(concept.category)
    if concept.seventh_character is not None:
        assert KB.kind(x) == "code" and x[-1] == concept.seventh_character.character
        assert len(x.replace(".", "")) == 7
        assert concept.seventh_character.defined_at in path


@settings(max_examples=25, **COMMON)
@given(x=ids)
@example(x="L94.2")
@example(x="L94")
@example(x="S72.001A")
@example(x="12")
@example(x="L80-L99")
def test_details_round_trip(x: str) -> None:
    details = KB.details(x)
    assert type(details).model_validate_json(details.model_dump_json()) == details
    assert details.concept == KB[x]
    assert tuple(c.code for c in details.path) == KB.path(x)[:-1]
    assert tuple(c.code for c in details.children) == KB.children(x)
    assert details.notes == KB.notes(x, inherited=True)
    walk_immutable(details)


def test_knowledge_round_trip() -> None:
    for profile in (KB.knowledge("L94.2"), KB.knowledge("L94", include_descendants=True), KB.knowledge("A00.0")):
        assert type(profile).model_validate_json(profile.model_dump_json()) == profile
        walk_immutable(profile)
    assert not KB.knowledge("L94.2").is_empty
    assert set(KB.knowledge("L94.2").facts) <= set(KB.knowledge("L94", include_descendants=True).facts)
    release = KB.release
    assert type(release).model_validate_json(release.model_dump_json()) == release
    walk_immutable(release)


@settings(max_examples=150, **COMMON)
@given(i=st.integers(0, 10**9))
def test_references_round_trip(i: int) -> None:
    refs = KB.references()
    ref = refs[i % len(refs)]
    assert type(ref).model_validate_json(ref.model_dump_json()) == ref
    assert ref.at in ID_SET and all(t in ID_SET for t in ref.targets)
    assert ref in KB.references(ref.at)
    walk_immutable(ref)


# --- ranges ------------------------------------------------------------------------

def _tabular_order() -> tuple[list[str], dict[str, int]]:
    # the categories and codes of the tabular list, in the classification's order
    order = [c for c in KB if KB.kind(c) not in ("chapter", "block") and not KB[c].seventh_character]
    return order, {c: i for i, c in enumerate(order)}


TAB_ORDER, TAB_POS = _tabular_order()


@settings(max_examples=300, **COMMON)
@given(x=st.sampled_from(TAB_ORDER), span=st.integers(0, 400), pick=st.integers(0, 10**6))
@example(x="M30", span=6, pick=6)
@example(x="S72.001", span=30, pick=5)
def test_expand_range_is_the_codes_of_that_length(x: str, span: int, pick: int) -> None:
    size = len(x.replace(".", ""))
    start = TAB_POS[x]
    same = [c for c in TAB_ORDER[start : start + span + 1] if len(c.replace(".", "")) == size]
    y = same[pick % len(same)]
    expected = tuple(c for c in TAB_ORDER[start : TAB_POS[y] + 1] if len(c.replace(".", "")) == size)
    got = KB.expand_range(f"{x}-{y}")
    assert got == expected
    assert got[0] == x and got[-1] == y
    assert KB.expand_range(f"{x.lower()} - {y.lower().replace('.', '')}") == got
    # "descendants": the codes of the range, each followed by everything below it
    below: list[str] = []
    for code in got:
        below.append(code)
        below.extend(KB.descendants(code))
    assert KB.expand_range(f"{x}-{y}", descendants=True) == tuple(below)
    if x != y:
        with pytest.raises(icd10kb.InvalidCodeError):
            KB.expand_range(f"{y}-{x}")


def test_expand_range_descendants_stay_below_the_range() -> None:
    # W56.89 and W58.01 are neighbours among the codes of length 5; between
    # them lies the category W57, a leaf with 7th characters (W57.XXXA ...),
    # which is below neither of them.
    assert KB.expand_range("W56.89-W58.01") == ("W56.89", "W58.01")
    got = KB.expand_range("W56.89-W58.01", descendants=True)
    expected = ("W56.89",) + KB.descendants("W56.89") + ("W58.01",) + KB.descendants("W58.01")
    assert got == expected, [c for c in got if c not in expected]


def test_expand_range_of_blocks_whose_ends_exist() -> None:
    for block in (c for c in ALL_IDS if KB.kind(c) == "block"):
        first, last = block.split("-")
        if first not in KB or last not in KB:
            continue
        categories = tuple(d for d in KB.descendants(block) if KB.kind(d) == "category")
        # A block's own range gives all its categories, J40-J4A included, though the
        # official file puts J4A before J45 and J47.
        assert KB.expand_range(block) == categories, block


# --- arbitrary input ---------------------------------------------------------------

ONE_CODE_METHODS: list[tuple[str, dict[str, Any]]] = [
    ("__getitem__", {}),
    ("normalize", {}),
    ("title", {}),
    ("kind", {}),
    ("is_billable", {}),
    ("parent", {}),
    ("children", {}),
    ("ancestors", {}),
    ("path", {}),
    ("descendants", {}),
    ("siblings", {}),
    ("depth", {}),
    ("billable_codes", {}),
    ("chapter", {}),
    ("block", {}),
    ("category", {}),
    ("notes", {}),
    ("notes", {"inherited": True}),
    ("references", {}),
    ("references", {"kind": "excludes1"}),
    ("knowledge", {}),
    ("knowledge", {"include_descendants": True}),
    ("details", {}),
    ("subgraph", {}),
    ("subgraph", {"siblings": True, "knowledge": False}),
    ("shared_symptoms", {}),
]


@pytest.mark.parametrize(("name", "kwargs"), ONE_CODE_METHODS, ids=[f"{n}{'+' if k else ''}" for n, k in ONE_CODE_METHODS])
@settings(max_examples=120, **COMMON)
@given(value=junk)
def test_methods_taking_a_code_raise_only_documented_errors(name: str, kwargs: dict[str, Any], value: object) -> None:
    if name == "references" and value is None:
        return  # None means "the whole release" here
    ok, result = call(getattr(KB, name), value, **kwargs)
    if ok:
        assert loosely_well_formed(value), f"{name} accepted the malformed {value!r}"
        assert KB.is_valid(value) and value in KB
        canonical = KB.normalize(value)
        if name in ("children", "ancestors", "path", "descendants", "siblings", "billable_codes"):
            assert_codes(result)
            assert result == getattr(KB, name)(canonical, **kwargs)
        elif name == "__getitem__":
            assert result.code == canonical
    else:
        assert not KB.is_valid(value)
        assert KB.get(value) is None
        if isinstance(value, str) and strictly_well_formed(value):
            assert isinstance(result, icd10kb.CodeNotFoundError)


HOSTILE: list[object] = HUGE + [
    None, 0, 12, -1, 10**100, 1.5, float("nan"), True, b"L94.2", bytearray(b"L94.2"), memoryview(b"L94.2"),
    ["L94.2"], ("L94.2",), {"L94.2": 1}, {"L94.2"}, object(), KB["L94.2"], StrSubclass("L94.2"),
    "", " ", "\x00", "\ud800", "L94.2\ud800", "\ufeffL94.2", "Ｌ94.2", "١٢", "K94.2", "L94.7", "S06.1X7D",
    "Z99-A00", "A00-A01", "99", "0", "100", "-", "--", "L94-", "1-2", "L94.2-L94.3-L94.4", "S72.001A-S72.001D",
]


@pytest.mark.parametrize("value", HOSTILE, ids=[f"{i}:{repr(v)[:20]}" for i, v in enumerate(HOSTILE)])
def test_every_entry_point_on_hostile_values(value: object) -> None:
    """Each hostile value, megabyte strings included, through every entry point (not left to sampling)."""
    for name, kwargs in ONE_CODE_METHODS:
        if name == "references" and value is None:
            continue
        call(getattr(KB, name), value, **kwargs)
    for other in ("L94.2", "S72.001A"):
        for method in (KB.is_ancestor, KB.is_descendant, KB.distance, KB.common_ancestor):
            call(method, value, other)
    assert KB.get(value) is None or KB.is_valid(value)
    assert isinstance(KB.is_valid(value), bool) and isinstance(value in KB, bool)
    assert isinstance(KB.suggest(value), tuple)
    for spec_call in (lambda: KB.expand_range(value), lambda: KB.expand_range(value, descendants=True)):
        try:
            assert_codes(spec_call())
        except icd10kb.ICD10KBError as exc:
            check_error(exc, value, classify=False)
    for name in ("codes_with_symptom", "codes_with_cause", "codes_with_test"):
        try:
            assert_codes(getattr(KB, name)(value))
        except icd10kb.InvalidCodeError as exc:
            assert len(str(exc)) < 400 and len(repr(exc)) < 400
    try:
        icd10kb.normalize(value)
    except icd10kb.InvalidCodeError as exc:
        assert len(str(exc)) < 400 and len(repr(exc)) < 400


@settings(max_examples=400, **COMMON)
@given(value=junk, limit=st.integers(-3, 12))
def test_total_functions_never_raise(value: object, limit: int) -> None:
    sentinel = object()
    found = KB.get(value, sentinel)
    valid = KB.is_valid(value)
    inside = value in KB
    billable = KB.is_valid(value, billable=True)
    assert isinstance(valid, bool) and isinstance(inside, bool) and isinstance(billable, bool)
    assert valid == inside == (found is not sentinel) == (KB.get(value) is not None)
    assert not billable or valid
    if valid:
        assert found == KB[value]
        assert billable == KB.is_billable(value)
    if limit < 0:  # a limit of the wrong value is refused, not read as "none" (issue 8)
        with pytest.raises(icd10kb.InvalidArgumentError):
            KB.suggest(value, limit)
        return
    suggestions = KB.suggest(value, limit)
    assert isinstance(suggestions, tuple)
    assert len(suggestions) <= max(limit, 0)
    assert all(s in ID_SET and KB.normalize(s) == s for s in suggestions)
    assert len(set(suggestions)) == len(suggestions)
    if valid:
        assert KB.normalize(value) not in suggestions


@settings(max_examples=400, **COMMON)
@given(value=junk)
def test_syntactic_normalize(value: object) -> None:
    try:
        canonical = icd10kb.normalize(value)
    except icd10kb.ICD10KBError as exc:
        assert isinstance(exc, icd10kb.InvalidCodeError), type(exc)
        assert len(str(exc)) < 400
        assert not strictly_well_formed(value)
        return
    assert isinstance(canonical, str)
    assert loosely_well_formed(value), f"normalize accepted the malformed {value!r} as {canonical!r}"
    assert icd10kb.normalize(canonical) == canonical
    if value in KB:
        assert KB.normalize(value) == canonical


@settings(max_examples=300, **COMMON)
@given(a=junk, b=junk, flip=st.booleans(), real=st.sampled_from(["L94.2", "S72.001A", "12", "L80-L99"]))
def test_methods_taking_two_codes(a: object, b: object, flip: bool, real: str) -> None:
    if flip:
        b = real
    pairs = [(a, b), (b, a)]
    for x, y in pairs:
        bad = [v for v in (x, y) if not KB.is_valid(v)]
        for method in (KB.is_ancestor, KB.is_descendant, KB.distance, KB.common_ancestor):
            try:
                result = method(x, y)
            except icd10kb.ICD10KBError as exc:
                assert bad
                # with one bad argument the error is about it; with two, about either
                check_error(exc, bad[0], classify=len(bad) == 1)
            else:
                assert not bad
                assert result is None or isinstance(result, (bool, int, str))
    with pytest.raises(icd10kb.InvalidCodeError):
        KB.common_ancestor()


@settings(max_examples=300, **COMMON)
@given(
    spec=st.one_of(
        junk,
        st.tuples(junk, junk).map(lambda p: f"{p[0]}-{p[1]}"),
        st.tuples(st.sampled_from(TAB_ORDER), st.sampled_from(TAB_ORDER)).map(lambda p: f"{p[0]}-{p[1]}"),
        st.tuples(ids, ids).map(lambda p: f"{p[0]}-{p[1]}"),
    ),
    descendants=st.booleans(),
)
def test_expand_range_on_anything(spec: object, descendants: bool) -> None:
    try:
        result = KB.expand_range(spec, descendants=descendants)
    except icd10kb.ICD10KBError as exc:
        check_error(exc, spec, classify=False)
        return
    assert_codes(result)
    assert len(set(result)) == len(result)


@pytest.mark.parametrize("name", ["codes_with_symptom", "codes_with_cause", "codes_with_test"])
@settings(max_examples=150, **COMMON)
@given(query=st.one_of(junk, st.sampled_from(["HP:0001482", "skin ulceration", "M34", "M30-M36", "LOINC:17861-6", "17861-6", " Skin Ulceration "])))
def test_knowledge_queries_on_anything(name: str, query: object) -> None:
    try:
        result = getattr(KB, name)(query)
    except icd10kb.ICD10KBError as exc:
        assert isinstance(exc, icd10kb.InvalidCodeError)
        assert len(str(exc)) < 400 and len(repr(exc)) < 400
        assert not (isinstance(query, str) and query.strip() and len(query) <= MAX_QUERY)  # documented limit
        return
    assert isinstance(query, str) and query.strip() and len(query) <= MAX_QUERY
    assert_codes(result)


def _documented_only(run: Callable[[], Any]) -> Any:
    """Run *run*; an error must be an ICD10KBError with a short message."""
    try:
        return run()
    except icd10kb.ICD10KBError as exc:
        assert len(str(exc)) < 400 and len(repr(exc)) < 400
        return exc


@settings(max_examples=150, **COMMON)
@given(
    codes=st.one_of(junk, st.lists(junk, max_size=6), st.lists(st.sampled_from(ALL_IDS), max_size=6).map(tuple)),
    symptoms=st.one_of(junk, st.lists(st.one_of(texts, st.sampled_from(["HP:0001482", "subcutaneous nodule"])), max_size=4)),
    text=st.one_of(junk, st.sampled_from(["calcinosis", "fracture femur", "L94.2", "s72001a"])),
    where=st.one_of(st.none(), junk),
    limit=st.one_of(st.integers(-2, 20), st.none(), st.just(True), st.floats()),
)
def test_newer_entry_points_on_anything(codes: object, symptoms: object, text: object, where: object, limit: object) -> None:
    """check, differential, search: nothing but documented errors, whatever they are given."""
    findings = _documented_only(lambda: KB.check(codes))
    if not isinstance(findings, BaseException):
        assert isinstance(findings, tuple)
        walk_immutable(findings)
    int_limit = limit if isinstance(limit, int) and not isinstance(limit, bool) else 10
    for candidates in (_documented_only(lambda: KB.differential(symptoms)), _documented_only(lambda: KB.differential(symptoms, int_limit))):
        if not isinstance(candidates, BaseException):
            assert isinstance(candidates, tuple)
            assert all(c.code in ID_SET for c in candidates)
    for hits in (
        _documented_only(lambda: KB.search(text)),
        _documented_only(lambda: KB.search(text, limit)),
        _documented_only(lambda: KB.search(text, chapter=where)),
        _documented_only(lambda: KB.search(text, block=where, billable=True)),
    ):
        if not isinstance(hits, BaseException):
            assert isinstance(hits, tuple)
            assert all(h.code in ID_SET for h in hits)


def test_differential_limit_is_a_count() -> None:
    """``limit`` is how many candidates to return: a negative one must not cut the last candidate off."""
    pack = {
        "format": "icd10kb-knowledge/1",
        "id": "property-test",
        "title": "Three diseases with fever",
        "sources": {"s": {"title": "A test source"}},
        "diseases": [
            {"code": code, "label": f"disease {code}", "sources": ["s"],
             "symptoms": [{"label": "fever", "identifiers": {"HPO": "HP:0001945"}}]}
            for code in ("A00.0", "A01.00", "A02.0")
        ],
    }
    kb = icd10kb.load(knowledge=[pack])
    everything = kb.differential(["fever"], limit=100)
    assert len(everything) == 3
    for limit in range(0, 5):
        assert kb.differential(["fever"], limit=limit) == everything[:limit]
    for limit in (-1, -2):
        try:
            got = kb.differential(["fever"], limit=limit)
        except icd10kb.InvalidCodeError:
            continue  # refusing it, as kb.search does, is fine
        assert got == (), f"limit={limit} gave {[c.code for c in got]}"


@settings(max_examples=200, **COMMON)
@given(kind=st.one_of(st.none(), st.text(max_size=20), st.sampled_from(["excludes1", "excludes2", "code_first", "includes"])))
def test_references_by_kind(kind: str | None) -> None:
    from icd10kb.notes.models import NOTE_ORDER

    if kind is not None and kind not in NOTE_ORDER:  # issue 8: a typo is an error, not an empty answer
        with pytest.raises(icd10kb.InvalidArgumentError):
            KB.references(kind=kind)
        return
    result = KB.references(kind=kind)
    assert isinstance(result, tuple)
    assert all(kind is None or r.kind == kind for r in result)


@settings(max_examples=300, **COMMON)
@given(x=st.sampled_from(TABULAR), i=st.integers(0, 6), char=st.sampled_from(_ALNUM))
def test_unknown_codes_get_nearby_suggestions(x: str, i: int, char: str) -> None:
    flat = x.replace(".", "")
    i %= len(flat)
    typo = flat[:i] + char + flat[i + 1 :]
    canonical = typo if len(typo) <= 3 else f"{typo[:3]}.{typo[3:]}"
    if canonical in KB or not typo[0].isalpha():
        return
    with pytest.raises(icd10kb.CodeNotFoundError) as info:
        KB[typo]
    check_error(info.value, typo)
    assert info.value.code == canonical
    assert info.value.suggestions == KB.suggest(typo)
    assert x in KB.suggest(typo, limit=10**6), "one substitution away, so a candidate"
    if i < len(flat) - 1 and flat[i] != flat[i + 1]:
        swapped = flat[:i] + flat[i + 1] + flat[i] + flat[i + 2 :]
        if swapped[0].isalpha() and swapped not in KB:
            # two neighbours swapped: a code one swap away is kept among the suggestions
            near = KB.suggest(swapped)

            def one_swap(code: str) -> bool:
                flat_code = code.replace(".", "")
                diff = [k for k, (p, q) in enumerate(zip(flat_code, swapped)) if p != q]
                return len(flat_code) == len(swapped) and len(diff) == 2 and diff[1] == diff[0] + 1 and sorted(flat_code) == sorted(swapped)

            assert any(one_swap(s) for s in near), (swapped, near)


def test_malformed_block_spellings_are_invalid() -> None:
    # White space inside a code is refused ("L 94"), so inside the categories
    # of a range it must be refused too.
    with pytest.raises(icd10kb.InvalidCodeError):
        KB.normalize("L 94")
    for spelling in ("L 80-L99", "L8 0-L99", "L80-L 99", "A 00-A01"):
        with pytest.raises(icd10kb.InvalidCodeError):
            icd10kb.normalize(spelling)
        assert spelling not in KB


# --- immutability ------------------------------------------------------------------


@settings(max_examples=120, **COMMON)
@given(x=ids)
@example(x="S72.001A")
@example(x="L94.2")
def test_returned_values_are_frozen_and_the_kb_does_not_change(x: str) -> None:
    def answers() -> tuple[Any, ...]:
        return (
            KB[x].model_dump(),
            KB.children(x),
            KB.ancestors(x),
            KB.path(x),
            KB.siblings(x),
            KB.billable_codes(x),
            KB.notes(x, inherited=True),
            KB.references(x),
            KB.knowledge(x).model_dump(),
        )

    before = answers()
    for value in before[1:]:
        if not isinstance(value, dict):
            assert isinstance(value, tuple)
    concept = KB[x]
    walk_immutable(concept)
    for field in type(concept).model_fields:
        with pytest.raises((ValueError, TypeError, AttributeError)):
            setattr(concept, field, "X")
    walk_immutable(KB.notes(x, inherited=True))
    walk_immutable(KB.references(x))
    walk_immutable(KB.knowledge(x))
    # what one caller does with a copy does not reach the next caller
    copy = concept.model_copy(update={"title": "changed"})
    assert copy.title == "changed"
    graph = KB.subgraph(x)
    assert not nx.is_frozen(graph)
    graph.nodes[x]["title"] = "changed"
    graph.add_node("junk")
    graph.clear()
    assert answers() == before
    fresh = KB.subgraph(x)
    assert fresh.nodes[x]["title"] == KB.title(x)
    assert "junk" not in fresh


def test_graph_is_frozen() -> None:
    graph = KB.graph
    assert nx.is_frozen(graph)
    for mutate in (
        lambda g: g.add_node("junk"),
        lambda g: g.add_edge("L94", "junk", key="parent_of"),
        lambda g: g.remove_node("L94.2"),
        lambda g: g.remove_edge("L94", "L94.2", key="parent_of"),
        lambda g: g.clear(),
    ):
        with pytest.raises(nx.NetworkXError):
            mutate(graph)
        with pytest.raises(nx.NetworkXError):
            mutate(KB.hierarchy)
    assert "junk" not in graph and graph.has_edge("L94", "L94.2", key="parent_of")
    assert len(KB.hierarchy) == len(KB)


def test_graph_attributes_are_read_only_too() -> None:
    """The graph is documented as read-only and shared; its attributes must not be writable."""
    fresh = icd10kb.load("2026-04-01")
    graph = fresh.graph
    title = graph.nodes["L94.2"]["title"]
    try:
        graph.nodes["L94.2"]["title"] = "changed"
    except (TypeError, AttributeError, nx.NetworkXError):
        pass
    assert fresh.graph.nodes["L94.2"]["title"] == title, "a user could rewrite the shared graph's node data"


# --- threads ---------------------------------------------------------------------------


def test_first_use_from_eight_threads_gives_identical_answers() -> None:
    fresh = icd10kb.load("2025-04-01")
    assert fresh is not KB
    rng = random.Random(20250401)
    codes = rng.sample(sorted(fresh), 120) + ["L94.2", "L94", "12", "L80-L99", "S72.001A", "T36.0X1A", "B99-B99", "M30-M36"]
    codes = list(dict.fromkeys(c for c in codes if c in fresh))

    def dump(value: Any) -> Any:
        if isinstance(value, BaseModel):
            return value.model_dump_json()
        if isinstance(value, tuple):
            return tuple(dump(v) for v in value)
        return value

    tasks: list[Callable[[], Any]] = [
        lambda: dump(fresh.knowledge("L94.2")),
        lambda: dump(fresh.references()[::97]),
        lambda: len(fresh.references()),
        lambda: dump(fresh.notes("L94", inherited=True)),
        lambda: (fresh.graph.number_of_nodes(), fresh.graph.number_of_edges(), sorted(fresh.graph.edges("L94.2", keys=True))),
        lambda: fresh.codes_with_symptom("HP:0001482"),
        lambda: fresh.codes_with_cause("M30-M36"),
        lambda: dump(fresh.release),
        lambda: fresh.knowledge_index.codes,
        lambda: sorted(fresh.subgraph("L94.2").edges(keys=True)),
    ]
    for code in codes:
        tasks.append(lambda c=code: (dump(fresh[c]), fresh.path(c), fresh.children(c), fresh.siblings(c)[:50]))
        tasks.append(lambda c=code: (dump(fresh.notes(c, inherited=True)), dump(fresh.references(c)), dump(fresh.knowledge(c))))
        tasks.append(lambda c=code: (fresh.suggest(c + "Z"), fresh.is_valid(c), fresh.distance(c, "L94.2")))

    threads_n = 8
    barrier = threading.Barrier(threads_n)
    results: list[Any] = [None] * threads_n
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            barrier.wait(timeout=60)
            shift = n * len(tasks) // threads_n  # each thread starts with a different lazy builder
            order = list(range(shift, len(tasks))) + list(range(shift))
            answers = {i: tasks[i]() for i in order}
            identity = (id(fresh.references()), id(fresh.knowledge_index), id(fresh.graph))
            results[n] = (answers, identity)
        except BaseException as exc:
            errors.append(exc)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", icd10kb.KnowledgeWarning)
        threads = [threading.Thread(target=work, args=(n,)) for n in range(threads_n)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=180)
    assert not any(t.is_alive() for t in threads), "deadlock"
    assert not errors, errors
    first = results[0]
    for other in results[1:]:
        assert other[1] == first[1], "a lazily built piece was built more than once"
        assert other[0] == first[0]
    # and the answers are those of a single-threaded knowledge base
    calm = icd10kb.load("2025-04-01")
    assert dump(calm.knowledge("L94.2")) == first[0][0]
    assert len(calm.references()) == first[0][2]


def test_shipped_knowledge_does_not_warn_on_an_older_release() -> None:
    """Shipped packs are documented to leave unresolved links in ``knowledge_index.problems``.

    ``KnowledgeWarning`` is for user packs loaded with ``on_missing="warn"``;
    a plain ``load(release)`` must not emit it (under ``-W error`` it would
    escape from ``kb.knowledge()`` as a non-ICD10KBError exception).
    """
    fresh = icd10kb.load("2025-04-01")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fresh.knowledge("L94.2")
    assert fresh.knowledge_index.problems, "the unresolved E83.824 link is listed"
    assert [str(w.message)[:200] for w in caught if issubclass(w.category, icd10kb.KnowledgeWarning)] == []
