"""The loader of official files against malformed and hostile input.

``icd10kb.load_tabular`` and ``icd10kb.tabular.read_code_list`` must load a
well-formed file, and refuse everything else with a
:class:`icd10kb.DataFileError` (also a ``ValueError``) that names the file
(``"<stream>"`` for an anonymous file object) and, for XML syntax errors,
the line and column. No other exception may escape.

The documents are built here, small, in the layout of the official files.
"""

from __future__ import annotations

import gzip
import importlib
import io
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import icd10kb
from icd10kb.classification.tabular import read_code_list

# ``icd10kb.releases`` is the public function listing the releases, which hides the
# submodule of the same name; the submodule is what holds ``data_bytes``.
RELEASES_MODULE = importlib.import_module("icd10kb.datasets")

# --- a small, valid tabular file and its code list ---------------------------------------

VALID = """<?xml version="1.0" encoding="utf-8"?>
<ICD10CM.tabular>
  <version>2099</version>
  <introduction>
    <introSection type="title"><title>Not a concept</title></introSection>
  </introduction>
  <chapter>
    <name>1</name>
    <desc>Certain infectious diseases (A00-B99)</desc>
    <includes><note>diseases generally recognized as communicable</note></includes>
    <sectionIndex>
      <sectionRef first="A00" last="A09" id="A00-A09">Intestinal infectious diseases</sectionRef>
    </sectionIndex>
    <section id="A00-A09">
      <desc>Intestinal infectious diseases (A00-A09)</desc>
      <diag>
        <name>A00</name>
        <desc>Cholera</desc>
        <excludes1><note>typhoid fever  (A01.0)</note></excludes1>
        <diag><name>A00.0</name><desc>Cholera due to Vibrio cholerae 01, biovar cholerae</desc></diag>
        <diag>
          <name>A00.9</name>
          <desc>Cholera, unspecified</desc>
          <inclusionTerm><note>Cholera NOS</note><note>Ménière-like</note></inclusionTerm>
        </diag>
      </diag>
      <diag><name>A01</name><desc>Typhoid fever</desc></diag>
    </section>
    <section id="B99">
      <desc>Other infectious diseases (B99)</desc>
      <diag><name>B99</name><desc>Other and unspecified infectious diseases</desc></diag>
    </section>
  </chapter>
  <chapter>
    <name>2</name>
    <desc>Neoplasms (C00-D49)</desc>
    <section id="C00-C96">
      <desc>Malignant neoplasms (C00-C96)</desc>
    </section>
    <section id="C00-C14">
      <desc>Malignant neoplasms of lip, oral cavity and pharynx (C00-C14)</desc>
      <diag><name>C00</name><desc>Malignant neoplasm of lip</desc></diag>
    </section>
    <section id="C15-C96">
      <desc>Other malignant neoplasms (C15-C96)</desc>
      <diag><name>C15</name><desc>Malignant neoplasm of esophagus</desc></diag>
      <diag><name>C96</name><desc>Other malignant neoplasms of lymphoid tissue</desc></diag>
    </section>
  </chapter>
  <chapter>
    <name>19</name>
    <desc>Injury, poisoning (S00-T88)</desc>
    <section id="S00-S09">
      <desc>Injuries to the head (S00-S09)</desc>
      <diag>
        <name>S06</name>
        <desc>Intracranial injury</desc>
        <sevenChrNote><note>The appropriate 7th character is to be added to each code of S06.</note></sevenChrNote>
        <sevenChrDef>
          <extension char="A">initial encounter</extension>
          <extension char="D">subsequent encounter</extension>
        </sevenChrDef>
        <diag>
          <name>S06.0</name>
          <desc>Concussion</desc>
          <diag><name>S06.0X1</name><desc>Concussion with loss of consciousness of 30 minutes or less</desc></diag>
        </diag>
        <diag><name>S06.1</name><desc>Traumatic cerebral edema</desc></diag>
      </diag>
    </section>
  </chapter>
</ICD10CM.tabular>
"""

