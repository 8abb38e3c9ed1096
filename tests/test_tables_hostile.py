"""The index reader against hostile and malformed files.

Every one must be refused with a :class:`icd10kb.DataFileError` naming the
file (and, where the XML says, the line and column), before any tree is
built where possible; no other exception may escape.
"""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from icd10kb.errors import DataFileError
from icd10kb.tables import read_index
from icd10kb.tables import reader as guard

GOOD = b"<ICD10CM.index><letter><title>A</title><mainTerm><title>Abuse</title><code>X58</code></mainTerm></letter></ICD10CM.index>"


def refused(data: bytes, name: str = "bad.xml") -> DataFileError:
    with pytest.raises(DataFileError) as caught:
        read_index(NamedStream(data, name))
    assert caught.value.path == name
    return caught.value


class NamedStream(io.BytesIO):
    def __init__(self, data: bytes, name: str) -> None:
        super().__init__(data)
        self.name = name


def test_the_good_document_reads() -> None:
    assert read_index(io.BytesIO(GOOD)).terms[0].code == "X58"


def test_billion_laughs_is_refused_at_the_doctype() -> None:
    lol = b'<?xml version="1.0"?>\n<!DOCTYPE ICD10CM.index [\n<!ENTITY a "aaaaaaaaaa">\n'
    lol += b"".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">\n'.encode() for i in range(9))
    lol += b"]>\n<ICD10CM.index>&j;</ICD10CM.index>"
    error = refused(lol)
    assert "document type declarations are not allowed" in str(error)
    assert error.line == 2


def test_external_entities_and_undefined_entities_are_refused() -> None:
    xxe = b'<?xml version="1.0"?><!DOCTYPE x SYSTEM "file:///etc/passwd"><ICD10CM.index/>'
    assert "document type" in str(refused(xxe))
    assert "entity" in str(refused(b"<ICD10CM.index>&nope;</ICD10CM.index>")).lower()


def test_wrong_root_is_refused_at_the_first_tag() -> None:
    error = refused(b'<?xml version="1.0"?>\n<ICD10CM.tabular><chapter/></ICD10CM.tabular>')
    assert "root element is <ICD10CM.tabular>, not <ICD10CM.index>" in str(error)
    assert (error.line, error.column) == (2, 1)


def test_deep_nesting_is_refused() -> None:
    depth = 200_000
    doc = b"<ICD10CM.index>" + b"<term>" * depth + b"</term>" * depth + b"</ICD10CM.index>"
    error = refused(doc)
    assert f"deeper than {guard.MAX_DEPTH}" in str(error)


def test_too_many_elements_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(guard, "MAX_ELEMENTS", 1000)
    doc = b"<ICD10CM.index><letter>" + b"<x/>" * 5000 + b"</letter></ICD10CM.index>"
    assert "more than 1,000 elements" in str(refused(doc))


def test_huge_attributes_and_text_are_refused() -> None:
    huge = (
        b'<ICD10CM.index><letter><mainTerm><term level="'
        + b"1" * 5_000_000
        + b'"/></mainTerm></letter></ICD10CM.index>'
    )
    assert "attribute 'level' of <term>" in str(refused(huge))
    many = b"<ICD10CM.index " + b" ".join(f'a{i}="1"'.encode() for i in range(50)) + b"/>"
    assert "attributes" in str(refused(many))
    text = b"<ICD10CM.index><letter><title>" + b"x" * 5_000_000 + b"</title></letter></ICD10CM.index>"
    assert "characters of text" in str(refused(text))


@pytest.mark.parametrize(
    "data",
    [
        b'<?xml version="1.0" encoding="utf-8"?><ICD10CM.index><letter><title>\xff\xfe</title></letter></ICD10CM.index>',
        b'<?xml version="1.0" encoding="x-no-such-encoding"?><ICD10CM.index/>',
        b'<?xml version="1.0" encoding="utf-16"?><ICD10CM.index/>',
        b"\x00\x00\x00<ICD10CM.index/>",
        b"",
        b"not xml at all",
        b"<ICD10CM.index><letter>",
        b"<ICD10CM.index></letter></ICD10CM.index>",
    ],
    ids=[
        "bad-utf8",
        "unknown-encoding",
        "utf16-declared-utf8-bytes",
        "nul-bytes",
        "empty",
        "text",
        "truncated",
        "unbalanced",
    ],
)
def test_bad_bytes_and_encodings_are_refused(data: bytes) -> None:
    refused(data)


def test_damaged_and_bomb_gzip_are_refused(tmp_path: Path) -> None:
    damaged = gzip.compress(GOOD)[:-12]
    assert "gzip" in str(refused(damaged, "damaged.xml.gz"))
    bomb = tmp_path / "bomb.xml.gz"
    with gzip.open(bomb, "wb", compresslevel=1) as handle:
        chunk = b"\x00" * (1 << 24)
        for _ in range(17):  # 272 MiB of zeros: over the reader's limit
            handle.write(chunk)
    with pytest.raises(DataFileError) as caught:
        read_index(bomb)
    assert "decompresses to more than" in str(caught.value) and caught.value.path == str(bomb)


def test_files_that_cannot_be_read_are_named(tmp_path: Path) -> None:
    with pytest.raises(DataFileError) as caught:
        read_index(tmp_path / "missing.xml")
    assert caught.value.path.endswith("missing.xml")
    with pytest.raises(DataFileError):
        read_index(io.StringIO("<ICD10CM.index/>"))  # type: ignore[arg-type]
    with pytest.raises(DataFileError):
        read_index(42)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", ["\u00b2", "\u0663", "1e3", "-1", "99999999999999999999", ""])
def test_odd_numbers_in_attributes_are_problems_not_crashes(value: str) -> None:
    """Regression: '\u00b2'.isdigit() is true but int('\u00b2') raises ValueError."""
    doc = f'<ICD10CM.index><letter><title>A</title><mainTerm><title>X</title><term level="{value}"><title>y</title></term>'
    error = refused((doc + "</mainTerm></letter></ICD10CM.index>").encode())
    assert "level= a whole number from 1 to 9" in str(error) and error.line == 1


def test_a_document_without_letters_is_refused() -> None:
    assert "no <letter> elements" in str(refused(b"<ICD10CM.index><version>1</version></ICD10CM.index>"))


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_raise_only_data_file_error(data: bytes) -> None:
    try:
        read_index(io.BytesIO(data))
    except DataFileError:
        pass


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>/=\"' abcltermiChdx&;#\n")), max_size=300))
def test_arbitrary_markup_raises_only_data_file_error(text: str) -> None:
    try:
        read_index(
            io.BytesIO(b"<ICD10CM.index><letter><title>A</title>" + text.encode() + b"</letter></ICD10CM.index>")
        )
    except DataFileError:
        pass


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=12), st.text(max_size=12), st.text(max_size=30))
def test_arbitrary_attribute_and_text_values_raise_only_data_file_error(level: str, col: str, title: str) -> None:
    from xml.sax.saxutils import escape, quoteattr

    doc = (
        '<ICD10CM.index><indexHeading><head col="1">S</head><head col="2">A</head></indexHeading>'
        f"<letter><title>A</title><mainTerm><title>{escape(title)}</title><cell col={quoteattr(col)}>T00</cell>"
        f"<term level={quoteattr(level)}><title>x</title></term></mainTerm></letter></ICD10CM.index>"
    )
    try:
        read_index(io.BytesIO(doc.encode("utf-8", "surrogatepass")))
    except DataFileError:
        pass
