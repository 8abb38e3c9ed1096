"""Chapter and block titles are the official text, range included; the label beside it drops the range (issue 7)."""

from __future__ import annotations

import gzip
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import icd10kb

OFFICIAL = Path(__file__).resolve().parent.parent / "data" / "official"
FILES = {
    "2026-04-01": "icd10cm-tabular-2026-04-01.xml.gz",
    "2025-04-01": "icd10cm-tabular-2025-04-01.xml.gz",
    "2021": "icd10cm-tabular-2021.xml.gz",
    "2027": "icd10cm-tabular-2026-04-01.xml.gz",  # FY2027 keeps 2026-04-01's chapters and blocks
}


def _official(name: str) -> dict[str, str]:
    """Chapter number or block id -> the desc as the file writes it (white space folded)."""
    root = ET.fromstring(gzip.decompress((OFFICIAL / FILES[name]).read_bytes()))
    fold = lambda e: " ".join("".join(e.itertext()).split())  # noqa: E731
    out = {str(int(c.findtext("name"))): fold(c.find("desc")) for c in root.iter("chapter")}
    for section in root.iter("section"):
        first, _, last = section.get("id").partition("-")
        out[f"{first}-{last or first}"] = fold(section.find("desc"))
    return out


@pytest.mark.parametrize("name", sorted(FILES))
def test_every_chapter_and_block_title_is_the_official_text(name: str) -> None:
    kb = icd10kb.load(name)
    official = _official(name)
    shown = {c: kb.title(c) for c in kb if kb.kind(c) in ("chapter", "block")}
    assert shown == official
    for code, title in shown.items():
        assert kb[code].title == title
        label = kb.label(code)
        assert title.startswith(label) and re.fullmatch(r" \([A-Z0-9]{3}(-[A-Z0-9]{3})?\)", title[len(label) :]), code


def test_the_example_of_the_issue() -> None:
    kb = icd10kb.load()
    assert kb.title("12") == "Diseases of the skin and subcutaneous tissue (L00-L99)"
    assert kb.label("12") == "Diseases of the skin and subcutaneous tissue"
    assert kb.title("22") == "Codes for special purposes (U00-U85)"  # not derivable from its blocks (U00-U49)
    assert kb.label("L94.2") == kb.title("L94.2") == "Calcinosis cutis"
