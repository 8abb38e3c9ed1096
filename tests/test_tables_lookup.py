"""Look-ups in the shipped tables, checked against an independent reading of the official XML."""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

import icd10kb
from icd10kb.errors import InvalidArgumentError
from icd10kb.tables import (
    BEHAVIOURS,
    INTENTS,
    AmbiguousTermError,
    TableLookup,
    UnknownTermError,
    drug,
    external_cause,
    index_terms,
    neoplasm,
)
from icd10kb.tables.codes import printed_stem
from tests.test_tables_shipped import rows

KB = icd10kb.load("2026-04-01")
OLD = icd10kb.load("2021")
LOOKUPS: dict[str, Any] = {"drug": drug, "neoplasm": neoplasm, "external": external_cause}


def sample(name: str, size: int | None) -> list[tuple[list[str], dict[str, Any]]]:
    """(query, row) for rows with a code or a see reference: all of them, or *size* drawn reproducibly.

    The query is the path of titles, one per level; where two entries share a path of titles
    (*Carbamate (insecticide)*, *Carbamate (sedative)*), the last is given as printed.
    """
    found = rows(name)
    counts = Counter(r["path"] for r in found)
    usable = [r for r in found if len(r["path"]) > (name == "neoplasm") and (r["see"] or r["code"] or r["cells"])]
    if size is not None:
        usable = random.Random(2025).sample(usable, min(size, len(usable)))
    out = []
    for row in usable:
        query = list(row["path"][1:] if name == "neoplasm" else row["path"])
        if counts[row["path"]] > 1 and row["nemod"]:
            query[-1] = f"{query[-1]} {row['nemod']}"
        out.append((query, row))
    return out


def expected_code(kb: icd10kb.KnowledgeBase, printed: str) -> str | None:
    stem = printed_stem(printed)
    return kb.normalize(stem) if stem and stem in kb else None


@pytest.mark.parametrize("name", list(LOOKUPS))
@pytest.mark.parametrize(("kb", "size"), [(KB, None), (OLD, 300)], ids=["2026-04-01-every-row", "2021-sample"])
def test_rows_give_the_codes_the_xml_prints(name: str, kb: icd10kb.KnowledgeBase, size: int | None) -> None:
    for query, row in sample(name, size):
        result = LOOKUPS[name](query, kb=kb)
        cells = row["cells"] or ()
        has_codes = bool(row["code"] or row["subcat"] or row["seecat"] or any(printed_stem(c) for c in cells))
        if row["see"] and not has_codes:
            assert result.see[:1] == (row["see"],) or row["see"] in result.unresolved, row["path"]
            continue
        assert result.path == row["path"], row["path"]
        if name == "external":
            printed = tuple(v for v in (row["code"], row["subcat"], row["seecat"]) if v)
        else:
            printed = row["cells"] or ("",) * 6
        assert tuple(c.printed for c in result.codes) == printed, row["path"]
        for entry in result.codes:
            assert entry.code == expected_code(kb, entry.printed), (row["path"], entry)
            if entry.code is None and printed_stem(entry.printed):
                assert entry.status == "not_in_release" and kb.release.name in entry.reason
            if entry.code is not None:
                assert entry.code in kb and entry.reason == ""
                assert entry.status == ("complete" if kb.is_billable(entry.code) else "incomplete")
                assert all(c in kb and kb.is_billable(c) for c in entry.completions)


def test_acetaminophen_every_intent() -> None:
    found = drug("Acetaminophen", kb=KB)
    assert [c.column for c in found.codes] == list(INTENTS)
    assert [c.code for c in found.codes] == ["T39.1X1", "T39.1X2", "T39.1X3", "T39.1X4", "T39.1X5", "T39.1X6"]
    for entry in found.codes:
        assert entry.status == "incomplete"
        assert [s.character for s in entry.seventh_characters] == ["A", "D", "S"]
        assert [s.code for s in entry.seventh_characters] == [entry.code + c for c in "ADS"]
        assert "a 7th character: A (initial encounter), D (subsequent encounter) or S (sequela)" in entry.needs


@pytest.mark.parametrize(
    ("intent", "code"),
    [
        ("accidental", "T45.511"),
        ("self-harm", "T45.512"),
        ("Assault", "T45.513"),
        ("undetermined", "T45.514"),
        ("adverse effect", "T45.515"),
        ("UNDERDOSING", "T45.516"),
        ("intentional self-harm", "T45.512"),
    ],
)
def test_warfarin_by_intent(intent: str, code: str) -> None:
    found = drug("warfarin", intent, kb=KB)
    assert found.code == code and len(found.codes) == 1


