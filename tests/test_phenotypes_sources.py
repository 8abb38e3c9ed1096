"""The shipped phenotype data against an independent reading of the unchanged source files in data/."""

from __future__ import annotations

import csv
import gzip
import io
import re
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from icd10kb import datasets
from icd10kb.errors import DataFileError
from icd10kb.phenotypes import (
    ObsoleteTermError,
    TermNotFoundError,
    disease_annotations,
    link_index,
    ontology,
    reachable_codes,
)
from icd10kb.phenotypes.sources import read_hpoa, read_obo, read_sssom

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


def _text(path: Path) -> str:
    raw = path.read_bytes()
    return (gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw).decode("utf-8")


def _tsv(path: Path) -> list[dict[str, str]]:
    lines = [ln for ln in _text(path).splitlines() if not ln.startswith("#")]
    return list(csv.DictReader(io.StringIO("\n".join(lines)), delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.fixture(scope="module")
def hpoa_rows() -> list[list[str]]:
    lines = [ln for ln in _text(DATA / "hpo" / "phenotype.hpoa.gz").splitlines() if ln and not ln.startswith("#")]
    assert lines[0].startswith("database_id\tdisease_name")
    return [ln.split("\t") for ln in lines[1:]]


def test_every_annotation_row_is_shipped_unchanged(hpoa_rows: list[list[str]]) -> None:
    store = disease_annotations()
    assert len(store) == len(hpoa_rows) == 271_702
    for i, (disease, _, qualifier, term, ref, evidence, onset, freq, sex, modifier, aspect, _) in enumerate(hpoa_rows):
        assert store.diseases[store.disease[i]] == disease
        assert store.term[i] == term
        assert store.negated[i] is (qualifier == "NOT")
        assert (store.evidence[i], store.onset[i], store.frequency[i]) == (evidence, onset, freq)
        assert (store.sex[i], store.modifier[i], store.aspect[i]) == (sex, modifier, aspect)
        assert store.references[i] == tuple(ref.split(";"))


def test_annotation_counts(hpoa_rows: list[list[str]]) -> None:
    store = disease_annotations()
    assert sum(store.negated) == sum(r[2] == "NOT" for r in hpoa_rows) == 711
    assert len(store.diseases) == len({r[0] for r in hpoa_rows}) == 12_687
    prefixes = defaultdict(int)
    for d in store.diseases:
        prefixes[d.split(":")[0]] += 1
    assert dict(prefixes) == {"OMIM": 8359, "ORPHA": 4281, "DECIPHER": 47}
    assert sum(1 for f in store.frequency if f) == 207_485


def test_disease_names_come_from_mondo_or_orphanet_never_omim(hpoa_rows: list[list[str]]) -> None:
    store = disease_annotations()
    mondo: dict[str, set[str]] = defaultdict(set)
    for name in (
        "mondo_exactmatch_omim.sssom.tsv.gz",
        "mondo_hasdbxref_decipher.sssom.tsv",
        "mondo_exactmatch_orphanet.sssom.tsv.gz",
    ):
        for row in _tsv(DATA / "mondo" / name):
            if not row["subject_label"].startswith("obsolete"):
                mondo[row["object_id"].replace("Orphanet:", "ORPHA:")].add(row["subject_label"])
    orphanet = {
        r["subject_id"].replace("Orphanet:", "ORPHA:"): r["subject_label"]
        for r in _tsv(DATA / "orphanet" / "ordo.sssom.tsv.gz")
    }
    for disease in store.diseases:
        name, source = store.name(disease), store.name_source(disease)
        if disease.startswith("ORPHA:") and disease in orphanet:
            assert (name, source) == (orphanet[disease], "Orphanet")
        elif mondo.get(disease):
            assert source == "Mondo" and name in mondo[disease]
        else:
            assert name is None and source is None


@pytest.fixture(scope="module")
def obo_stanzas() -> list[dict[str, list[str]]]:
    stanzas = []
    for block in _text(DATA / "hpo" / "hp.obo.gz").split("\n\n"):
        if not block.startswith("[Term]"):
            continue
        tags: dict[str, list[str]] = defaultdict(list)
        for line in block.splitlines()[1:]:
            tag, _, value = line.partition(": ")
            tags[tag].append(value)
        stanzas.append(tags)
    return stanzas


def test_every_live_term_label_parent_and_synonym(obo_stanzas: list[dict[str, list[str]]]) -> None:
    hpo = ontology()
    live = [s for s in obo_stanzas if s.get("is_obsolete") != ["true"]]
    assert len(hpo) == len(live) == 19_034
    synonym = re.compile(r'"(.*)" (EXACT|RELATED|BROAD|NARROW) ?(\S*) \[')
    for stanza in live:
        term = hpo.term(stanza["id"][0])
        assert term.label == stanza["name"][0]
        assert term.parents == tuple(p.split(" ! ")[0] for p in stanza["is_a"])
        expected = []
        for line in stanza["synonym"]:
            match = synonym.match(line)
            assert match, line
            expected.append((match.group(1).replace('\\"', '"'), match.group(2), match.group(3)))
        assert [(s.text, s.scope, s.type) for s in term.synonyms] == expected


def test_obsolete_and_secondary_ids_raise_with_their_replacement(obo_stanzas: list[dict[str, list[str]]]) -> None:
    hpo = ontology()
    alt = {a: s["id"][0] for s in obo_stanzas if s.get("is_obsolete") != ["true"] for a in s["alt_id"]}
    obsolete = [s for s in obo_stanzas if s.get("is_obsolete") == ["true"]]
    assert len(obsolete) == 450
    for stanza in obsolete:
        key = stanza["id"][0]
        with pytest.raises(ObsoleteTermError) as caught:
            hpo.check(key)
        expected = (alt[key],) if key in alt else tuple(stanza["replaced_by"])
        assert caught.value.replaced_by == expected
        assert key in str(caught.value) and all(r in str(caught.value) for r in expected)
    for key, primary in alt.items():
        with pytest.raises(ObsoleteTermError) as caught:
            hpo.term(key)
        assert caught.value.replaced_by == (primary,)
    with pytest.raises(TermNotFoundError) as unknown:
        hpo.term("HP:9999999")
    assert isinstance(unknown.value, KeyError) and isinstance(unknown.value, ValueError)
    assert "HP:9999999" in str(unknown.value)


def _independent_links(kb: object) -> set[tuple[str, str, str, str]]:
    """(disease, code, class, path) read directly from the mapping files, kept when the code is in *kb*."""
    mondo = DATA / "mondo"

    def live(name: str) -> list[dict[str, str]]:
        return [r for r in _tsv(mondo / name) if not r["subject_label"].startswith("obsolete")]

    to_mondo: dict[str, list[str]] = defaultdict(list)
    for name in (
        "mondo_exactmatch_omim.sssom.tsv.gz",
        "mondo_exactmatch_orphanet.sssom.tsv.gz",
        "mondo_hasdbxref_decipher.sssom.tsv",
    ):
        for r in live(name):
            to_mondo[r["object_id"].replace("Orphanet:", "ORPHA:")].append(r["subject_id"])
    mondo_orpha: dict[str, list[str]] = defaultdict(list)
    for r in live("mondo_exactmatch_orphanet.sssom.tsv.gz"):
        mondo_orpha[r["subject_id"]].append(r["object_id"])
    mondo_icd: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for name, cls in (
        ("mondo_exactmatch_icd10cm.sssom.tsv", "exact"),
        ("mondo_broadmatch_icd10cm.sssom.tsv", "broader"),
    ):
        for r in live(name):
            mondo_icd[r["subject_id"]].append((r["object_id"].removeprefix("ICD10CM:"), cls))
    ordo: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for r in _tsv(DATA / "orphanet" / "ordo.sssom.tsv.gz"):
        cls = {"skos:exactMatch": "exact", "skos:broadMatch": "broader"}.get(r["predicate_id"])
        if cls and r["object_id"].startswith("ICD10:"):
            ordo[r["subject_id"]].append((r["object_id"][6:].rstrip("+*"), cls))
    diseases = {r.split("\t", 1)[0] for r in _text(DATA / "hpo" / "phenotype.hpoa.gz").splitlines()[5:]}
    links = set()
    for d in diseases:
        for m in to_mondo.get(d, ()):
            links |= {(d, code, cls, "MONDO") for code, cls in mondo_icd.get(m, ())}
            if d.startswith("OMIM:"):
                links |= {(d, code, cls, "MONDO>ORDO") for o in mondo_orpha.get(m, ()) for code, cls in ordo.get(o, ())}
        if d.startswith("ORPHA:"):
            links |= {(d, code, cls, "ORDO") for code, cls in ordo.get("Orphanet:" + d[6:], ())}
    return {link for link in links if link[1] in kb}  # type: ignore[operator]


def test_links_equal_an_independent_reading_of_the_mapping_files(kb: object) -> None:
    expected = _independent_links(kb)
    index = link_index(kb)  # type: ignore[arg-type]
    shipped = {
        (k.disease, k.code, k.link_class, k.path)
        for d in index.diseases(broader=True)
        for k in index.for_disease(d, True)
    }
    assert shipped == expected
    exact = {code for _, code, cls, _ in expected if cls == "exact"}
    every = {code for _, code, _, _ in expected}
    counts = reachable_codes(kb)  # type: ignore[arg-type]
    assert (len(exact), len(every)) == (len(counts["exact"]), len(counts["exact"] | counts["broader"])) == (583, 1390)
    assert ("ORPHA:645822", "A18.0", "exact", "ORDO") not in shipped  # 'ICD10:A18.0,' is malformed: not linked


def test_exact_and_broader_links_stay_apart(kb: object) -> None:
    index = link_index(kb)  # type: ignore[arg-type]
    for code in index.codes(broader=True):
        assert all(k.link_class == "exact" for k in index.for_code(code))
        assert {k.link_class for k in index.for_code(code, broader=True)} <= {"exact", "broader"}
    assert all(k.code_predicate == "skos:exactMatch" for c in index.codes() for k in index.for_code(c))


def test_compiled_files_rebuild_byte_for_byte() -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from build_phenotypes import compile_all
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    for name, files in compile_all(ROOT).items():
        for fname, blob in files.items():
            assert datasets.read(name, f"{name}/{fname}", decompress=False) == blob, fname


@pytest.mark.parametrize(
    ("reader", "text", "line"),
    [
        (read_obo, b"[Term]\nid: HP:0000001\nname: All\n\n[Term]\nid: HP:0000001\nname: Again\n", 5),
        (read_obo, b"[Term]\nid: HP:0000002\nname: A\nis_a: HP:0000003 ! missing\n", 1),
        (read_obo, b"[Term]\nid: HP:1\nname: A\n", 1),
        (read_obo, b"[Term]\nid: HP:0000001\nname: A\nsynonym: no quotes EXACT []\n", 4),
        (
            read_obo,
            b"[Term]\nid: HP:0000001\nname: A\nis_a: HP:0000002\n\n[Term]\nid: HP:0000002\nname: B\nis_a: HP:0000001\n",
            1,
        ),
        (read_hpoa, b"#x\nnot the columns\n", 2),
        (
            read_hpoa,
            b"database_id\tdisease_name\tqualifier\thpo_id\treference\tevidence\tonset\tfrequency\tsex\tmodifier\taspect\tbiocuration\nOMIM:1\tx\tMAYBE\tHP:0000001\tPMID:1\tTAS\t\t\t\t\tP\tb\n",
            2,
        ),
        (
            read_hpoa,
            b"database_id\tdisease_name\tqualifier\thpo_id\treference\tevidence\tonset\tfrequency\tsex\tmodifier\taspect\tbiocuration\nOMIM:1\tx\t\tHP:0000001\tPMID:1\tTAS\t\t7 of 9\t\t\tP\tb\n",
            2,
        ),
        (
            read_hpoa,
            b"database_id\tdisease_name\tqualifier\thpo_id\treference\tevidence\tonset\tfrequency\tsex\tmodifier\taspect\tbiocuration\nOMIM:1\tshort row\n",
            2,
        ),
        (read_sssom, b"# license: x\nsubject_id\tobject_id\nA\tB\n", 2),
        (read_sssom, b"subject_id\tpredicate_id\tobject_id\nA\tskos:exactMatch\n", 2),
    ],
)
def test_malformed_source_files_are_refused_with_their_line(reader: object, text: bytes, line: int) -> None:
    with pytest.raises(DataFileError) as caught:
        reader(io.BytesIO(text))  # type: ignore[operator]
    assert caught.value.line == line


def test_readers_take_gzip_and_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.obo.gz"
    path.write_bytes(gzip.compress(b"[Term]\nid: nonsense\nname: x\n"))
    with pytest.raises(DataFileError, match="bad.obo.gz"):
        read_obo(path)
    version, rows = read_hpoa(DATA / "hpo" / "phenotype.hpoa.gz")
    assert version == "2025-01-16" and len(rows) == 271_702
    assert read_obo(DATA / "hpo" / "hp.obo.gz").version == "hp/releases/2025-01-16"


def test_a_row_decoded_on_its_own_equals_the_columns() -> None:
    """Annotations.row (what kb.graph reads) gives every row's fields exactly as the decoded columns do."""
    from icd10kb.phenotypes.annotations import disease_annotations

    store = disease_annotations()
    columns = zip(
        store.term, store.negated, store.aspect, store.frequency, store.evidence, store.references, store.onset, store.sex
    )
    mismatched = [row for row, fields in enumerate(columns) if tuple(store.row(row)) != fields]
    assert mismatched == [] and sum(store.row(r).negated for r in range(len(store))) == 711