#: Dotless codes of VALID as a release's code list would hold them; S06.1XXD is left out.
CODES = [
    "A00", "A000", "A009", "A01", "B99", "C00", "C15", "C96",
    "S06", "S060", "S060X1", "S060X1A", "S060X1D", "S061", "S061XXA",
]
NCHS_LIST = (
    "\r\n".join(["1", "A00-A09", "A00", "A000", "A009", "A01", "B99", "B99",
                 "2", "C00-C96", "C00-C14", "C00", "C15-C96", "C15", "C96",
                 "19", "S00-S09", "S06", "S060", "S060X1", "S060X1A", "S060X1D", "S061", "S061XXA"])
    + "\r\n"
).encode("ascii")

EXPECTED_IDS = [
    "1", "A00-A09", "A00", "A00.0", "A00.9", "A01", "B99-B99", "B99",
    "2", "C00-C96", "C00-C14", "C00", "C15-C96", "C15", "C96",
    "19", "S00-S09", "S06", "S06.0", "S06.0X1", "S06.0X1A", "S06.0X1D", "S06.1", "S06.1XXA",
]


def cms_code_file(titles: dict[str, str] | None = None) -> str:
    """The CMS code file layout: code padded to 8 columns, then the title."""
    titles = titles or {}
    return "".join(f"{code:<8}{titles.get(code, 'Some title')}\r\n" for code in CODES)


def cms_order_file() -> str:
    """The CMS order file layout: order(5) code(7) flag(1) short(60) long."""
    lines = []
    for number, code in enumerate(CODES, 1):
        header = "0" if code in {"A00", "S06", "S060", "S060X1", "S061"} else "1"
        lines.append(f"{number:05d} {code:<7} {header} {'Short title':<60} Long title\r\n")
    return "".join(lines)


def variant(old: str, new: str, count: int = 1) -> bytes:
    assert old in VALID, old
    return VALID.replace(old, new, count).encode("utf-8")


# --- ways of handing a file to the loader -------------------------------------------------

#: kind -> function(data, tmp_path, stem) -> (source, the name errors must show)
Maker = Callable[[bytes, Path, str], tuple[Any, str]]


def _path_plain(data: bytes, tmp: Path, stem: str) -> tuple[Any, str]:
    path = tmp / f"{stem}.xml"
    path.write_bytes(data)
    return str(path), str(path)


def _pathlike_gzip(data: bytes, tmp: Path, stem: str) -> tuple[Any, str]:
    path = tmp / f"{stem}.xml.gz"
    path.write_bytes(gzip.compress(data))
    return path, str(path)


def _stream_plain(data: bytes, tmp: Path, stem: str) -> tuple[Any, str]:
    return io.BytesIO(data), "<stream>"


def _stream_gzip(data: bytes, tmp: Path, stem: str) -> tuple[Any, str]:
    return io.BytesIO(gzip.compress(data)), "<stream>"


SOURCES: dict[str, Maker] = {
    "path": _path_plain,
    "pathlike-gzip": _pathlike_gzip,
    "bytesio": _stream_plain,
    "bytesio-gzip": _stream_gzip,
}


@pytest.fixture(params=list(SOURCES))
def make(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[bytes, str], tuple[Any, str]]:
    maker = SOURCES[request.param]
    return lambda data, stem="tabular": maker(data, tmp_path, stem)


def refused(call: Callable[[], Any], name: str) -> icd10kb.DataFileError:
    """Run *call*; it must raise DataFileError naming *name*, and nothing else."""
    with pytest.raises(icd10kb.DataFileError) as info:
        call()
    error = info.value
    assert isinstance(error, ValueError)
    assert isinstance(error, icd10kb.ICD10KBError)
    assert error.path == name
    assert str(error).startswith(name), str(error)
    assert error.message and error.message in str(error)
    return error


def at(error: icd10kb.DataFileError, line: int, column: int | None = None) -> None:
    assert error.line == line, str(error)
    assert isinstance(error.column, int) and error.column >= 1, str(error)
    if column is not None:
        assert error.column == column, str(error)
    assert f"line {error.line}, column {error.column}" in str(error)


