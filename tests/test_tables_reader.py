"""The index reader on small hand-made files in the official format (icd10cm-index-2025.xsd).

The Index to Diseases and Injuries is not shipped; a user supplies it. The
file below follows the XSD: letters, main terms, nested terms with levels,
non-essential modifiers inside titles, see / see also, codes, manifestation
codes, subcat and seecat.
"""

from __future__ import annotations

import gzip
import io
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import icd10kb
from icd10kb.errors import DataFileError, InvalidArgumentError
from icd10kb.tables import IndexFile, index_lookup, read_index
from icd10kb.tables.errors import UnknownTermError

ROOT = Path(__file__).resolve().parent.parent

DISEASES = """<?xml version="1.0" encoding="utf-8"?>
<ICD10CM.index>
  <version>2099</version>
  <title>ICD-10-CM INDEX TO DISEASES and INJURIES</title>
  <letter>
    <title>C</title>
    <mainTerm>
      <title>Calcinosis<nemod>(generalized)</nemod></title>
      <code>E83.59</code>
      <term level="1">
        <title>cutis</title>
        <code>L94.2</code>
      </term>
      <term level="1">
        <title>with Raynaud's phenomenon, esophageal dysfunction</title>
        <code>M34.1</code>
      </term>
    </mainTerm>
    <mainTerm>
      <title>Cataract<nemod>(cortical) (immature) (incipient)</nemod></title>
      <code>H26.9</code>
      <term level="1">
        <title>diabetic</title>
        <see>Diabetes, cataract</see>
      </term>
    </mainTerm>
  </letter>
  <letter>
    <title>D</title>
    <mainTerm>
      <title>Diabetes, diabetic<nemod>(mellitus) (sugar)</nemod></title>
      <seeAlso>Hyperglycemia</seeAlso>
      <code>E11.9</code>
      <term level="1">
        <title>cataract</title>
        <code>E11.36</code>
        <manif>H28</manif>
      </term>
      <term level="1">
        <title>type 2</title>
        <code>E11.9</code>
        <term level="2">
          <title>with</title>
          <term level="3">
            <title>hyperglycemia</title>
            <code>E11.65</code>
          </term>
        </term>
      </term>
    </mainTerm>
    <mainTerm>
      <title>Drowning<nemod>(accidental)</nemod> NEC</title>
      <subcat>T75.1</subcat>
      <term level="1">
        <title>due to</title>
        <seecat>T71</seecat>
      </term>
      <term level="1">
        <title>ancient</title>
        <code>Z99.999</code>
      </term>
    </mainTerm>
  </letter>
</ICD10CM.index>
"""


@pytest.fixture(scope="module")
def diseases() -> IndexFile:
    return read_index(io.BytesIO(DISEASES.encode()))


def test_reads_every_part_of_an_index_term(diseases: IndexFile) -> None:
    assert (diseases.version, diseases.title, diseases.heading) == (
        "2099",
        "ICD-10-CM INDEX TO DISEASES and INJURIES",
        (),
    )
    assert [t.title for t in diseases.terms] == ["Calcinosis", "Cataract", "Diabetes, diabetic", "Drowning NEC"]
    drowning = diseases.terms[3]
    assert (drowning.nemod, drowning.display) == ("(accidental)", "Drowning (accidental) NEC")
    assert drowning.subcat == "T75.1" and drowning.terms[0].seecat == "T71"
    diabetes = diseases.terms[2]
    assert diabetes.see_also == "Hyperglycemia" and diabetes.code == "E11.9"
    assert (diabetes.terms[0].code, diabetes.terms[0].manif) == ("E11.36", "H28")
    assert diabetes.terms[1].terms[0].terms[0].code == "E11.65"
    assert diseases.terms[1].terms[0].see == "Diabetes, cataract"
    assert all(t.cells == () for _, t in diseases.walk())
    assert len(list(diseases.walk())) == 13


def test_lookup_in_a_user_supplied_index(diseases: IndexFile) -> None:
    kb = icd10kb.load("2026-04-01")
    found = index_lookup(diseases, "diabetes type 2 with hyperglycemia", kb=kb)
    assert found.path == ("Diabetes, diabetic", "type 2", "with", "hyperglycemia")
    assert found.code == "E11.65" and found.codes[0].status == "complete"
    assert found.see_also == ("Hyperglycemia",)
    manif = index_lookup(diseases, "cataract, diabetic", kb=kb)  # "see Diabetes, cataract", followed
    assert manif.see == ("Diabetes, cataract",)
    assert [(c.column, c.code) for c in manif.codes] == [("code", "E11.36"), ("manifestation", "H28")]
    assert manif.codes[1].status == "complete"  # H28 is billable
    drowning = index_lookup(diseases, "drowning", kb=kb)
    assert [(c.column, c.code) for c in drowning.codes] == [("see subcategory", "T75.1")]
    assert index_lookup(diseases, ["Drowning", "due to"], kb=kb).codes[0].column == "see category"
    missing = index_lookup(diseases, "drowning ancient", kb=kb).codes[0]
    assert (missing.code, missing.status) == (None, "not_in_release")
    assert "Z99.999" in missing.reason and "2026-04-01" in missing.reason
    with pytest.raises(UnknownTermError) as caught:
        index_lookup(diseases, "calcinosis cutus", kb=kb)
    assert caught.value.within == "Calcinosis" and "cutis" in caught.value.suggestions


