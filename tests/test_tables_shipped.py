"""The shipped FY2025 tables against the official XML in data/icd10cm-index.

The XML is read here independently (ElementTree, no code from icd10kb.tables)
and every term of every table is compared with what the package ships: its
path of titles, modifier, see / see also, codes and every table cell.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from icd10kb import datasets
from icd10kb.tables import table
from icd10kb.tables.compiled import DATASET, TABLES

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "data" / "icd10cm-index"
FILES = {
    "drug": "icd10cm-drug-2025.xml.gz",
    "neoplasm": "icd10cm-neoplasm-2025.xml",
    "external": "icd10cm-eindex-2025.xml.gz",
}
COUNTS = {"drug": (5177, 2251, 43212), "neoplasm": (1, 1938, 10916), "external": (314, 7750, 0)}


def build_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_tables", ROOT / "scripts" / "build_tables.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def official(name: str) -> ET.Element:
    raw = (SOURCES / FILES[name]).read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    return ET.fromstring(raw)


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def title_of(element: ET.Element) -> tuple[str, str]:
    """(essential title, nemod) read straight from a <title>."""
    title = element.find("title")
    assert title is not None
    nemod = title.find("nemod")
    before = title.text or ""
    after = nemod.tail or "" if nemod is not None else ""
    modifier = squash("".join(nemod.itertext())) if nemod is not None else ""
    return squash(f"{before} {after}").replace(" ,", ","), modifier


def rows(name: str) -> list[dict[str, Any]]:
    root = official(name)
    out: list[dict[str, Any]] = []

    def visit(element: ET.Element, path: tuple[str, ...]) -> None:
        title, nemod = title_of(element)
        here = (*path, title)
        cells = {int(c.attrib["col"]): squash("".join(c.itertext())) for c in element.findall("cell")}
        row = {
            "path": here,
            "nemod": nemod,
            "cells": tuple(cells.get(col, "") for col in range(2, 8)) if cells else None,
        }
        for tag in ("see", "seeAlso", "code", "manif", "subcat", "seecat"):
            found = element.find(tag)
            row[tag] = squash("".join(found.itertext())) if found is not None else ""
        out.append(row)
        for child in element.findall("term"):
            visit(child, here)

    for main in root.iter("mainTerm"):
        visit(main, ())
    return out


def shipped(name: str) -> list[dict[str, Any]]:
    out = []
    for above, term in table(name).walk():
        out.append(
            {
                "path": (*(t.title for t in above), term.title),
                "nemod": term.nemod,
                "cells": term.cells if any(term.cells) else None,
                "see": term.see,
                "seeAlso": term.see_also,
                "code": term.code,
                "manif": term.manif,
                "subcat": term.subcat,
                "seecat": term.seecat,
            }
        )
    return out


@pytest.mark.parametrize("name", list(FILES))
def test_every_term_and_cell_equals_the_official_file(name: str) -> None:
    expected = rows(name)
    got = shipped(name)
    assert len(got) == len(expected)
    for mine, theirs in zip(got, expected):
        assert mine == theirs


@pytest.mark.parametrize("name", list(FILES))
def test_counts_match_the_readme_of_the_sources(name: str) -> None:
    mains, terms, cells = COUNTS[name]
    index = table(name)
    walked = list(index.walk())
    assert len(index.terms) == mains
    assert len(walked) == mains + terms
    assert sum(1 for _, t in walked for c in t.cells if c) == cells


def test_headings_are_the_official_ones() -> None:
    root = official("drug")
    heads = tuple(squash(h.text or "") for h in root.iter("head"))
    assert table("drug").heading == heads
    root = official("neoplasm")
    assert table("neoplasm").heading == tuple(squash(h.text or "") for h in root.iter("head"))
    assert table("external").heading == ()


def test_known_entries_from_the_sources_readme() -> None:
    acetaminophen = next(t for t in table("drug").terms if t.title == "Acetaminophen")
    assert acetaminophen.cells == ("T39.1X1", "T39.1X2", "T39.1X3", "T39.1X4", "T39.1X5", "T39.1X6")
    lung = next(t for t in table("neoplasm").terms[0].terms if t.title == "lung")
    assert lung.cells == ("C34.9-", "C78.0-", "D02.2-", "D14.3-", "D38.1", "D49.1")
    fall = next(t for t in table("external").terms if t.title == "Fall, falling")
    assert (fall.nemod, fall.code, len(fall.terms)) == ("(accidental)", "W19", 22)


def test_compiled_files_are_rebuilt_byte_for_byte() -> None:
    compiled = build_script().compile_tables(SOURCES)
    for name, (path, _) in TABLES.items():
        fname = path.rsplit("/", 1)[1]
        assert compiled[fname] == datasets.read(DATASET, path, decompress=False), name


def test_descriptor_names_the_unchanged_sources_with_their_checksums() -> None:
    info = datasets.describe(DATASET)
    assert info.kind == "table" and info.version == "2025"
    assert "Public domain" in info.licence
    for source in info.sources:
        assert source.path.startswith("data/icd10cm-index/")
        assert hashlib.sha256((ROOT / source.path).read_bytes()).hexdigest() == source.sha256
    descriptor = json.loads((ROOT / "icd10kb" / "data" / "datasets" / f"{DATASET}.json").read_text("utf-8"))
    assert descriptor["name"] == DATASET
    total = sum((ROOT / "icd10kb" / "data" / f["path"]).stat().st_size for f in descriptor["files"])
    assert total < 400_000  # compact: the three tables in well under half a megabyte


def test_compiled_files_record_their_source() -> None:
    for name, source in FILES.items():
        index = table(name)
        assert index.name.endswith(source)
        assert index.sha256 == hashlib.sha256((SOURCES / source).read_bytes()).hexdigest()
