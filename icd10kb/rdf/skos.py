"""A release as SKOS and OWL: N-Triples and Turtle written directly, rdflib for querying.

Every concept is an ``owl:Class`` and a ``skos:Concept`` named with
BioPortal's IRIs for ICD-10-CM (``http://purl.bioontology.org/ontology/ICD10CM/L94.2``;
blocks by their range, ``…/L80-L99``), with

- ``skos:notation`` (the code), ``skos:prefLabel`` and ``rdfs:label`` (the title),
- ``skos:altLabel`` for each inclusion term (``kb.notes(code)`` of kind
  ``inclusion_terms``),
- ``rdfs:subClassOf`` and ``skos:broader`` to its parent, and
  ``skos:topConceptOf`` the scheme for a chapter.

Chapters have no identifier in ICD-10-CM or BioPortal: they are named in
icd10kb's own namespace (``urn:icd10kb:chapter-12``), as are knowledge nodes
without an identifier (``urn:icd10kb:cause-skin-injury``). HPO terms become
OBO PURLs (``http://purl.obolibrary.org/obo/HP_0001482``) and LOINC codes
``https://loinc.org/17861-6``.

The knowledge edges of ``kb.graph`` become Biolink predicates, in the
graph's direction: ``causes`` → ``biolink:contributes_to`` (cause to
disease), ``has_symptom`` → ``biolink:has_phenotype``, ``diagnosed_by`` →
``biolink:is_diagnosed_by``, ``treated_by`` → ``biolink:treated_by``.

:func:`write_ntriples` and :func:`write_turtle` stream the triples to a file
without rdflib; :func:`to_rdflib` loads them into an ``rdflib.Graph`` (the
``rdf`` extra) for SPARQL.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator
from typing import IO, TYPE_CHECKING, Any

from ..arguments import check_bool, check_choice, check_items, check_stream, check_text
from ..errors import InvalidArgumentError

if TYPE_CHECKING:
    from ..kb import KnowledgeBase

__all__ = [
    "BIOLINK",
    "ICD10CM",
    "ICD10KB",
    "PREDICATES",
    "concept_iri",
    "node_iri",
    "to_rdflib",
    "triples",
    "write_ntriples",
    "write_turtle",
]

ICD10CM = "http://purl.bioontology.org/ontology/ICD10CM/"
ICD10KB = "urn:icd10kb:"
BIOLINK = "https://w3id.org/biolink/vocab/"
_OBO = "http://purl.obolibrary.org/obo/"
_LOINC = "https://loinc.org/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
#: Biolink predicate of each knowledge relation (edge key of ``kb.graph``).
PREDICATES = {
    "causes": BIOLINK + "contributes_to",
    "has_symptom": BIOLINK + "has_phenotype",
    "diagnosed_by": BIOLINK + "is_diagnosed_by",
    "treated_by": BIOLINK + "treated_by",
}
_PREFIXES = {
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "skos": SKOS,
    "biolink": BIOLINK,
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
_SAFE = re.compile(r"[A-Za-z0-9._~:#\-]+")
_SLUG = re.compile(r"[^a-z0-9]+")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"}
_SPECIAL = re.compile(r'[\\"\n\r]')
Triple = tuple[str, str, str]
#: The most codes :func:`triples` takes (a release has about 100,000 concepts).
MAX_CODES = 1_000_000
_OPTIONS = ("codes", "knowledge")


def concept_iri(kb: KnowledgeBase, code: str) -> str:
    """The IRI of a concept: BioPortal's for codes and blocks, icd10kb's for chapters.

    Examples
    --------
    >>> concept_iri(kb, "L94.2"), concept_iri(kb, "12")
    ('http://purl.bioontology.org/ontology/ICD10CM/L94.2', 'urn:icd10kb:chapter-12')
    """
    canonical = kb.normalize(code)
    if kb.kind(canonical) == "chapter":
        return f"{ICD10KB}chapter-{canonical}"
    return ICD10CM + canonical


def node_iri(kb: KnowledgeBase, node: str) -> str:
    """The IRI of a node of ``kb.graph``: a concept, an HPO or LOINC term, or a knowledge node.

    Examples
    --------
    >>> node_iri(kb, "HP:0001482"), node_iri(kb, "LOINC:17861-6"), node_iri(kb, "cause:skin-injury")
    ('http://purl.obolibrary.org/obo/HP_0001482', 'https://loinc.org/17861-6', 'urn:icd10kb:cause-skin-injury')
    """
    node = check_text(node, "node", 1000)
    if node.startswith("HP:"):
        return _OBO + "HP_" + node[3:]
    if node.startswith("LOINC:"):
        return _LOINC + node[6:]
    if ":" in node:
        kind, _, slug = node.partition(":")
        return f"{ICD10KB}{kind}-{_SLUG.sub('-', slug.casefold()).strip('-')}"
    return concept_iri(kb, node)


def _iri(value: str) -> str:
    if not _SAFE.fullmatch(value.split("://", 1)[-1].replace("/", "")):
        raise InvalidArgumentError(value, "not an IRI this writer can write", "IRI")
    return f"<{value}>"


def _literal(text: str, language: str | None = "en") -> str:
    escaped = _SPECIAL.sub(lambda m: _ESCAPES[m.group()], text)
    return f'"{escaped}"@{language}' if language else f'"{escaped}"'


def triples(kb: KnowledgeBase, *, codes: Iterable[str] | None = None, knowledge: bool = True) -> Iterator[Triple]:
    """The triples of a release, as N-Triples terms, grouped by subject.

    Parameters
    ----------
    kb:
        The release.
    codes:
        Only these concepts (their parents are still named); default every concept.
    knowledge:
        Add the knowledge edges of ``kb.graph`` (and labels of their nodes).

    Examples
    --------
    >>> [o for s, p, o in triples(kb, codes=["L94.2"], knowledge=False) if p.endswith("#notation>")]
    ['"L94.2"']

    Raises
    ------
    InvalidArgumentError
        If *codes* is not a list (or column) of codes, or *knowledge* is not True or False; at
        the call, before any triple is made.
    InvalidCodeError, CodeNotFoundError
        If one of *codes* is not a code of the release (also at the call).
    """
    knowledge = check_bool(knowledge, "knowledge")
    chosen: Iterable[str] = kb if codes is None else _chosen(kb, codes)
    return _triples(kb, chosen, None if codes is None else set(chosen), knowledge)


def _chosen(kb: KnowledgeBase, codes: object) -> list[str]:
    """The codes asked for, normalised, each once, in the order given."""
    return list(dict.fromkeys(kb.normalize(c) for c in check_items(codes, "codes", MAX_CODES)))


def _triples(kb: KnowledgeBase, chosen: Iterable[str], codes: set[str] | None, knowledge: bool) -> Iterator[Triple]:
    scheme = _iri(ICD10CM)
    a, label = _iri(RDF + "type"), _iri(RDFS + "label")
    yield scheme, a, _iri(OWL + "Ontology")
    yield scheme, a, _iri(SKOS + "ConceptScheme")
    yield scheme, label, _literal(f"ICD-10-CM {kb.release.name}")
    yield scheme, _iri(OWL + "versionInfo"), _literal(kb.release.name, None)
    owl_class, concept_type = _iri(OWL + "Class"), _iri(SKOS + "Concept")
    notation, pref, alt = _iri(SKOS + "notation"), _iri(SKOS + "prefLabel"), _iri(SKOS + "altLabel")
    sub, broader, in_scheme, top = (
        _iri(RDFS + "subClassOf"),
        _iri(SKOS + "broader"),
        _iri(SKOS + "inScheme"),
        _iri(SKOS + "topConceptOf"),
    )
    for code in chosen:
        subject = _iri(concept_iri(kb, code))
        title = _literal(kb.title(code))
        yield subject, a, owl_class
        yield subject, a, concept_type
        yield subject, in_scheme, scheme
        if kb.kind(code) != "chapter":
            yield subject, notation, _literal(code, None)
        yield subject, pref, title
        yield subject, label, title
        for note in kb.notes(code):
            if note.kind == "inclusion_terms":
                yield subject, alt, _literal(note.text)
        parent = kb.parent(code)
        if parent is None:
            yield subject, top, scheme
        else:
            up = _iri(concept_iri(kb, parent))
            yield subject, sub, up
            yield subject, broader, up
    if knowledge:
        yield from _knowledge(kb, codes)


def _knowledge(kb: KnowledgeBase, codes: set[str] | None) -> Iterator[Triple]:
    graph = kb.graph
    labelled: set[str] = set()
    label = _iri(RDFS + "label")
    for source, target, key in graph.edges(keys=True):
        predicate = PREDICATES.get(key)
        if predicate is None:
            continue
        if codes is not None and source not in codes and target not in codes:
            continue
        yield _iri(node_iri(kb, source)), _iri(predicate), _iri(node_iri(kb, target))
        for node in (source, target):
            data = graph.nodes[node]
            if node not in labelled and data.get("label"):
                labelled.add(node)
                yield _iri(node_iri(kb, node)), label, _literal(str(data["label"]))


def _options(out: object, options: dict[str, Any]) -> dict[str, Any]:
    """The options with plain names, after refusing an *out* that is not an open text stream and unknown options."""
    check_stream(out, "out")
    return {check_choice(key, _OPTIONS, "option of triples"): value for key, value in options.items()}


def write_ntriples(kb: KnowledgeBase, out: IO[str], **options: Any) -> int:
    """Write the triples as N-Triples to a text file (UTF-8); return how many.

    Takes the options of :func:`triples`, checked before anything is written. Needs no rdflib.
    """
    made = triples(kb, **_options(out, options))
    count = 0
    lines: list[str] = []
    for s, p, o in made:
        lines.append(f"{s} {p} {o} .\n")
        if len(lines) >= 4096:
            out.write("".join(lines))
            count += len(lines)
            lines.clear()
    out.write("".join(lines))
    return count + len(lines)


def write_turtle(kb: KnowledgeBase, out: IO[str], **options: Any) -> int:
    """Write the triples as Turtle (subjects grouped, predicates prefixed); return how many.

    Takes the options of :func:`triples`, checked before anything is written. Needs no rdflib.
    """
    made = triples(kb, **_options(out, options))
    names = {f"<{iri}": prefix for prefix, iri in _PREFIXES.items()}
    out.write("".join(f"@prefix {prefix}: <{iri}> .\n" for prefix, iri in _PREFIXES.items()))

    def short(term: str) -> str:
        for start, prefix in names.items():
            if term.startswith(start):
                local = term[len(start) : -1]
                if local and re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", local):
                    return f"{prefix}:{local}"
        return term

    count, subject = 0, None
    for s, p, o in made:
        if s != subject:
            out.write(" .\n" if subject is not None else "\n")
            out.write(f"{s} {short(p)} {short(o)}")
            subject = s
        else:
            out.write(f" ;\n    {short(p)} {short(o)}")
        count += 1
    if subject is not None:
        out.write(" .\n")
    return count


def to_rdflib(kb: KnowledgeBase, **options: Any) -> Any:
    """The triples loaded into a new ``rdflib.Graph`` (the ``rdf`` extra), ready for SPARQL.

    Examples
    --------
    >>> g = to_rdflib(kb, codes=["L94", *kb.descendants("L94")], knowledge=False)
    >>> query = '''SELECT ?c WHERE { ?c rdfs:subClassOf+ <http://purl.bioontology.org/ontology/ICD10CM/L94> }'''
    >>> len(g.query(query)) == len(kb.descendants("L94"))
    True
    """
    import rdflib

    buffer = io.StringIO()
    write_ntriples(kb, buffer, **options)
    graph = rdflib.Graph()
    graph.parse(data=buffer.getvalue(), format="nt")
    for prefix, iri in _PREFIXES.items():
        graph.bind(prefix, iri)
    graph.bind("icd10cm", ICD10CM)
    return graph