def test_a_dash_cell_is_reported_not_handed_out() -> None:
    found = drug("Alcohol, ethyl", "adverse effect", kb=KB)
    assert found.path == ("Alcohol", "ethyl") and found.code is None
    assert found.codes[0].status == "no_code" and "'--'" in found.codes[0].reason


def test_see_references_are_followed_and_reported() -> None:
    found = drug("Adrenalin", "accidental", kb=KB)
    assert found.see == ("Adrenaline",) and found.path == ("Adrenaline",) and found.code == "T44.5X1"
    car = external_cause("accident, car", kb=KB)
    assert car.see == ("Accident, transport, car occupant",)
    assert car.path == ("Accident", "transport", "car occupant") and car.code == "V49.9"
    corrosive = external_cause(["Accident", "caused by, due to", "corrosive liquid, substance"], kb=KB)
    assert corrosive.codes == () and "Table of Drugs and Chemicals" in corrosive.unresolved


def test_see_also_is_reported() -> None:
    found = neoplasm("abdomen, wall", kb=KB)
    assert found.see_also == ("Neoplasm, abdomen, wall, skin",) and found.codes[0].code == "C44.509"


def test_neoplasm_behaviours_and_what_codes_still_need() -> None:
    lung = neoplasm("lungs", kb=KB)
    assert lung.path == ("Neoplasm, neoplastic", "lung")
    assert [c.printed for c in lung.codes] == ["C34.9-", "C78.0-", "D02.2-", "D14.3-", "D38.1", "D49.1"]
    assert [c.column for c in lung.codes] == list(BEHAVIOURS)
    primary = neoplasm("lung", "malignant primary", kb=KB).codes[0]
    assert primary.status == "incomplete" and primary.completions == ("C34.90", "C34.91", "C34.92")
    assert neoplasm("Neoplasm, lung", "uncertain behavior", kb=KB).codes[0].status == "complete"
    assert neoplasm("skin of breast", "in situ", kb=KB).path[-2:] == ("skin NOS", "breast")


def test_codes_missing_from_the_release_are_reported_with_the_reason() -> None:
    found = drug("Afghanistan black", "accidental", kb=OLD)
    assert found.code is None and found.codes[0].status == "not_in_release"
    assert "'T40.711' is not a code of ICD-10-CM 2021" in found.codes[0].reason
    assert drug("Afghanistan black", "accidental", kb=KB).code == "T40.711"


def test_kb_none_means_the_default_release() -> None:
    assert drug("aspirin").release == icd10kb.load().release.name


def test_unknown_terms_name_the_term_and_suggest() -> None:
    with pytest.raises(UnknownTermError) as caught:
        drug("acetaminofen", kb=KB)
    assert caught.value.term == "acetaminofen" and "Acetaminophen" in caught.value.suggestions
    assert "'acetaminofen' is not a term of the Table of Drugs and Chemicals" in str(caught.value)
    assert isinstance(caught.value, KeyError) and isinstance(caught.value, icd10kb.ICD10KBError)
    with pytest.raises(UnknownTermError) as caught:
        external_cause("fall from bananna", kb=KB)
    assert caught.value.within == "Fall, falling, from, off, out of"
    with pytest.raises(AmbiguousTermError) as ambiguous:
        external_cause("corrosive liquid", kb=KB)
    assert len(ambiguous.value.candidates) == 2 and isinstance(ambiguous.value, ValueError)


@pytest.mark.parametrize("bad", [None, 42, "", "   ", "!!!", ["lung", 3], [], "word " * 60])
def test_bad_terms_are_invalid_arguments(bad: object) -> None:
    with pytest.raises(InvalidArgumentError):
        neoplasm(bad, kb=KB)


def test_bad_intents_behaviours_and_kb_are_invalid_arguments() -> None:
    with pytest.raises(InvalidArgumentError, match="intent"):
        drug("aspirin", "overdose", kb=KB)
    with pytest.raises(InvalidArgumentError, match="behaviour"):
        neoplasm("lung", "malignant tertiary", kb=KB)
    with pytest.raises(InvalidArgumentError):
        neoplasm("lung", 2, kb=KB)
    with pytest.raises(InvalidArgumentError, match="knowledge base"):
        external_cause("fall", kb="2026-04-01")


def test_results_are_frozen_and_round_trip_through_json() -> None:
    found = drug("Acetaminophen", kb=KB)
    assert TableLookup.model_validate_json(found.model_dump_json()) == found
    with pytest.raises(ValidationError):
        found.code = "X"  # type: ignore[misc]
    with pytest.raises(ValidationError):
        found.codes[0].status = "complete"  # type: ignore[misc]


