"""The standard groupers of ICD-10-CM codes, shipped as datasets.

- :mod:`~icd10kb.groupers.ccsr`: AHRQ's CCSR for ICD-10-CM diagnoses (v2023.1, v2025.1);
- :mod:`~icd10kb.groupers.comorbidity`: Charlson and Elixhauser (Quan 2005) and AHRQ's
  Elixhauser Comorbidity Software Refined (CMR v2026.1), with weights and scores;
- :mod:`~icd10kb.groupers.hcc`: CMS-HCC V24 and V28 (payment years 2025-2027);
- :mod:`~icd10kb.groupers.gems`: the FY2018 ICD-9-CM <-> ICD-10-CM General Equivalence Mappings;
- :func:`per_patient`: one result per patient from (patient, code[, poa]) rows;
- :func:`mapping` / :func:`available`: every grouper as plain data
  (:class:`~icd10kb.groupers.base.GrouperMap`), for joins in dataframe libraries and SQL.

Examples
--------
>>> from icd10kb import groupers
>>> groupers.ccsr.categories("I50.9")
('CIR019',)
>>> groupers.mapping("cms-hcc-v28-py2026").version
'V28 PY2026'
"""

from __future__ import annotations

from . import ccsr, comorbidity, gems, hcc
from .base import GrouperMap, NotMappedError
from .maps import available, mapping
from .patients import per_patient

__all__ = [
    "GrouperMap",
    "NotMappedError",
    "available",
    "ccsr",
    "comorbidity",
    "gems",
    "hcc",
    "mapping",
    "per_patient",
]