def test_index_lookup_refuses_what_is_not_an_index(diseases: IndexFile) -> None:
    with pytest.raises(InvalidArgumentError):
        index_lookup("icd10cm-index-2026.xml", "cataract")
    from icd10kb.tables import table

    with pytest.raises(InvalidArgumentError):
        index_lookup(table("drug"), "acetaminophen")
    with pytest.raises(InvalidArgumentError):
        index_lookup(diseases, "cataract", kb="2026")


def test_gzip_paths_crlf_and_utf16_read_alike(tmp_path: Path, diseases: IndexFile) -> None:
    crlf = DISEASES.replace("\n", "\r\n").encode()
    path = tmp_path / "icd10cm-index-2099.xml.gz"
    path.write_bytes(gzip.compress(crlf))
    again = read_index(path)
    assert again.terms == diseases.terms and again.name == str(path)
    utf16 = DISEASES.replace('encoding="utf-8"', 'encoding="utf-16"').encode("utf-16")
    assert read_index(io.BytesIO(utf16)).terms == diseases.terms


def test_addenda_markup_reads_as_after_the_change() -> None:
    doc = b"""<ICD10CM.index><letter><title>A</title>
      <mainTerm><diff><unc>Abscess</unc><new> of skin</new><old> skin</old></diff><code>L02.91</code></mainTerm>
    </letter></ICD10CM.index>"""
    term = read_index(io.BytesIO(doc)).terms[0]
    assert (term.title, term.code) == ("Abscess of skin", "L02.91")


def elements_of(xsd: Path) -> set[str]:
    ns = "{http://www.w3.org/2001/XMLSchema}"
    return {e.attrib["name"] for e in ET.parse(xsd).iter(f"{ns}element") if "name" in e.attrib}


def test_every_element_of_both_schemas_is_read() -> None:
    """A document using every element the two XSDs declare reads without a problem."""
    declared = elements_of(ROOT / "data/icd10cm-index/icd10cm-index-2025.xsd")
    declared |= elements_of(ROOT / "data/icd10cm-index/icd10cm-drug-neoplasm-2025.xsd")
    doc = """<ICD10CM.index><version>1</version><title>T</title>
      <indexHeading><head col="1">Substance</head><head col="2">A</head><head col="3">B</head></indexHeading>
      <letter><title>A</title>
        <mainTerm><title>Acid<nemod>(any)</nemod> NEC</title><see>X</see><seeAlso>Y</seeAlso><code>T54.2X1</code>
          <seecat>T54</seecat><subcat>T54.2</subcat><manif>H28</manif><warning>w</warning>
          <cell col="2"><new>T54.2X1</new></cell><cell col="3"><diff><old>T54.2X9</old><unc>T54.2X2</unc></diff></cell>
          <term level="1"><diff><new>fumes</new></diff><cell col="2">T59.891</cell></term>
        </mainTerm>
      </letter></ICD10CM.index>"""
    used = {e.tag for e in ET.fromstring(doc).iter()}
    assert declared <= used, declared - used
    index = read_index(io.BytesIO(doc.encode()))
    main = index.terms[0]
    assert main.cells == ("T54.2X1", "T54.2X2") and main.warning == "w" and main.terms[0].title == "fumes"


def test_structure_problems_are_listed_with_positions() -> None:
    doc = b"""<ICD10CM.index>
<indexHeading><head col="1">S</head><head col="2">A</head></indexHeading>
<letter><title>A</title>
<mainTerm><title>One</title><cell col="7">T00</cell></mainTerm>
<mainTerm><title>Two</title><term level="3"><title>deep</title></term></mainTerm>
<mainTerm><code>T01</code></mainTerm>
<mainTerm><title>Three</title><bogus/><see>a</see><see>b</see></mainTerm>
</letter></ICD10CM.index>"""
    with pytest.raises(DataFileError) as caught:
        read_index(io.BytesIO(doc))
    error = caught.value
    assert (error.path, error.line) == ("<stream>", 4)
    message = str(error)
    assert message.startswith("<stream>, line 4, column ")
    assert "5 problem(s)" in message
    for part in (
        "col= a whole number from 2 to 2",
        "sits at level 1",
        "line 6",
        "<mainTerm> has no title",
        "unexpected <bogus>",
        "two <see>",
    ):
        assert part in message, part


def test_problem_list_is_bounded() -> None:
    terms = "".join(f"<mainTerm><title>T{i}</title><oops/></mainTerm>" for i in range(500))
    doc = f"<ICD10CM.index><letter><title>T</title>{terms}</letter></ICD10CM.index>".encode()
    with pytest.raises(DataFileError) as caught:
        read_index(io.BytesIO(doc))
    message = str(caught.value)
    assert "500 problem(s)" in message and "… and 480 more" in message
    assert len(message) < 3000
