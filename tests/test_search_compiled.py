"""The compiled search index of the shipped releases equals the index built from the texts.

The compiled index (``icd10kb/search/compiled.py`` and ``lazy.py``) must give
IDENTICAL results to the reference builder (``postings.BuiltPostings``) for any
query: checked word by word on the whole vocabulary, query by query on the
test queries and on hypothesis' queries, with the knowledge index, with the
built-in knowledge compiled in, and with added texts. The shipped files are
recompiled byte for byte.
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import icd10kb
from icd10kb.datasets import describe, read
from icd10kb.errors import DataFileError, InvalidArgumentError
from icd10kb.search.compiled import DATASET, decode, read_compiled
from icd10kb.search.index import SearchIndex
from icd10kb.search.lazy import CompiledPostings
from icd10kb.search.postings import BuiltPostings
from tests.scripts import load_script

ROOT = Path(__file__).resolve().parent.parent
KB = icd10kb.load()
EXTRA = [
    ("I21.9", "heart attack", "HPO synonym (layperson)"),
    ("T39.1X1", "acetaminophen overdose", "index term"),
    ("S72.001A", "broken hip bone, first visit", "index term"),
    ("L94.2", "calcium lumps under the skin", "layperson"),
    ("Z99.999", "a code the release lacks", "index term"),
    ("not a code", "nothing", "index term"),
]
REFERENCE = SearchIndex(KB, KB.knowledge_index, compiled=False)
FAST = SearchIndex(KB, None)
FAST_WITH_INDEX = SearchIndex(KB, KB.knowledge_index)
REFERENCE_EXTRA = SearchIndex(KB, KB.knowledge_index, extra=EXTRA, compiled=False)
FAST_EXTRA = SearchIndex(KB, None, extra=EXTRA)

QUERIES = [
    "calcinosis cutis", "calcium deposits in the skin", "calcinossis cutis", "Cutis CALCINOSIS", "calcinosis of the skin",
    "circumscribed scleroderma", "fracture neck femur", "scleroderma", "hypertension", "pneumonia", "lower back pain",
    "low back pain", "high blood pressure", "shingles", "AIDS", "fractured femur", "fractures of femur", "herpes zoster",
    "calcinossis calcinosis", "skin", "type 2 diabetes kidney", "classical cholera", "penicillin poisoning accidental",
    "calcium deposit", "influenza a", "heart attack", "heart attakc", "acetaminophen overdose", "broken hip",
    "abdominal painn", "neoplasm malignant lung", "waxy patch", "subcutaneous nodule", "non-diabetic", "2", "12", "119",
    "the of and", "", "zzzzqqqq", "Ménière", "pain", "disease", "unspecified", "left", "right leg ulcer",
]


def _same(query: str, limit: int = 10, **filters: object) -> None:
    expected = REFERENCE.search(query, limit, **filters)  # type: ignore[arg-type]
    assert FAST.search(query, limit, **filters) == expected  # type: ignore[arg-type]
    assert FAST_WITH_INDEX.search(query, limit, **filters) == expected  # type: ignore[arg-type]
    assert FAST_EXTRA.search(query, limit, **filters) == REFERENCE_EXTRA.search(query, limit, **filters)  # type: ignore[arg-type]


def test_the_shipped_release_is_read_from_its_compiled_index() -> None:
    assert isinstance(FAST.postings, CompiledPostings) and isinstance(REFERENCE.postings, BuiltPostings)
    assert isinstance(KB.piece(__import__("icd10kb.kb", fromlist=["_search"])._search).postings, CompiledPostings)


@pytest.mark.parametrize("query", QUERIES)
def test_the_test_queries_give_identical_hits(query: str) -> None:
    for limit in (1, 10, 60):
        _same(query, limit)
    _same(query, 10, chapter="12")
    _same(query, 10, block="L80-L99", billable=False)
    _same(query, 10, billable=True)


WORDS = sorted(REFERENCE.postings._docs)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(
            st.sampled_from(WORDS),
            st.sampled_from(WORDS).map(lambda w: w[:-1] + "q" if len(w) > 4 else w),  # a typo
            st.sampled_from(WORDS).map(lambda w: w[1:] + w[0]),  # another typo
            st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=9),
        ),
        min_size=1,
        max_size=5,
    ),
    st.integers(0, 40),
)
def test_any_query_gives_identical_hits(words: list[str], limit: int) -> None:
    _same(" ".join(words), limit)


def test_every_word_has_identical_postings_gains_and_idf() -> None:
    ref, fast = REFERENCE.postings, FAST.postings
    assert list(fast.shortness) == list(ref.shortness)
    for word in WORDS:
        assert fast.has(word)
        assert list(fast.docs(word)) == list(ref.docs(word)), word
        assert list(fast.gains(word)) == list(ref.gains(word)), word
        assert fast.idf(word) == ref.idf(word) and fast.count(word) == ref.count(word)
    assert not fast.has("zzzzqqqq") and not ref.has("zzzzqqqq")


def test_the_same_names_are_filed() -> None:
    # A name may be filed under another of its words; a search finds it under any of them.
    ref = {row for word in WORDS for row in REFERENCE.postings.names(word)}
    fast = {row for word in WORDS for row in FAST.postings.names(word)}
    assert ref == fast and len(ref) > 40_000


def test_typos_reach_the_same_words() -> None:
    keys = {d for word in WORDS[::7] for d in __import__("icd10kb.search.text", fromlist=["x"]).deletions(word)}
    ordered = sorted(keys)
    for key in ordered[:: max(1, len(ordered) // 4000)]:  # spread over the alphabet
        assert sorted(FAST.postings.longer(key)) == sorted(REFERENCE.postings.longer(key)), key
    long = max(WORDS, key=len)
    for key in ("ski", "sk", "", "12", "199", long[1:], long[:-1] * 3, "x" * 63, "x" * 64, "é" * 5):
        assert sorted(FAST.postings.longer(key)) == sorted(REFERENCE.postings.longer(key)), key


def test_another_release_gives_identical_hits() -> None:
    old = icd10kb.load("2021")
    reference = SearchIndex(old, old.knowledge_index, compiled=False)
    fast = SearchIndex(old, None)
    assert isinstance(fast.postings, CompiledPostings)
    for query in QUERIES[:25]:
        assert fast.search(query, 20) == reference.search(query, 20), query


@pytest.mark.parametrize("release", icd10kb.releases())
def test_the_shipped_files_recompile_byte_for_byte(release: str) -> None:
    index, layers = load_script("build_search").compile_release(release)
    assert index == read(DATASET, f"{DATASET}/{release}.bin.gz", decompress=False)
    assert layers == read(DATASET, f"{DATASET}/{release}.layers.bin.gz", decompress=False)
    assert release in describe(DATASET).releases


def test_a_damaged_compiled_file_is_refused() -> None:
    data = read(DATASET, f"{DATASET}/2026-04-01.bin.gz")
    header_end = data.index(b"\n")
    for bad in (b"", b"garbage\n", data[:-5], data + b"x", b'{"format": 99}\n' + data[header_end + 1 :]):
        with pytest.raises(DataFileError):
            decode(bad, "test.bin")
    header, sections = decode(data, "test.bin")
    sections = dict(sections)
    sections["docs"] = sections["docs"][:]
    sections["docs"][0] = 65000  # a concept out of range
    first = sections["words"][0]
    postings = CompiledPostings(KB.store.size, header, sections, FAST._overlay)
    with pytest.raises(DataFileError):
        postings.docs(first)


def test_official_files_build_the_index_from_the_texts() -> None:
    small = icd10kb.load_tabular(io.BytesIO(_SMALL.encode("utf-8")), name="test")
    assert read_compiled(small) is None
    index = SearchIndex(small, small.knowledge_index)
    assert isinstance(index.postings, BuiltPostings)
    assert [h.code for h in small.search("cholera", 2)] == ["A00", "A00.9"]
    assert [h.code for h in small.search("a009", 3)] == ["A00.9", "A00", "A00.0"]


def test_added_texts_are_found_and_labelled() -> None:
    hit = FAST_EXTRA.search("heart attack", 3)[1]  # I21, the category, holds "heart attack" from HPO too
    assert hit.code == "I21.9"
    assert ("HPO synonym (layperson)", "heart attack") in {(m.field, m.text) for m in hit.matches}
    assert FAST_EXTRA.search("acetaminophen overdose", 1)[0].code == "T39.1X1"
    broken = FAST_EXTRA.search("broken hip bone first visit", 1)[0]  # a 7th-character code's text: its base code
    assert broken.code == "S72.001" and broken.matches[-1].field == "index term"
    assert FAST_EXTRA.search("broken hip bone first visit", 1) != FAST.search("broken hip bone first visit", 1)


@pytest.mark.parametrize(
    "extra",
    ["heart attack", b"x", 3, [("I21.9", "heart attack")], [("I21.9", "heart attack", "")], [("I21.9", 3, "x")],
     [["I21.9", "heart attack", "label"]], [("I21.9", "heart attack", "x" * 101)]],
)
def test_bad_added_texts_are_refused(extra: object) -> None:
    with pytest.raises(InvalidArgumentError):
        SearchIndex(KB, None, extra=extra)  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError):
        SearchIndex(KB, None, compiled="yes")  # type: ignore[arg-type]


def test_a_search_in_a_fresh_process_imports_no_pydantic_and_builds_no_knowledge_index() -> None:
    code = (
        "import sys, icd10kb; kb = icd10kb.load(); hits = kb.search('calcium deposits in the skin', 3);"
        "assert hits[0].code == 'L94.2' and hits[0].matches[0].field == 'knowledge';"
        "print('pydantic' in sys.modules, 'icd10kb.knowledge.index' in sys.modules, 'icd10kb.search.postings' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert out.split() == ["False", "False", "True"]


_SMALL = """<?xml version="1.0" encoding="utf-8"?>
<ICD10CM.tabular>
  <version>2099</version>
  <chapter>
    <name>1</name>
    <desc>Certain infectious diseases (A00-B99)</desc>
    <sectionIndex><sectionRef first="A00" last="A09" id="A00-A09">Intestinal infectious diseases</sectionRef></sectionIndex>
    <section id="A00-A09">
      <desc>Intestinal infectious diseases (A00-A09)</desc>
      <diag>
        <name>A00</name>
        <desc>Cholera</desc>
        <diag><name>A00.0</name><desc>Cholera due to Vibrio cholerae 01, biovar cholerae</desc></diag>
        <diag><name>A00.9</name><desc>Cholera, unspecified</desc></diag>
      </diag>
    </section>
  </chapter>