@settings(max_examples=120, deadline=None)
@given(st.text(max_size=60), st.sampled_from(list(LOOKUPS)))
def test_arbitrary_text_raises_only_documented_errors(text: str, name: str) -> None:
    try:
        result = LOOKUPS[name](text, kb=KB)
    except (UnknownTermError, AmbiguousTermError, InvalidArgumentError):
        return
    assert all(c.code is None or c.code in KB for c in result.codes)


def test_index_terms_for_search() -> None:
    entries = index_terms(KB)
    assert all(e.code in KB for e in entries)
    texts = {(e.text, e.code) for e in entries}
    assert ("Fall, falling, from, off, out of, ladder", "W11") in texts
    assert ("Acetaminophen, Poisoning Accidental (unintentional), overdose", "T39.1X1") in texts
    assert ("Neoplasm, neoplastic, lung, Malignant Primary", "C34.9") in texts
    cells = sum(1 for r in rows("drug") if r["cells"] for c in r["cells"] if expected_code(KB, c))
    followed = [e for e in entries if e.table == "drug" and e.path == ("Adrenalin",)]
    assert [e.code for e in followed] == [c.code for c in drug("Adrenaline", kb=KB).codes if c.code]
    referring = [r for r in rows("drug") if r["see"] and not r["cells"]]
    reached = sum(1 for r in referring for c in drug(list(r["path"]), kb=KB).codes if c.code)
    assert len(referring) == 97 and reached > 0
    assert sum(1 for e in entries if e.table == "drug") == cells + reached  # the cells, and those 'see' leads to
    old = {e.code for e in index_terms(OLD)}
    assert "T40.711" not in old and "T40.711" in {e.code for e in entries}


def test_tables_of_another_year_can_be_supplied() -> None:
    from pathlib import Path

    from icd10kb.tables import read_index

    data = Path(__file__).resolve().parent.parent / "data" / "icd10cm-index"
    drugs = read_index(data / "icd10cm-drug-2025.xml.gz")
    found = drug("acetaminophen", "accidental", kb=KB, index=drugs)
    assert found.code == "T39.1X1" and found.source.startswith("Table of Drugs and Chemicals (")
    assert drug("acetaminophen", "accidental", kb=KB).source == "ICD-10-CM FY2025 Table of Drugs and Chemicals"
    sites = read_index(data / "icd10cm-neoplasm-2025.xml")
    assert neoplasm("lung", "benign", kb=KB, index=sites).codes[0].printed == "D14.3-"
    causes = read_index(data / "icd10cm-eindex-2025.xml.gz")
    assert external_cause("fall from ladder", kb=KB, index=causes).code == "W11"
    with pytest.raises(InvalidArgumentError, match="not those of the Table of Drugs"):
        drug("lung", kb=KB, index=sites)
    with pytest.raises(InvalidArgumentError, match="not those of the External Cause"):
        external_cause("lung", kb=KB, index=sites)
    with pytest.raises(InvalidArgumentError):
        drug("aspirin", kb=KB, index=str(data / "icd10cm-drug-2025.xml.gz"))


def test_see_references_that_are_not_terms_are_reported() -> None:
    sequela = external_cause("accident, sequelae of", kb=KB)
    assert sequela.codes == () and sequela.see == ()
    assert (
        sequela.unresolved
        == "see 'W00-X58 with 7th character S': it names codes, not a term of this table; read it as written"
    )
    bean = external_cause("bean in nose", kb=KB)  # the file prints 'see categories T17 and' beside <code>T18</code>
    assert bean.code == "T18" and "not followed, the term has a code of its own" in bean.unresolved


def test_entries_printed_alike_are_told_apart_or_refused() -> None:
    """Regression: two main terms titled 'Carbamate' once gave the first silently."""
    with pytest.raises(AmbiguousTermError) as caught:
        drug("carbamate", kb=KB)
    assert caught.value.candidates == ("Carbamate (insecticide)", "Carbamate (sedative)")
    assert drug("Carbamate (sedative)", "accidental", kb=KB).code == "T42.6X1"
    assert drug(["Carbamate (insecticide)"], "accidental", kb=KB).code == "T60.0X1"
    assert drug(["Carbamate", "herbicide"], "accidental", kb=KB).path == ("Carbamate", "herbicide")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_normalising_words_twice_changes_nothing(text: str) -> None:
    from icd10kb.tables.matching import words

    once = words(text)
    assert words(" ".join(once)) == once
    assert words(text.upper()) == words(text.lower()) or not text.isascii()
