"""ICD-10-CM for FHIR: R4 resources built from a release, and a terminology server.

- :mod:`icd10kb.fhir.concepts` — codes, properties and designations of concepts;
- :mod:`icd10kb.fhir.resources` — the CodeSystem and the ValueSets of the hierarchy;
- :mod:`icd10kb.fhir.groupings` — ValueSets and ConceptMaps of groupings (CCSR, comorbidity …);
- :mod:`icd10kb.fhir.gems` — ConceptMaps of the GEMs (ICD-9-CM ↔ ICD-10-CM);
- :mod:`icd10kb.fhir.service`, :mod:`~icd10kb.fhir.operations`, :mod:`~icd10kb.fhir.valuesets`,
  :mod:`~icd10kb.fhir.expansion`, :mod:`~icd10kb.fhir.inputs` — the
  terminology operations ($lookup, $validate-code, $subsumes, $expand,
  $translate) over a release, independent of HTTP;
- :mod:`icd10kb.fhir.server`, :mod:`~icd10kb.fhir.protocol` — the ASGI application under uvicorn (the ``fhir`` extra);
- :mod:`icd10kb.fhir.cli` — the ``serve`` and ``fhir`` commands.

Nothing here is imported by ``import icd10kb``.
"""

from __future__ import annotations

from .concepts import SYSTEM, fhir_code, kb_code
from .gems import ICD9CM, gem_concept_map
from .groupings import concept_map, grouping_code_system, grouping_resources, grouping_value_sets
from .inputs import FhirError
from .resources import code_system, hierarchy_value_set, value_sets, write_code_system
from .service import Limits, TerminologyService

__all__ = [
    "SYSTEM",
    "FhirError",
    "ICD9CM",
    "Limits",
    "TerminologyService",
    "code_system",
    "concept_map",
    "create_app",
    "fhir_code",
    "gem_concept_map",
    "grouping_code_system",
    "grouping_resources",
    "grouping_value_sets",
    "hierarchy_value_set",
    "kb_code",
    "serve",
    "value_sets",
    "write_code_system",
]


def __getattr__(name: str) -> object:
    if name in ("create_app", "serve"):
        from . import server

        return getattr(server, name)
    raise AttributeError(f"module 'icd10kb.fhir' has no attribute {name!r}")