</ICD10CM.tabular>
"""


def test_the_other_layers_feed_search() -> None:
    """Issues 10 and 11: HPO layperson synonyms and the index tables' terms reach codes, and the hit says how."""
    kb = icd10kb.load()
    heart = kb.search("heart attack", 3)
    assert heart[0].code.startswith("I21") and any(m.field.startswith("HPO synonym") for m in heart[0].matches)
    assert kb.search("high blood pressure", 1)[0].code == "I10"
    drug = kb.search("acetaminophen overdose", 1)[0]
    assert drug.code == "T39.1X1" and drug.matches[0].field == "index term (drug)"
    assert kb.search("fall from ladder", 1)[0].code == "W11"


def test_a_damaged_layer_file_is_refused() -> None:
    """The file of other layers' texts is checked for shape when read, and row by row when a hit reads it."""
    from icd10kb.search.layerfile import decode as decode_layers
    from icd10kb.search.layerfile import encode as encode_layers

    path = f"{DATASET}/2026-04-01.layers.bin.gz"
    data = read(DATASET, path)
    size = icd10kb.load().store.size
    assert len(decode_layers(data, path, size)) > 80_000
    header_end = data.index(b"\n")
    for damaged in (
        data[:-1],  # a text cut short
        data[: header_end + 1000],  # sections cut short
        b"{}\n" + data[header_end + 1 :],  # no format
        b"not json\n",
    ):
        with pytest.raises(icd10kb.DataFileError, match="layers"):
            decode_layers(damaged, path, size)
    with pytest.raises(icd10kb.DataFileError, match="layers"):
        decode_layers(data, path, size + 1)  # made for another release
    rows = encode_layers("r", 10, [(2, "a", "x"), (5, "b", "yz")])
    out_of_order = rows.replace(b"\x02\x00\x00\x00\x05\x00\x00\x00", b"\x05\x00\x00\x00\x02\x00\x00\x00")
    with pytest.raises(icd10kb.DataFileError, match="order"):
        decode_layers(out_of_order, "f", 10)
    bad_text = rows[:-2] + b"\xff\xfe"  # not UTF-8: refused when a hit reads the row
    layers = decode_layers(bad_text, "f", 10)
    assert layers.get(2) == [("a", "x")]
    with pytest.raises(icd10kb.DataFileError, match="f"):
        layers.get(5)