# --- a well-formed file loads --------------------------------------------------------------


def check_valid(kb: icd10kb.KnowledgeBase, *, with_list: bool) -> None:
    expected = EXPECTED_IDS if with_list else [*EXPECTED_IDS, "S06.1XXD"]
    assert sorted(kb) == sorted(expected)
    assert list(kb)[:8] == EXPECTED_IDS[:8]
    assert kb.release.version == "2099"
    assert kb.label("1") == "Certain infectious diseases"
    assert kb.label("A00-A09") == "Intestinal infectious diseases"
    assert kb.title("A00.0") == "Cholera due to Vibrio cholerae 01, biovar cholerae"
    assert kb.parent("A00.0") == "A00" and kb.parent("A00") == "A00-A09" and kb.parent("A00-A09") == "1"
    assert kb.parent("B99") == "B99-B99" and kb.kind("B99-B99") == "block" and kb.kind("B99") == "category"
    assert kb.ancestors("C00") == ("C00-C14", "C00-C96", "2")
    assert kb.ancestors("C15") == ("C15-C96", "C00-C96", "2")
    assert kb.children("C00-C96") == ("C00-C14", "C15-C96")
    assert kb.children("S06.0X1") == ("S06.0X1A", "S06.0X1D")
    assert kb.title("S06.0X1D") == "Concussion with loss of consciousness of 30 minutes or less, subsequent encounter"
    assert kb.title("S06.1XXA") == "Traumatic cerebral edema, initial encounter"
    assert kb.parent("S06.1XXA") == "S06.1"
    assert [c for c in kb if kb.is_billable(c)] == [c for c in kb if not kb.children(c)]
    assert not kb.is_billable("A00") and kb.is_billable("A00.0") and kb.is_billable("A01")
    assert not kb.is_billable("S06.0X1") and kb.is_billable("S06.0X1A")
    assert ("S06.1XXD" in kb) is not with_list
    assert kb.rejected_seventh_characters == (("S06.1XXD",) if with_list else ())
    notes = {(n.kind, n.text) for n in kb.notes("A00")}
    assert notes == {("excludes1", "typhoid fever (A01.0)")}
    assert [n.text for n in kb.notes("A00.9") if n.kind == "inclusion_terms"] == ["Cholera NOS", "Ménière-like"]
    assert [n.text for n in kb.notes("1")] == ["diseases generally recognized as communicable"]
    assert any(n.kind == "seventh_character_note" for n in kb.notes("S06"))


def test_a_well_formed_file_loads(make: Callable[..., tuple[Any, str]]) -> None:
    source, _ = make(VALID.encode("utf-8"))
    listed, _ = make(NCHS_LIST, "codes")
    check_valid(icd10kb.load_tabular(source, listed, name="test"), with_list=True)


def test_without_a_code_list_every_rule_character_is_accepted(make: Callable[..., tuple[Any, str]]) -> None:
    source, _ = make(VALID.encode("utf-8"))
    check_valid(icd10kb.load_tabular(source), with_list=False)


def test_a_binary_file_object_with_a_name(tmp_path: Path) -> None:
    path = tmp_path / "tabular.xml.gz"
    path.write_bytes(gzip.compress(VALID.encode("utf-8")))
    (tmp_path / "codes.txt").write_bytes(NCHS_LIST)
    with open(path, "rb") as xml, open(tmp_path / "codes.txt", "rb") as codes:
        kb = icd10kb.load_tabular(xml, codes)
    check_valid(kb, with_list=True)
    assert [f.name for f in kb.release.files] == [str(path), str(tmp_path / "codes.txt")]


