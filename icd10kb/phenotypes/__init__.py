"""Phenotypes: the Human Phenotype Ontology, its disease annotations linked to ICD-10-CM, and a differential.

Everything here is a function over a knowledge base (``kb=None`` meaning
``icd10kb.load()``) and reads its data on first use, never at import:

- :func:`ontology`: HPO 2025-01-16 — terms, synonyms, obsolete ids, is-a
  hierarchy, information content; words resolved through labels and synonyms.
- :func:`profile`: the HPO facts of the diseases linked to a code (exact
  links, or broader ones on request); ``NOT`` annotations kept apart.
- :func:`codes_with_phenotype`: the codes with a phenotype or any term below it.
- :func:`differential`, :func:`rank_diseases`: codes and diseases ranked by
  ontology-aware similarity to a set of phenotypes, each saying why
  (needs numpy: the ``phenotypes`` extra).
- :func:`graph_edges`: disease and phenotype nodes, ``has_phenotype`` and
  mapping edges with Biolink categories, for ``kb.graph`` and KGX.
- :func:`search_synonyms`: HPO layperson and exact synonyms leading to codes.
- :func:`reachable_codes`, :func:`simulate_patients`.

Examples
--------
>>> from icd10kb import phenotypes
>>> phenotypes.ontology().resolve("heart attack").id
'HP:0001658'
>>> [c.code for c in phenotypes.differential(["HP:0001166", "HP:0001083"], limit=1)]
['Q87.4']
"""

from .annotations import Annotations, disease_annotations, information_content, most_informative_common_ancestor
from .differential import differential, rank_diseases, resolve_terms
from .errors import DiseaseNotFoundError, ObsoleteTermError, TermNotFoundError, UnknownPhenotypeError
from .graph import graph_edges
from .links import Link, link_index, reachable_codes
from .ontology import Ontology, Synonym, Term, ontology
from .profile import codes_with_phenotype, disease_facts, profile
from .simulate import Patient, simulate_patients
from .synonyms import search_synonyms

__all__ = [
    "information_content",
    "most_informative_common_ancestor",
    "Annotations",
    "DiseaseNotFoundError",
    "Link",
    "ObsoleteTermError",
    "Ontology",
    "Patient",
    "Synonym",
    "Term",
    "TermNotFoundError",
    "UnknownPhenotypeError",
    "disease_annotations",
    "codes_with_phenotype",
    "differential",
    "disease_facts",
    "graph_edges",
    "link_index",
    "ontology",
    "profile",
    "rank_diseases",
    "reachable_codes",
    "resolve_terms",
    "search_synonyms",
    "simulate_patients",
]
