"""ICD-10-CM as RDF: SKOS and OWL with BioPortal's IRIs, and the knowledge edges in Biolink.

See :mod:`icd10kb.rdf.skos`. Writing N-Triples or Turtle needs nothing but
the package; loading into rdflib for SPARQL needs the ``rdf`` extra.
"""

from __future__ import annotations

from .skos import ICD10CM, PREDICATES, concept_iri, node_iri, to_rdflib, triples, write_ntriples, write_turtle

__all__ = ["ICD10CM", "PREDICATES", "concept_iri", "node_iri", "to_rdflib", "triples", "write_ntriples", "write_turtle"]