@pytest.mark.parametrize(
    "layout",
    [NCHS_LIST, cms_code_file().encode("utf-8"), cms_order_file().encode("ascii"),
     cms_code_file({"A00": "Choléra"}).encode("utf-8"), b"\xef\xbb\xbf" + NCHS_LIST],
    ids=["nchs", "cms-code-file", "cms-order-file", "utf8-title", "utf8-bom"],
)
def test_the_official_code_list_layouts_load(layout: bytes, make: Callable[..., tuple[Any, str]]) -> None:
    listed, _ = make(layout, "codes")
    assert read_code_list(listed) == frozenset(CODES)
    source, _ = make(VALID.encode("utf-8"))
    listed, _ = make(layout, "codes")
    check_valid(icd10kb.load_tabular(source, listed), with_list=True)


# --- hostile and malformed XML -------------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE ICD10CM.tabular [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<ICD10CM.tabular><version>&lol9;</version><chapter><name>1</name><desc>&lol9;</desc></chapter></ICD10CM.tabular>
"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE ICD10CM.tabular [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<ICD10CM.tabular><version>&xxe;</version></ICD10CM.tabular>
"""

PARAMETER_ENTITIES = b"""<?xml version="1.0"?>
<!DOCTYPE ICD10CM.tabular [
  <!ENTITY % file SYSTEM "file:///etc/passwd">
  <!ENTITY % wrap "<!ENTITY leak '%file;'>">
  %wrap;
]>
<ICD10CM.tabular><version>&leak;</version></ICD10CM.tabular>
"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE ICD10CM.tabular SYSTEM "file:///etc/passwd">
<ICD10CM.tabular><version>1</version></ICD10CM.tabular>
"""


def line_of(needle: str) -> int:
    """The line of VALID on which *needle* first appears."""
    return VALID[: VALID.index(needle)].count("\n") + 1


_DEEP = 3000
DEEP_NESTING = variant(
    "<diag><name>A01</name>",
    "<diag><name>A00.1</name><desc>x</desc>" * _DEEP + "</diag>" * _DEEP + "<diag><name>A01</name>",
)

#: label -> (document, where: (line, column) of a syntax error, column None if not pinned; or None)
HOSTILE_XML: dict[str, tuple[bytes, tuple[int, int | None] | None]] = {
    "billion-laughs": (BILLION_LAUGHS, (2, None)),
    "external-entity": (EXTERNAL_ENTITY, (2, None)),
    "parameter-entities": (PARAMETER_ENTITIES, (2, None)),
    "external-dtd": (EXTERNAL_DTD, (2, None)),
    "doctype-without-entities": (
        b'<?xml version="1.0"?>\n<!DOCTYPE ICD10CM.tabular>\n' + VALID.split("?>", 1)[1].encode(), (2, None)
    ),
    "undefined-entity": (
        variant("<desc>Cholera</desc>", "<desc>&cholera;</desc>"), (line_of("<desc>Cholera</desc>"), None)
    ),
    "truncated": (VALID.encode()[:900], None),  # position checked separately
    "mismatched-tags": (variant("</section>", "</sectoin>"), (line_of("</section>"), None)),
    "junk-after-root": (VALID.encode() + b"<ICD10CM.tabular/>", (VALID.count("\n") + 1, 1)),
    # A00's title, "        <desc>Chol\xe9ra</desc>": the byte is at column 8 + 6 + 4 + 1 = 19.
    "non-utf8-byte": (variant("<desc>Cholera</desc>", "<desc>Chol\xe9ra</desc>").replace("é".encode(), b"\xe9", 1),
                      (line_of("<desc>Cholera</desc>"), 19)),
    "utf16-declared-utf8": (VALID.encode("utf-16"), None),
    "unknown-encoding": (VALID.replace("utf-8", "x-no-such-encoding").encode(), None),
    "empty": (b"", None),
    "white-space-only": (b"  \r\n\t\n", None),
    "not-xml": (b"A00\tCholera\r\nA01\tTyphoid\r\n", (1, 1)),
    "wrong-root": (VALID.replace("ICD10CM.tabular", "ClaML").encode(), None),
    "no-chapters": (b"<ICD10CM.tabular><version>2099</version></ICD10CM.tabular>", None),
    "duplicate-category": (variant("<name>A01</name>", "<name>A00</name>"), None),
    "duplicate-code": (variant("<name>A00.9</name>", "<name>A00.0</name>"), None),
    "duplicate-block": (variant('<section id="C15-C96">', '<section id="C00-C14">'), None),
    "child-in-another-category": (variant("<name>A00.9</name>", "<name>A01.9</name>"), None),
    "category-outside-its-block": (variant("<name>A01</name>", "<name>B01</name>"), None),
    "subcategory-directly-in-a-block": (variant("<name>A01</name>", "<name>A01.1</name>"), None),
    "code-not-canonical": (variant("<name>A00.9</name>", "<name>a009</name>"), None),
    "diag-without-name": (variant("<name>A01</name>", ""), None),
    "category-name-too-short": (variant("<name>A01</name>", "<name>A0</name>"), None),
    "category-name-digits": (variant("<name>A01</name>", "<name>12</name>"), None),
    "diag-without-title": (variant("<desc>Typhoid fever</desc>", ""), None),
    "chapter-name-not-a-number": (variant("<name>1</name>", "<name>I</name>"), None),
    "chapter-name-superscript-digit": (variant("<name>1</name>", "<name>\u00b9</name>"), None),
    "section-id-not-a-range": (variant('<section id="A00-A09">', '<section id="../../etc/passwd">'), None),
    "section-spans-nothing": (
        variant('<section id="B99">', '<section id="E00-E07"><desc>x</desc></section><section id="B99">'), None
    ),
    "seventh-character-twice": (variant('char="D"', 'char="A"'), None),
    "seventh-character-twice-in-another-case": (variant('char="D"', 'char="a"'), None),
    "seventh-character-too-long": (variant('char="D"', 'char="DD"'), None),
    "deep-nesting": (DEEP_NESTING, None),
}


@pytest.mark.parametrize("label", list(HOSTILE_XML))
def test_hostile_xml_is_refused(label: str, make: Callable[..., tuple[Any, str]]) -> None:
    document, where = HOSTILE_XML[label]
    source, name = make(document)
    error = refused(lambda: icd10kb.load_tabular(source), name)
    if where is not None:
        at(error, *where)
    assert "root:" not in str(error)  # nothing of /etc/passwd leaks into the message


@pytest.mark.parametrize("label", list(HOSTILE_XML))
def test_hostile_xml_is_refused_with_a_code_list(label: str, tmp_path: Path) -> None:
    # With a code list too, the XML's problem is the one reported, naming the XML file.
    document, _ = HOSTILE_XML[label]
    xml = tmp_path / "tabular.xml"
    xml.write_bytes(document)
    listed = tmp_path / "codes.txt"
    listed.write_bytes(NCHS_LIST)
    refused(lambda: icd10kb.load_tabular(xml, listed), str(xml))


def test_entity_declarations_are_refused_before_expansion() -> None:
    error = refused(lambda: icd10kb.load_tabular(io.BytesIO(BILLION_LAUGHS)), "<stream>")
    assert len(str(error)) < 500
    assert "lol" * 10 not in str(error)


def test_truncated_xml_reports_where_the_data_ends(make: Callable[..., tuple[Any, str]]) -> None:
    document = VALID.encode()[:900]
    source, name = make(document)
    error = refused(lambda: icd10kb.load_tabular(source), name)
    last = document.rsplit(b"\n", 1)[1]
    at(error, document.count(b"\n") + 1, len(last) + 1)


def test_mismatched_tag_points_into_the_end_tag() -> None:
    document = variant("</section>", "</sectoin>")
    line = line_of("</section>")
    error = refused(lambda: icd10kb.load_tabular(io.BytesIO(document)), "<stream>")
    start = 5  # "    </sectoin>": "<" is at column 5, the name at column 7
    at(error, line)
    assert start <= error.column <= start + len("</sectoin>")


@pytest.mark.parametrize(
    "document",
    [VALID.replace('encoding="utf-8"', 'encoding="utf-16"').encode("utf-16"),
     VALID.split("?>", 1)[1].lstrip().encode("utf-16-le")],
    ids=["declared-utf16", "utf16le-without-bom-or-declaration"],
)
def test_utf16_that_says_so_loads_or_is_refused_cleanly(document: bytes) -> None:
    # UTF-16 with a BOM and a matching declaration, or recognisable from its first
    # bytes, is well-formed XML: it may load (then correctly) or be refused, nothing else.
    try:
        kb = icd10kb.load_tabular(io.BytesIO(document))
    except icd10kb.DataFileError as error:
        assert error.path == "<stream>"
    else:  # a correctly declared UTF-16 document is well-formed XML; if it loads, it loads right
        check_valid(kb, with_list=False)


def test_xml_features_that_are_harmless_still_work() -> None:
    # Predefined entities, character references, comments and processing instructions.
    document = variant("<desc>Cholera</desc>", "<desc><!-- c -->Fish &amp; chips &#233; &lt;x&gt;<?pi x?></desc>")
    kb = icd10kb.load_tabular(io.BytesIO(document))
    assert kb.title("A00") == "Fish & chips é <x>"


# --- damaged gzip ----------------------------------------------------------------------------


def _gzipped() -> bytes:
    # Long enough that the middle of the stream is compressed data, not the header.
    return gzip.compress(VALID.encode() * 20)


def _flipped(data: bytes) -> bytes:
    out = bytearray(data)
    middle = len(out) // 2
    for i in range(middle, middle + 8):
        out[i] ^= 0xA5
    return bytes(out)


DAMAGED_GZIP = {
    "bytes-flipped-in-the-middle": _flipped(_gzipped()),
    "truncated-in-the-middle": _gzipped()[: len(_gzipped()) // 2],
    "truncated-header": _gzipped()[:6],
    "crc-zeroed": _gzipped()[:-8] + bytes(8),
    "trailing-garbage": _gzipped() + b"\x1f\x8bgarbage",
}


@pytest.mark.parametrize("label", list(DAMAGED_GZIP))
def test_damaged_gzip_is_refused(label: str, tmp_path: Path) -> None:
    data = DAMAGED_GZIP[label]
    path = tmp_path / "tabular.xml.gz"
    path.write_bytes(data)
    refused(lambda: icd10kb.load_tabular(path), str(path))
    refused(lambda: icd10kb.load_tabular(io.BytesIO(data)), "<stream>")
    listed = tmp_path / "codes.txt.gz"
    listed.write_bytes(data)
    refused(lambda: read_code_list(listed), str(listed))
    good = tmp_path / "good.xml"
    good.write_bytes(VALID.encode())
    refused(lambda: icd10kb.load_tabular(good, listed), str(listed))


@pytest.mark.parametrize("label", ["bytes-flipped-in-the-middle", "truncated-in-the-middle"])
def test_a_gzip_file_object_over_damaged_data_is_refused(label: str, tmp_path: Path) -> None:
    # A binary file object that decompresses as it reads (gzip.open) fails inside read().
    path = tmp_path / "tabular.xml.gz"
    path.write_bytes(DAMAGED_GZIP[label])
    with gzip.open(path, "rb") as handle:
        refused(lambda: icd10kb.load_tabular(handle), str(path))


def test_a_gzip_bomb_is_refused() -> None:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)  # gzip container
    zeros = bytes(1 << 20)
    bomb = b"".join([compressor.compress(zeros) for _ in range(300)] + [compressor.flush()])
    assert len(bomb) < 1_000_000
    error = refused(lambda: icd10kb.load_tabular(io.BytesIO(bomb)), "<stream>")
    assert "decompresses to more than" in str(error) or "larger than" in str(error)


# --- things that are not binary data files ---------------------------------------------------


def test_a_text_mode_file_object_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "tabular.xml"
    path.write_bytes(VALID.encode())
    with open(path, encoding="utf-8") as handle:
        error = refused(lambda: icd10kb.load_tabular(handle), str(path))
    assert "binary" in str(error)
    refused(lambda: icd10kb.load_tabular(io.StringIO(VALID)), "<stream>")
    refused(lambda: read_code_list(io.StringIO("A00\r\n")), "<stream>")
    refused(lambda: icd10kb.load_tabular(io.BytesIO(VALID.encode()), io.StringIO("A00\r\n")), "<stream>")


def test_missing_paths_and_directories_are_refused(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-file.xml.gz"
    refused(lambda: icd10kb.load_tabular(missing), str(missing))
    refused(lambda: icd10kb.load_tabular(str(missing)), str(missing))
    refused(lambda: icd10kb.load_tabular(tmp_path), str(tmp_path))
    refused(lambda: read_code_list(missing), str(missing))
    refused(lambda: read_code_list(tmp_path), str(tmp_path))
    good = tmp_path / "good.xml"
    good.write_bytes(VALID.encode())
    refused(lambda: icd10kb.load_tabular(good, missing), str(missing))
    refused(lambda: icd10kb.load_tabular(good, tmp_path), str(tmp_path))


def test_a_path_with_a_nul_character_is_refused() -> None:
    refused(lambda: icd10kb.load_tabular("tabular\x00.xml"), "tabular\x00.xml")


def test_a_closed_file_object_is_refused() -> None:
    stream = io.BytesIO(VALID.encode())
    stream.close()
    refused(lambda: icd10kb.load_tabular(stream), "<stream>")


@pytest.mark.parametrize("value", [None, 42, 3.5, VALID.encode(), b"/etc/passwd", ["tabular.xml"]],
                         ids=["none", "int", "float", "bytes", "bytes-path", "list"])
def test_values_that_are_not_files_are_refused(value: Any) -> None:
    refused(lambda: icd10kb.load_tabular(value), "<stream>")


# --- the code list -----------------------------------------------------------------------------


def _with_list(listed: bytes, tmp_path: Path) -> tuple[Path, Path]:
    xml = tmp_path / "tabular.xml"
    xml.write_bytes(VALID.encode())
    codes = tmp_path / "codes.txt"
    codes.write_bytes(listed)
    return xml, codes


def test_a_code_list_naming_a_code_the_xml_lacks(tmp_path: Path) -> None:
    xml, codes = _with_list(NCHS_LIST + b"A002\r\n", tmp_path)
    error = refused(lambda: icd10kb.load_tabular(xml, codes), str(codes))
    assert "A00.2" in str(error)
    # Also a 7th-character code the rules do not make.
    xml, codes = _with_list(NCHS_LIST + b"S060X1S\r\n", tmp_path)
    refused(lambda: icd10kb.load_tabular(xml, codes), str(codes))


def test_a_code_list_lacking_a_code_of_the_xml(tmp_path: Path) -> None:
    xml, codes = _with_list(NCHS_LIST.replace(b"A009\r\n", b""), tmp_path)
    error = refused(lambda: icd10kb.load_tabular(xml, codes), str(xml))
    assert "A00.9" in str(error)


GARBAGE_LINES = {
    "words": b"hello world",
    "markup": b"<html><body>404</body></html>",
    "binary": b"\x00\x01\x02\x03",
    "lower-case-code": b"a009",
    "too-long-code": b"A0091234",
    "punctuation": b"A00.9!",
    "dashed-garbage": b"garbage-line",
}


@pytest.mark.parametrize("label", list(GARBAGE_LINES))
def test_a_code_list_with_a_garbage_line(label: str, tmp_path: Path) -> None:
    listed = NCHS_LIST + GARBAGE_LINES[label] + b"\r\nA01\r\n"
    line = NCHS_LIST.count(b"\n") + 1
    error = refused(lambda: read_code_list(io.BytesIO(listed)), "<stream>")
    assert error.line == line, str(error)
    xml, codes = _with_list(listed, tmp_path)
    error = refused(lambda: icd10kb.load_tabular(xml, codes), str(codes))
    assert error.line == line, str(error)


def test_a_code_list_in_latin1(tmp_path: Path) -> None:
    listed = cms_code_file({"A009": "Choléra, unspecified"}).encode("latin-1")
    line = CODES.index("A009") + 1
    error = refused(lambda: read_code_list(io.BytesIO(listed)), "<stream>")
    assert error.line == line
    xml, codes = _with_list(listed, tmp_path)
    error = refused(lambda: icd10kb.load_tabular(xml, codes), str(codes))
    assert error.line == line


@pytest.mark.parametrize(
    "listed",
    [b"", b"\r\n\r\n", b"1\r\n2\r\nA00-A09\r\n", NCHS_LIST.decode().encode("utf-16"), gzip.compress(b"")],
    ids=["empty", "blank-lines", "chapters-and-blocks-only", "utf16", "empty-gzip"],
)
def test_a_code_list_without_codes(listed: bytes, tmp_path: Path) -> None:
    refused(lambda: read_code_list(io.BytesIO(listed)), "<stream>")
    xml, codes = _with_list(listed, tmp_path)
    refused(lambda: icd10kb.load_tabular(xml, codes), str(codes))


# --- damaged shipped files -------------------------------------------------------------------


def _corrupting(monkeypatch: pytest.MonkeyPatch, suffix: str, damage: Callable[[bytes], bytes]) -> None:
    original = RELEASES_MODULE.data_bytes

    def data_bytes(*parts: str) -> bytes:
        data = original(*parts)
        return damage(data) if parts and parts[-1].endswith(suffix) else data

    monkeypatch.setattr(RELEASES_MODULE, "data_bytes", data_bytes)


@pytest.mark.parametrize(
    "damage",
    [lambda b: _flipped(b), lambda b: b[: len(b) // 2], lambda b: b"", lambda b: b + b"\x00"],
    ids=["flipped", "truncated", "empty", "extra-byte"],
)
def test_a_damaged_shipped_hierarchy_is_refused(
    damage: Callable[[bytes], bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    _corrupting(monkeypatch, ".hierarchy.bin", damage)
    # A new knowledge base (not the shared one of the release) reads the file again.
    error = refused(lambda: icd10kb.load("2025-04-01", builtin_knowledge=False), "icd10cm-2025-04-01.hierarchy.bin")
    assert "checksum" in str(error)
    monkeypatch.undo()
    assert icd10kb.load("2025-04-01").title("L94.2") == "Calcinosis cutis"


def test_a_damaged_shipped_notes_file_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    _corrupting(monkeypatch, ".notes.json.gz", _flipped)
    kb = icd10kb.load("2025-04-01", builtin_knowledge=False)  # notes are read on first use
    error = refused(lambda: kb.notes("L94"), "icd10cm-2025-04-01.notes.json.gz")
    assert "checksum" in str(error)
    monkeypatch.undo()
    assert icd10kb.load("2025-04-01").notes("L94")


def test_nothing_was_left_patched() -> None:
    assert RELEASES_MODULE.data_bytes.__qualname__ == "data_bytes"
    assert RELEASES_MODULE.data_bytes.__module__ == "icd10kb.datasets"


def test_cms_code_file_of_billable_codes_only(tmp_path: Path) -> None:
    # Regression (review): a list of billable codes only failed on every header.
    kb = icd10kb.load()
    lines = [f"{c.replace('.', ''):<8}{kb.title(c)}" for c in kb if kb.is_billable(c)]
    path = tmp_path / "icd10cm-codes.txt"
    path.write_text("\n".join(lines) + "\n")
    official = Path(__file__).resolve().parent.parent / "data" / "official"
    loaded = icd10kb.load_tabular(official / "icd10cm-tabular-2026-04-01.xml.gz", path, name="cms", effective="2026-04-01")
    assert len(loaded) == len(kb) and str(loaded.release.effective) == "2026-04-01"
    with pytest.raises(icd10kb.InvalidArgumentError):
        icd10kb.load_tabular(official / "icd10cm-tabular-2026-04-01.xml.gz", effective="not a date")
