"""Readers of the official phenotype files: ``hp.obo``, ``phenotype.hpoa`` and SSSOM mapping sets.

These readers are used by ``scripts/build_phenotypes.py`` to compile the
shipped dataset; nothing at run time reads the official files. Each takes a
path, a ``PathLike`` or an open binary file (gzip is read transparently, see
:func:`icd10kb.files.read_bytes`) and returns plain tuples. Malformed input is
refused with a :class:`~icd10kb.errors.DataFileError` naming the file and the
line: a duplicate term, an ``is_a`` to a term that does not exist, a cycle, a
row with the wrong number of columns, an identifier of the wrong shape.

Examples
--------
>>> import io
>>> obo = read_obo(io.BytesIO(b'data-version: hp/releases/x\\n\\n[Term]\\nid: HP:0000001\\nname: All\\n'))
>>> obo.version, obo.terms[0].label
('hp/releases/x', 'All')
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..errors import DataFileError
from ..files import Source, read_bytes

__all__ = [
    "HPOA_COLUMNS",
    "Annotation",
    "Mapping",
    "ObsoleteTerm",
    "OboFile",
    "OboTerm",
    "read_hpoa",
    "read_obo",
    "read_sssom",
]

_HP = re.compile(r"HP:\d{7}")
_SYNONYM = re.compile(r'"((?:[^"\\]|\\.)*)"\s+(EXACT|RELATED|BROAD|NARROW)(?:\s+([^\s\[]+))?\s*\[')
_DISEASE = re.compile(r"(OMIM|ORPHA|DECIPHER):\d+")
HPOA_COLUMNS = (
    "database_id", "disease_name", "qualifier", "hpo_id", "reference", "evidence",
    "onset", "frequency", "sex", "modifier", "aspect", "biocuration",
)  # fmt: skip
_FREQUENCY = re.compile(r"HP:00402(8[0-5])|\d+/\d+|\d+(\.\d+)?%")


@dataclass(frozen=True)
class OboTerm:
    """A live term of an OBO file: id, label, synonyms ``(text, scope, type)``, parents and alternative ids."""

    id: str
    label: str
    synonyms: tuple[tuple[str, str, str], ...]
    parents: tuple[str, ...]
    alt_ids: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class ObsoleteTerm:
    """An obsolete term: its label, the terms that replace it (usually one, rarely two) and the terms to consider."""

    id: str
    label: str
    replaced_by: tuple[str, ...]
    consider: tuple[str, ...]


@dataclass(frozen=True)
class OboFile:
    """The content of an OBO file: its version, live terms (in file order) and obsolete terms."""

    version: str
    terms: tuple[OboTerm, ...]
    obsolete: tuple[ObsoleteTerm, ...]


def _lines(source: Source) -> tuple[str, Iterator[tuple[int, str]]]:
    data, name, _ = read_bytes(source)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DataFileError(name, "not UTF-8 text", line) from None
    return name, enumerate(text.splitlines(), start=1)


def _check_hp(value: str, name: str, line: int, what: str) -> str:
    if not _HP.fullmatch(value):
        raise DataFileError(name, f"{what} {value!r} is not an HPO id (HP:nnnnnnn)", line)
    return value


@dataclass
class _Stanza:
    line: int
    tags: dict[str, list[str]] = field(default_factory=dict)


def _stanzas(name: str, lines: Iterator[tuple[int, str]]) -> tuple[dict[str, list[str]], list[_Stanza]]:
    header: dict[str, list[str]] = {}
    stanzas: list[_Stanza] = []
    current: _Stanza | None = None
    kind = "header"
    for number, raw in lines:
        line = raw.strip()
        if not line or line.startswith("!"):
            continue
        if line.startswith("["):
            kind = line
            current = _Stanza(number) if line == "[Term]" else None
            if current is not None:
                stanzas.append(current)
            continue
        tag, sep, value = line.partition(":")
        if not sep:
            raise DataFileError(name, f"expected 'tag: value', got {line[:60]!r}", number)
        value = value.strip()
        if kind == "header":
            header.setdefault(tag, []).append(value)
        elif current is not None:
            current.tags.setdefault(tag, []).append(value if tag != "synonym" else f"{number}\t{value}")
    return header, stanzas


def _synonym(text: str, name: str) -> tuple[str, str, str]:
    number, _, value = text.partition("\t")
    match = _SYNONYM.match(value)
    if match is None:
        raise DataFileError(name, f"malformed synonym {value[:60]!r}", int(number))
    return match.group(1).replace('\\"', '"'), match.group(2), match.group(3) or ""


def read_obo(source: Source) -> OboFile:
    """Read an OBO 1.2 ontology such as ``hp.obo``: live terms and obsolete terms.

    Raises
    ------
    DataFileError
        On a malformed line, a duplicate id, a term without a name, an
        ``is_a`` to an unknown or obsolete term, or a cycle.
    """
    name, lines = _lines(source)
    header, stanzas = _stanzas(name, lines)
    live: list[OboTerm] = []
    obsolete: list[ObsoleteTerm] = []
    seen: dict[tuple[str, str], int] = {}
    for stanza in stanzas:
        tags = stanza.tags
        ids = tags.get("id", [])
        names = tags.get("name", [])
        if len(ids) != 1 or len(names) != 1:
            raise DataFileError(name, "a [Term] needs exactly one id and one name", stanza.line)
        term_id = _check_hp(ids[0], name, stanza.line, "id")
        alt_ids = tuple(_check_hp(a, name, stanza.line, "alt_id") for a in tags.get("alt_id", []))
        obsolete_stanza = tags.get("is_obsolete") == ["true"]
        # an obsolete stanza may repeat the alt_id of the live term it was merged into; nothing else may repeat
        for key, space in ((term_id, "obsolete" if obsolete_stanza else "id"), *((a, "alt_id") for a in alt_ids)):
            if (key, space) in seen or (space != "obsolete" and (key, "id" if space == "alt_id" else "alt_id") in seen):
                raise DataFileError(name, f"{key} is defined twice", stanza.line)
            seen[key, space] = stanza.line
        if obsolete_stanza:
            replaced = [_check_hp(r, name, stanza.line, "replaced_by") for r in tags.get("replaced_by", [])]
            consider = tuple(_check_hp(c, name, stanza.line, "consider") for c in tags.get("consider", []))
            obsolete.append(ObsoleteTerm(term_id, names[0], tuple(replaced), consider))
            continue
        parents = tuple(
            _check_hp(p.split("!")[0].split("{")[0].strip(), name, stanza.line, "is_a") for p in tags.get("is_a", [])
        )
        synonyms = tuple(_synonym(s, name) for s in tags.get("synonym", []))
        live.append(OboTerm(term_id, names[0], synonyms, parents, alt_ids, stanza.line))
    _check_hierarchy(name, live)
    version = (header.get("data-version") or [""])[0]
    return OboFile(version, tuple(live), tuple(obsolete))


def _check_hierarchy(name: str, terms: list[OboTerm]) -> None:
    by_id = {t.id: t for t in terms}
    for term in terms:
        for parent in term.parents:
            if parent not in by_id:
                raise DataFileError(name, f"{term.id} is_a {parent}, which is not a live term", term.line)
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    for start in by_id:
        if state.get(start):
            continue
        stack = [(start, iter(by_id[start].parents))]
        state[start] = 1
        while stack:
            node, parents = stack[-1]
            for parent in parents:
                if state.get(parent) == 1:
                    raise DataFileError(name, f"the is_a hierarchy has a cycle through {parent}", by_id[parent].line)
                if not state.get(parent):
                    state[parent] = 1
                    stack.append((parent, iter(by_id[parent].parents)))
                    break
            else:
                state[node] = 2
                stack.pop()


@dataclass(frozen=True)
class Annotation:
    """One row of ``phenotype.hpoa``, as written (empty strings for empty cells)."""

    disease: str
    disease_name: str
    negated: bool
    term: str
    references: tuple[str, ...]
    evidence: str
    onset: str
    frequency: str
    sex: str
    modifier: str
    aspect: str
    line: int


def read_hpoa(source: Source) -> tuple[str, tuple[Annotation, ...]]:
    """Read ``phenotype.hpoa``: its ``#version`` and every annotation row.

    Raises
    ------
    DataFileError
        On a missing column row, a row with the wrong number of cells, a bad
        disease or HPO id, a qualifier other than ``NOT``, an unknown evidence
        code or frequency, or an aspect other than P, I, C, M or H.
    """
    name, lines = _lines(source)
    version = ""
    columns_seen = False
    rows: list[Annotation] = []
    for number, line in lines:
        if line.startswith("#"):
            if line.startswith("#version:"):
                version = line.partition(":")[2].strip()
            continue
        cells = line.split("\t")
        if not columns_seen:
            if tuple(cells) != HPOA_COLUMNS:
                raise DataFileError(name, f"expected the column row {' '.join(HPOA_COLUMNS)}", number)
            columns_seen = True
            continue
        if not line:
            continue
        if len(cells) != len(HPOA_COLUMNS):
            raise DataFileError(name, f"expected {len(HPOA_COLUMNS)} tab-separated cells, got {len(cells)}", number)
        disease, label, qualifier, term, ref, evidence, onset, frequency, sex, modifier, aspect, _ = cells
        if not _DISEASE.fullmatch(disease):
            raise DataFileError(name, f"disease id {disease!r} is not OMIM:, ORPHA: or DECIPHER:", number, 1)
        _check_hp(term, name, number, "hpo_id")
        if qualifier not in ("", "NOT"):
            raise DataFileError(name, f"qualifier {qualifier!r} is neither empty nor NOT", number, 3)
        if evidence not in ("IEA", "PCS", "TAS"):
            raise DataFileError(name, f"evidence {evidence!r} is not IEA, PCS or TAS", number, 6)
        if onset:
            _check_hp(onset, name, number, "onset")
        if frequency and not _FREQUENCY.fullmatch(frequency):
            raise DataFileError(name, f"frequency {frequency!r} is not an HPO frequency term, n/m or x%", number, 8)
        if aspect not in ("P", "I", "C", "M", "H"):
            raise DataFileError(name, f"aspect {aspect!r} is not P, I, C, M or H", number, 11)
        references = tuple(r for r in ref.split(";") if r)
        rows.append(
            Annotation(
                disease,
                label,
                qualifier == "NOT",
                term,
                references,
                evidence,
                onset,
                frequency,
                sex,
                modifier,
                aspect,
                number,
            )
        )
    if not columns_seen:
        raise DataFileError(name, "no column row: not an HPO annotation file")
    return version, tuple(rows)


@dataclass(frozen=True)
class Mapping:
    """One row of an SSSOM mapping set."""

    subject: str
    subject_label: str
    predicate: str
    object: str
    object_label: str
    line: int


def read_sssom(source: Source) -> tuple[dict[str, str], tuple[Mapping, ...]]:
    """Read an SSSOM TSV file: its ``#`` header as ``key -> value`` (top-level keys only) and its rows.

    Raises
    ------
    DataFileError
        If the column row lacks ``subject_id``, ``predicate_id`` or
        ``object_id``, or a row has the wrong number of cells.
    """
    name, lines = _lines(source)
    header: dict[str, str] = {}
    columns: list[str] | None = None
    rows: list[Mapping] = []
    for number, line in lines:
        if line.startswith("#"):
            key, sep, value = line[1:].partition(":")
            if sep and key and not key.startswith(" "):
                header[key.strip()] = value.strip()
            continue
        if not line:
            continue
        cells = line.split("\t")
        if columns is None:
            columns = cells
            missing = {"subject_id", "predicate_id", "object_id"} - set(columns)
            if missing:
                raise DataFileError(name, f"column row lacks {', '.join(sorted(missing))}", number)
            continue
        if len(cells) != len(columns):
            raise DataFileError(name, f"expected {len(columns)} tab-separated cells, got {len(cells)}", number)
        row = dict(zip(columns, cells))
        rows.append(
            Mapping(
                row["subject_id"],
                row.get("subject_label", ""),
                row["predicate_id"],
                row["object_id"],
                row.get("object_label", ""),
                number,
            )
        )
    if columns is None:
        raise DataFileError(name, "no column row: not an SSSOM TSV file")
    return header, tuple(rows)
