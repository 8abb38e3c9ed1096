"""The FY2027 release against the official FY2027 addenda, line by line.

The addenda is read here with a plain split of each line; every ``Add``,
``Delete`` and ``Revise`` line is checked in the FY2027 knowledge base and in
the history, and every other billable code of 2026-04-01 must be unchanged.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

import icd10kb
from icd10kb.errors import DataFileError
from icd10kb.history import diff, history, load_release
from icd10kb.history.addenda import NO_TITLE, derived_title
from icd10kb.history.readers import read_addenda

ADDENDA = Path(__file__).parent.parent / "data" / "icd10cm-releases" / "icd10cm_codes_addenda_2027.txt"


def _dotted(code: str) -> str:
    return code if len(code) <= 3 else f"{code[:3]}.{code[3:]}"


@cache
def _lines() -> tuple[tuple[str, str, str], ...]:
    out = []
    for line in ADDENDA.read_text(encoding="utf-8").splitlines():
        if ":" not in line[:13]:
            continue
        action = line[:13].split(":")[0]
        code, title = line[13:21].strip(), line[21:].strip()
        out.append((action, code, title))
    return tuple(out)


@cache
def _kb27() -> icd10kb.KnowledgeBase:
    return load_release("2027")


def test_the_file_has_the_changes_its_summary_states() -> None:
    actions = [a for a, _, _ in _lines()]
    assert (actions.count("Add"), actions.count("Delete"), actions.count("Revise from")) == (190, 30, 4)
    assert len(actions) == 228
    parsed = read_addenda(ADDENDA)
    assert [(c, t) for a, c, t in _lines() if a == "Add"] == list(parsed.added)
    assert (parsed.before, parsed.after) == (74_719, 74_879)


@pytest.mark.parametrize("line", range(228))
def test_each_line(line: int) -> None:
    lines = _lines()
    if line >= len(lines):
        pytest.fail("fewer addenda lines than expected")
    action, code, title = lines[line]
    kb27, kb26 = _kb27(), icd10kb.load("2026-04-01")
    dotted = _dotted(code)
    statuses = {r.release: r for r in history(code).releases}
    if action == "Add":
        assert kb27.is_billable(dotted) and kb27.title(dotted) == title
        assert statuses["FY2027"].status == "billable" and statuses["FY2027"].title == title
        assert dotted not in kb26 or not kb26.is_billable(dotted)
        assert not [n for n in kb27.notes(dotted) if n.at == dotted]  # no notes of its own
    elif action == "Delete":
        assert kb26.is_billable(dotted) and kb26.title(dotted) == title
        assert dotted not in kb27 or not kb27.is_billable(dotted)
        assert statuses["FY2027"].status in ("absent", "header")
    elif action == "Revise from":
        assert kb26.title(dotted) == title and statuses["2026-04-01"].title == title
    else:
        assert action == "Revise to"
        assert kb27.title(dotted) == title and statuses["FY2027"].title == title


def test_nothing_else_changed() -> None:
    changed = {code for _, code, _ in _lines()}
    kb27, kb26 = _kb27(), icd10kb.load("2026-04-01")
    billable26 = {c for c in kb26 if kb26.is_billable(c)}
    assert len(billable26) == 74_719
    for code in billable26:
        if code.replace(".", "") in changed:
            continue
        assert kb27.is_billable(code) and kb27.title(code) == kb26.title(code), code
    assert kb27.release.billable == 74_879


def test_release_states_its_limits() -> None:
    release = _kb27().release
    assert release.name == "2027" and str(release.effective) == "2026-10-01"
    assert "notes" in release.title and "addenda" in release.title
    assert any("J34.83" in a and "Odontogenic sinusitis" in a for a in release.anomalies)
    assert _kb27().title("QA1") == NO_TITLE


def test_split_codes_say_where_their_content_went() -> None:
    gone = {d.code: d for d in diff("2026-04-01", "2027").deleted}
    assert gone["D69.1"].now == "header" and gone["D69.1"].content_to == ("D69.11", "D69.19")
    assert gone["Z87.890"].content_to == ("Z87.8901", "Z87.8902", "Z87.8903", "Z87.8904", "Z87.8909")
    assert gone["S23.420A"].now == "absent" and gone["S23.420A"].content_to == ()


def test_derived_title_cuts_at_a_comma() -> None:
    assert (
        derived_title(["Toxic effect of alkenes, assault", "Toxic effect of alkenes, sequela"])
        == "Toxic effect of alkenes"
    )
    assert derived_title(["Same", "Same"]) == "Same"
    assert derived_title([]) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (b"Add:         L942    Calcinosis\r\n", "summary"),
        (b"Add:         L942    A\r\nAdd:         L942    B\r\n", "twice"),
        (b"Revise from: L942    A\r\nAdd:         L943    B\r\n", "Revise to"),
        (b"Revise to:   L942    A\r\n", "does not follow"),
        (b"Remove:      L942    A\r\n", "not an addenda line"),
        (b"Add:         L942    A\r\nCodes\r\n  1 codes in a\r\n  9 codes in b\r\n  1 additions\r\n", "summary states"),
        (b"\xff\xfe", "UTF-8"),
        (b"Add:         L942    " + b"x" * 2000, "longer"),
    ],
)
def test_hostile_addenda_is_refused_with_its_position(text: bytes, message: str) -> None:
    import io

    with pytest.raises(DataFileError, match=message):
        read_addenda(io.BytesIO(text))
