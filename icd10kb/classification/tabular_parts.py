"""Small parts of the tabular reader: element text, notes, the bounded problem list.

Split from :mod:`icd10kb.classification.tabular` to keep each module short; only
that module uses them.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from ..errors import DataFileError

__all__ = ["NOTE_KINDS"]

#: Note kinds, in the order they are shown, keyed by their XML element.
NOTE_KINDS: dict[str, str] = {
    "includes": "includes",
    "inclusionTerm": "inclusion_terms",
    "excludes1": "excludes1",
    "excludes2": "excludes2",
    "codeFirst": "code_first",
    "useAdditionalCode": "use_additional_code",
    "codeAlso": "code_also",
    "notes": "notes",
    "sevenChrNote": "seventh_character_note",
}

_RANGE_SUFFIX = re.compile(r"\s*\(([A-Z0-9]{3})(?:-([A-Z0-9]{3}))?\)\s*$")
_SPACE = re.compile(r"\s+")
_MAX_PROBLEMS = 20


def _text(element: ET.Element | None) -> str:
    if element is None:
        return ""
    return _SPACE.sub(" ", "".join(element.itertext())).strip()


def _split_title(desc: str) -> str:
    return _RANGE_SUFFIX.sub("", desc).strip()


def _notes(element: ET.Element) -> dict[str, list[str]]:
    notes: dict[str, list[str]] = {}
    for child in element:
        kind = NOTE_KINDS.get(child.tag)
        if kind is not None:
            texts = [_text(note) for note in child.findall("note")]
            notes.setdefault(kind, []).extend(t for t in texts if t)
        elif child.tag == "visualImpairment":
            notes.setdefault("table", []).extend(_visual_table(child))
    return {kind: texts for kind, texts in notes.items() if texts}


def _visual_table(element: ET.Element) -> list[str]:
    rows = []
    for category in element.findall("visCategory"):
        value = _text(category.find("value"))
        if not value:
            continue
        highs = [_text(r.find("visMax")) for r in category.findall("visRange")]
        lows = [_text(r.find("visMin")) for r in category.findall("visRange")]
        rows.append(
            f"Category {value}: best corrected visual acuity maximum less than "
            f"{' or '.join(h for h in highs if h)}; minimum equal to or better than "
            f"{' or '.join(low for low in lows if low) or '-'}"
        )
    return rows


class _Problems:
    """Collects problems and raises one error naming a bounded list of them.

    Only the first problems are kept; the rest are counted, so that a file
    with millions of faults costs no more memory than one with twenty.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.items: list[str] = []
        self.count = 0

    def add(self, message: str) -> None:
        self.count += 1
        if len(self.items) < _MAX_PROBLEMS:
            self.items.append(message)

    def raise_if_any(self) -> None:
        if self.count:
            shown = "; ".join(self.items)
            more = f"; … and {self.count - len(self.items)} more" if self.count > len(self.items) else ""
            raise DataFileError(self.name, f"{self.count} problem(s): {shown}{more}")


def _shape(element: ET.Element) -> tuple[tuple[str, tuple[tuple[str, str], ...], str], ...]:
    """What an element says, for comparing two of them: tags, attributes and text, not layout."""
    return tuple((e.tag, tuple(sorted(e.attrib.items())), _text(e)) for e in element.iter())
