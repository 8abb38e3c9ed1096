"""Correctness of the shipped releases against the official ICD-10-CM files.

Every expectation here comes from a small reader written for this test
(``xml.etree`` on the gzip files, which are trusted), never from
``icd10kb.tabular``: the official tabular XML, the NCHS code lists and,
for FY2021, the CMS order file are compared concept by concept with what
``icd10kb.load(name)`` returns, for all three shipped releases.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import re
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import pytest

import icd10kb

OFFICIAL = Path(__file__).parent.parent / "data" / "official"
SCRIPTS = Path(__file__).parent.parent / "scripts"
SHIPPED = Path(__file__).parent.parent / "icd10kb" / "data"

#: release name -> (tabular XML, code list or order file)
RELEASES = {
    "2026-04-01": ("icd10cm-tabular-2026-04-01.xml.gz", "icd10cm-code-list-2026-04-01.txt.gz"),
    "2025-04-01": ("icd10cm-tabular-2025-04-01.xml.gz", "icd10cm-code-list-2025-04-01.txt.gz"),
    "2021": ("icd10cm-tabular-2021.xml.gz", "icd10cm-order-2021-01.txt.gz"),
}

#: XML element of a note group -> the kind icd10kb reports.
NOTE_TAGS = {
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

_TRAILING_RANGE = re.compile(r"\s*\([A-Z][0-9A-Z]{2}(?:-[A-Z][0-9A-Z]{2})?\)$")


# --- an independent reader of the official files --------------------------------------


def fold(text: str | None) -> str:
    """White space folded to single spaces, ends stripped."""
    return " ".join((text or "").split())


def element_text(element: ET.Element | None) -> str:
    return fold("".join(element.itertext())) if element is not None else ""


def with_dot(code: str) -> str:
    return code if len(code) <= 3 else code[:3] + "." + code[3:]


def without_dot(code: str) -> str:
    return code.replace(".", "")


def ascii_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@dataclass
class Diag:
    code: str
    title: str
    parent: str
    children: list[str]
    #: The nearest <sevenChrDef> at or above this diag: character -> meaning.
    rule: dict[str, str] | None


@dataclass
class Official:
    version: str
    chapters: dict[str, str] = field(default_factory=dict)  # id -> title
    blocks: dict[str, str] = field(default_factory=dict)  # id -> title
    block_chapter: dict[str, str] = field(default_factory=dict)
    block_parent: dict[str, str] = field(default_factory=dict)
    #: Document positions of the first and last category a block spans.
    block_span: dict[str, tuple[int, int]] = field(default_factory=dict)
    #: Categories (3-character diags) -> their position in the document.
    category_position: dict[str, int] = field(default_factory=dict)
    diags: dict[str, Diag] = field(default_factory=dict)  # dotted code -> Diag
    #: Notes of chapters, blocks and diags: id -> kind -> texts (empty ones dropped).
    notes: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    #: Every dotless code of the code list (chapters and ranges left out).
    listed: set[str] = field(default_factory=set)
    #: Lines of the code list that name chapters or ranges.
    listed_chapters: set[str] = field(default_factory=set)
    listed_ranges: set[str] = field(default_factory=set)
    #: FY2021 order file only: dotless code -> (billable flag, long title).
    order: dict[str, tuple[bool, str]] = field(default_factory=dict)

    # derived ------------------------------------------------------------------------

    @property
    def diag_dotless(self) -> set[str]:
        return {without_dot(c) for c in self.diags}

    def seventh_codes(self) -> dict[str, tuple[str, str]]:
        """7th-character codes of the code list: dotted code -> (base diag, meaning)."""
        by_padded: dict[str, str] = {}
        for code, diag in self.diags.items():
            if diag.rule is not None and not diag.children:
                padded = without_dot(code).ljust(6, "X")
                assert padded not in by_padded, f"two diags pad to {padded}"
                by_padded[padded] = code
        out: dict[str, tuple[str, str]] = {}
        for flat in self.listed - self.diag_dotless:
            assert len(flat) == 7, f"code list has {flat!r}, which is neither a diag nor a 7-character code"
            base = by_padded.get(flat[:6])
            assert base is not None, f"code list has {flat!r} but no diag takes its 7th character"
            rule = self.diags[base].rule
            assert rule is not None and flat[6] in rule, f"{flat!r}: 7th character not defined for {base}"
            out[with_dot(flat)] = (base, rule[flat[6]])
        return out

    def rejected(self) -> set[str]:
        """Codes the <sevenChrDef> rules make but the code list lacks."""
        out = set()
        for code, diag in self.diags.items():
            if diag.rule is not None and not diag.children:
                padded = without_dot(code).ljust(6, "X")
                out.update(with_dot(padded + ch) for ch in diag.rule if padded + ch not in self.listed)
        return out


def block_name(section_id: str) -> str:
    return section_id if "-" in section_id else f"{section_id}-{section_id}"


def note_groups(element: ET.Element) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for child in element:
        kind = NOTE_TAGS.get(child.tag)
        if kind is None:
            continue
        for note in child.findall("note"):
            text = element_text(note)
            if text:
                groups.setdefault(kind, []).append(text)
    return groups


def read_official(name: str) -> Official:
    xml_name, list_name = RELEASES[name]
    with gzip.open(OFFICIAL / xml_name) as handle:
        root = ET.parse(handle).getroot()
    assert root.tag == "ICD10CM.tabular"
    # A <sevenChrDef> only ever sits on a <diag> in these files; the reader below relies on it.
    for parent in root.iter():
        for child in parent:
            if child.tag == "sevenChrDef":
                assert parent.tag == "diag"
    out = Official(version=fold(root.findtext("version")))

    def walk(element: ET.Element, parent: str, rule: dict[str, str] | None) -> str:
        code = fold(element.findtext("name"))
        assert code not in out.diags, f"{code} twice in {xml_name}"
        definition = element.find("sevenChrDef")
        if definition is not None:
            rule = {ext.get("char", ""): element_text(ext) for ext in definition.findall("extension")}
        diag = Diag(code, element_text(element.find("desc")), parent, [], rule)
        out.diags[code] = diag
        out.notes[code] = note_groups(element)
        for child in element.findall("diag"):
            diag.children.append(walk(child, code, rule))
        return code

    position = 0
    for chapter in root.findall("chapter"):
        chapter_id = str(int(fold(chapter.findtext("name"))))
        out.chapters[chapter_id] = _TRAILING_RANGE.sub("", element_text(chapter.find("desc")))
        out.notes[chapter_id] = note_groups(chapter)
        sections = chapter.findall("section")
        for section in sections:
            for diag in section.findall("diag"):
                out.category_position[fold(diag.findtext("name"))] = position
                position += 1
        ids = []
        for section in sections:
            block = block_name(section.get("id", ""))
            assert block not in out.blocks, f"block {block} twice"
            ids.append(block)
            out.blocks[block] = _TRAILING_RANGE.sub("", element_text(section.find("desc")))
            out.block_chapter[block] = chapter_id
            out.notes[block] = note_groups(section)
            own = [fold(d.findtext("name")) for d in section.findall("diag")]
            if own:
                span = (out.category_position[own[0]], out.category_position[own[-1]])
            else:  # a block that only encloses other blocks: its ends are categories
                first, last = block.split("-")
                span = (out.category_position[first], out.category_position[last])
            out.block_span[block] = span
            for diag in section.findall("diag"):
                walk(diag, block, None)
        # A block's parent: the smallest other block of the chapter enclosing its span.
        for block in ids:
            lo, hi = out.block_span[block]
            enclosing = [
                other for other in ids
                if other != block and out.block_span[other][0] <= lo and hi <= out.block_span[other][1]
            ]
            if not enclosing:
                out.block_parent[block] = chapter_id
                continue
            width = {b: out.block_span[b][1] - out.block_span[b][0] for b in enclosing}
            smallest = min(width.values())
            best = [b for b in enclosing if width[b] == smallest]
            assert len(best) == 1, f"{block}: ambiguous enclosing blocks {best}"
            out.block_parent[block] = best[0]

    with gzip.open(OFFICIAL / list_name) as handle:
        raw = handle.read()
    if name == "2021":
        # CMS order file: order(5) sp code(7) sp flag(1) sp short(60) sp long
        for line in raw.decode("ascii").splitlines():
            if not line.strip():
                continue
            code, flag, long_title = line[6:13].strip(), line[14], line[77:].strip()
            assert flag in "01", line
            out.order[code] = (flag == "1", long_title)
            out.listed.add(code)
    else:
        for line in raw.decode("ascii").splitlines():
            item = line.strip()
            if not item:
                continue
            if item.isdigit():
                out.listed_chapters.add(item)
            elif "-" in item:
                out.listed_ranges.add(item)
            else:
                out.listed.add(item)
    return out


_CACHE: dict[str, Official] = {}


@pytest.fixture(scope="session", params=list(RELEASES))
def name(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def ref(name: str) -> Official:
    if name not in _CACHE:
        _CACHE[name] = read_official(name)
    return _CACHE[name]


@pytest.fixture(scope="session")
def rkb(name: str) -> icd10kb.KnowledgeBase:
    return icd10kb.load(name)


def shown(problems: list[object], limit: int = 20) -> str:
    more = f" … and {len(problems) - limit} more" if len(problems) > limit else ""
    return f"{len(problems)} problem(s): {problems[:limit]}{more}"


# --- the hierarchy ---------------------------------------------------------------------


def test_the_release_is_the_one_asked_for(name: str, rkb: icd10kb.KnowledgeBase, ref: Official) -> None:
    release = rkb.release
    assert release.name == name
    assert release.version == ref.version
    # The checksums recorded in the release are those of the official files.
    expected = {f: hashlib.sha256((OFFICIAL / f).read_bytes()).hexdigest() for f in RELEASES[name]}
    assert {f.name: f.sha256 for f in release.files} == expected


def test_every_diag_has_its_official_title_and_parent(rkb: icd10kb.KnowledgeBase, ref: Official) -> None:
    problems: list[object] = []
    for code, diag in ref.diags.items():
        if code not in rkb:
            problems.append((code, "missing"))
            continue
        if rkb.title(code) != diag.title:
            problems.append((code, rkb.title(code), diag.title))
        if rkb.parent(code) != diag.parent:
            problems.append((code, "parent", rkb.parent(code), diag.parent))
    assert not problems, shown(problems)


def test_chapters_and_blocks(rkb: icd10kb.KnowledgeBase, ref: Official) -> None:
    problems: list[object] = []
    for chapter, title in ref.chapters.items():
        if chapter not in rkb or rkb.kind(chapter) != "chapter":
            problems.append((chapter, "not a chapter"))
            continue
        if rkb.label(chapter) != title:
            problems.append((chapter, rkb.label(chapter), title))
        if rkb.parent(chapter) is not None:
            problems.append((chapter, "parent", rkb.parent(chapter)))
    for block, title in ref.blocks.items():
        if block not in rkb or rkb.kind(block) != "block":
            problems.append((block, "not a block"))
            continue
        if rkb.label(block) != title:
            problems.append((block, rkb.label(block), title))
        if rkb.parent(block) != ref.block_parent[block]:
            problems.append((block, "parent", rkb.parent(block), ref.block_parent[block]))
        if rkb.chapter(block) != ref.block_chapter[block]:
            problems.append((block, "chapter", rkb.chapter(block), ref.block_chapter[block]))
    assert not problems, shown(problems)


def test_chapter_ids_run_from_1_to_22(rkb: icd10kb.KnowledgeBase, ref: Official) -> None:
    assert list(ref.chapters) == [str(n) for n in range(1, 23)]
    assert [c for c in rkb if rkb.kind(c) == "chapter"] == [str(n) for n in range(1, 23)]


def test_the_codes_are_exactly_those_of_the_official_files(
    name: str, rkb: icd10kb.KnowledgeBase, ref: Official
) -> None:
    everything = list(rkb)
    assert len(everything) == len(set(everything)) == len(rkb)
    expected = set(ref.chapters) | set(ref.blocks) | set(ref.diags) | set(ref.seventh_codes())
    got = set(everything)
    assert not (expected - got), shown(sorted(expected - got))
    assert not (got - expected), shown(sorted(got - expected))
    # Every code the code list names (headers included) is a code of the release and vice versa.
    codes = {c for c in got if not c.isdigit() and "-" not in c}
    assert {without_dot(c) for c in codes} == ref.listed
    if name != "2021":
        assert ref.listed_chapters == set(ref.chapters)
        # The list writes a single-category block as its category: only real ranges show as ranges.
        assert ref.listed_ranges == {b for b in ref.blocks if b.split("-")[0] != b.split("-")[1]}


COUNTS = {
    # release: (blocks, single-category blocks, diags, 7th-character codes)
    "2026-04-01": (297, 39, 46_881, 51_305),
}


def test_counts(name: str, rkb: icd10kb.KnowledgeBase, ref: Official) -> None:
    kinds = [rkb.kind(c) for c in rkb]
    blocks = [c for c in rkb if rkb.kind(c) == "block"]
    singles = [b for b in blocks if b.split("-")[0] == b.split("-")[1]]
    assert kinds.count("chapter") == 22
    assert len(blocks) == len(ref.blocks)
    assert len(singles) == sum(1 for b in ref.blocks if b.split("-")[0] == b.split("-")[1])
    seventh = ref.seventh_codes()
    assert len(rkb) == 22 + len(ref.blocks) + len(ref.diags) + len(seventh)
    if name in COUNTS:
        assert (len(blocks), len(singles), len(ref.diags), len(seventh)) == COUNTS[name]
        assert len(rkb) == 22 + sum(COUNTS[name][i] for i in (0, 2, 3))
    if name == "2021":
        # The order file lists every code, headers included, and nothing else.
        assert len(rkb) == 22 + len(ref.blocks) + len(ref.order)


def test_kinds(rkb: icd10kb.KnowledgeBase, ref: Official) -> None:
    seventh = ref.seventh_codes()
    problems: list[object] = []
    for code in rkb:
        kind = rkb.kind(code)
        if code in ref.chapters:
            expected = "chapter"
        elif code in ref.blocks:
            expected = "block"
        elif len(without_dot(code)) == 3:
            expected = "category"
        elif code in seventh or not rkb.children(code):
            expected = "code"
        else:
            expected = "subcategory"
        if kind != expected:
            problems.append((code, kind, expected))
    assert not problems, shown(problems)


# --- billable codes and titles -------------------------------------------------------------


def test_a_code_is_billable_exactly_when_it_is_a_leaf(rkb: icd10kb.KnowledgeBase, ref: Official) -> None:
    problems = [c for c in rkb if rkb.is_billable(c) != (len(rkb.children(c)) == 0)]
    assert not problems, shown(problems)
    # Independently of kb's children: a diag is billable when it has no <diag> below it
    # and the code list gives it no 7th-character codes; every 7th-character code is billable.
    seventh = ref.seventh_codes()
    extended = {base for base, _ in seventh.values()}
    expected = {c for c, d in ref.diags.items() if not d.children and c not in extended} | set(seventh)
    got = {c for c in rkb if rkb.is_billable(c)}
    assert not (expected - got), shown(sorted(expected - got))
    assert not (got - expected), shown(sorted(got - expected))
    assert not any(rkb.is_billable(c) for c in list(ref.chapters) + list(ref.blocks))


def test_seventh_character_codes_take_base_title_and_meaning(rkb: icd10kb.KnowledgeBase, ref: Official) -> None:
    problems: list[object] = []
    for code, (base, meaning) in ref.seventh_codes().items():
        if code not in rkb:
            problems.append((code, "missing"))
            continue
        expected = f"{ref.diags[base].title}, {meaning}"
        if rkb.title(code) != expected:
            problems.append((code, rkb.title(code), expected))
        if rkb.parent(code) != base:
            problems.append((code, "parent", rkb.parent(code), base))
    assert not problems, shown(problems)


def test_fy2021_matches_the_cms_order_file() -> None:
    ref = _CACHE.get("2021") or read_official("2021")
    _CACHE["2021"] = ref
    kb = icd10kb.load("2021")
    flags: list[object] = []
    titles: list[object] = []
    for flat, (billable, long_title) in ref.order.items():
        code = with_dot(flat)
        if code not in kb:
            flags.append((code, "missing"))
            continue
        if kb.is_billable(code) != billable:
            flags.append((code, kb.is_billable(code), billable))
        if ascii_fold(kb.title(code)) != long_title:
            titles.append((code, kb.title(code), long_title))
    assert not flags, shown(flags)
    assert not titles, shown(titles)
    assert len(ref.order) == 95_358


# --- block nesting ---------------------------------------------------------------------


def test_block_nesting_spot_checks(rkb: icd10kb.KnowledgeBase) -> None:
    assert rkb.parent("C00") == "C00-C14"
    assert rkb.parent("C00-C14") == "C00-C75"
    assert rkb.parent("C00-C75") == "C00-C96"
    assert rkb.parent("C00-C96") == "2"
    assert rkb.ancestors("C00") == ("C00-C14", "C00-C75", "C00-C96", "2")
    assert rkb.ancestors("C4A") == ("C43-C44", "C00-C75", "C00-C96", "2")
    assert rkb.parent("B99") == "B99-B99" and rkb.parent("B99-B99") == "1"
    assert rkb.kind("B99") == "category" and rkb.kind("B99-B99") == "block"
    assert rkb.path("L94.2") == ("12", "L80-L99", "L94", "L94.2")


def test_every_block_range_contains_its_children(rkb: icd10kb.KnowledgeBase, ref: Official) -> None:
    problems: list[object] = []
    for block in ref.blocks:
        lo, hi = ref.block_span[block]
        first, last = block.split("-")
        for child in rkb.children(block):
            if child in ref.blocks:
                clo, chi = ref.block_span[child]
                if not (lo <= clo and chi <= hi):
                    problems.append((block, child))
            elif len(child) == 3:
                if not lo <= ref.category_position[child] <= hi:
                    problems.append((block, child))
                # Plain categories (digits after the letter) also sort by their text.
                if child[1:].isdigit() and first[1:].isdigit() and last[1:].isdigit():
                    if not first <= child <= last:
                        problems.append((block, child, "text order"))
            else:
                problems.append((block, child, "neither a block nor a category"))
        if not rkb.children(block):
            problems.append((block, "empty"))
    assert not problems, shown(problems)


# --- notes -----------------------------------------------------------------------------------


def test_notes_equal_the_official_notes(rkb: icd10kb.KnowledgeBase, ref: Official) -> None:
    problems: list[object] = []
    for code, groups in ref.notes.items():
        got: dict[str, list[str]] = {}
        for note in rkb.notes(code):
            if note.at != code:
                problems.append((code, "note of", note.at))
            if note.kind in NOTE_TAGS.values():
                got.setdefault(note.kind, []).append(note.text)
            elif note.kind not in ("seventh_characters", "table"):
                problems.append((code, "unknown kind", note.kind))
        if got != groups:
            problems.append((code, got, groups))
    assert not problems, shown(problems, 5)


def test_notes_spot_checks(kb: icd10kb.KnowledgeBase) -> None:
    assert [n.text for n in kb.notes("L94") if n.kind == "excludes1"] == [
        "systemic connective tissue disorders (M30-M36)"
    ]
    assert any(n.kind == "seventh_character_note" for n in kb.notes("E08.32"))
    assert [n.text for n in kb.notes("1") if n.kind == "includes"] == [
        "diseases generally recognized as communicable or transmissible"
    ]


# --- 7th-character validity -------------------------------------------------------------------


def test_seventh_character_validity(kb: icd10kb.KnowledgeBase) -> None:
    assert "S06.1X7A" in kb
    assert "S06.1X7D" not in kb
    assert not kb.is_valid("S06.1X7D")
    assert kb.parent("S06.1X7A") == "S06.1X7"
    assert len(kb.rejected_seventh_characters) == 76
    assert "S06.1X7D" in kb.rejected_seventh_characters


def test_every_listed_seventh_character_code_is_in_kb(rkb: icd10kb.KnowledgeBase, ref: Official) -> None:
    listed = [with_dot(c) for c in ref.listed if len(c) == 7]
    missing = [c for c in listed if c not in rkb]
    assert not missing, shown(missing)


def test_rejected_seventh_characters(name: str, rkb: icd10kb.KnowledgeBase, ref: Official) -> None:
    expected = ref.rejected()
    got = rkb.rejected_seventh_characters
    assert len(got) == len(set(got))
    assert set(got) == expected
    assert not any(c in rkb for c in got)
    if name == "2026-04-01":
        assert len(expected) == 76


# --- loading the official files directly; reproducible compiled files ----------------------------


def test_load_tabular_matches_the_shipped_release() -> None:
    xml_name, list_name = RELEASES["2025-04-01"]
    loaded = icd10kb.load_tabular(OFFICIAL / xml_name, OFFICIAL / list_name)
    shipped = icd10kb.load("2025-04-01")
    assert list(loaded) == list(shipped)
    assert [loaded.title(c) for c in loaded] == [shipped.title(c) for c in shipped]
    assert [loaded.parent(c) for c in loaded] == [shipped.parent(c) for c in shipped]
    assert [loaded.is_billable(c) for c in loaded] == [shipped.is_billable(c) for c in shipped]
    assert loaded.rejected_seventh_characters == shipped.rejected_seventh_characters


def _build_data() -> ModuleType:
    spec = importlib.util.spec_from_file_location("_icd10kb_build_data", SCRIPTS / "build_data.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_shipped_compiled_files_are_reproducible(name: str) -> None:
    hierarchy, notes = _build_data().compile_release(name)
    assert hierarchy == (SHIPPED / f"icd10cm-{name}.hierarchy.bin").read_bytes()
    assert notes == (SHIPPED / f"icd10cm-{name}.notes.json.gz").read_bytes()
