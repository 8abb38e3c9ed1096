"""The knowledge base: one release of the classification with every feature, in one object.

:class:`KnowledgeBase` is what :func:`icd10kb.load` returns: the
classification core (:class:`~icd10kb.classification.core.Classification`:
lookup and traversal) plus a method for each feature, each delegating to
the function that does the work (``kb.notes`` to
:func:`icd10kb.notes.notes.notes`, ``kb.search`` to
:mod:`icd10kb.search.index` …). It holds no logic of its own. The features
never import it; they are functions over the core.

It is immutable: the pieces built on demand (notes, knowledge, graph,
search index) are built once, under a lock, and never changed afterwards,
so one knowledge base can be shared by many threads.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from .classification.core import Classification
from .classification.store import Store
from .errors import InvalidArgumentError

if TYPE_CHECKING:
    import networkx as nx

    from .details import ConceptDetails
    from .history.models import CodeHistory
    from .knowledge.differential import Candidate
    from .knowledge.index import KnowledgeIndex
    from .knowledge.models import KnowledgeProfile
    from .notes.findings import Finding
    from .notes.models import Note
    from .notes.references import Reference
    from .phenotypes.models import CodeCandidate, CodeWithPhenotype, PhenotypeProfile
    from .search.index import SearchHit, SearchIndex
    from .tables.models import TableLookup

__all__ = ["KnowledgeBase"]


class KnowledgeBase(Classification):
    """One release of ICD-10-CM with its notes and clinical knowledge.

    Do not build it directly; use :func:`icd10kb.load` or
    :func:`icd10kb.load_tabular`.

    Examples
    --------
    >>> kb["L94.2"].title
    'Calcinosis cutis'
    >>> kb.parent("L94.2"), kb.path("L94.2")
    ('L94', ('12', 'L80-L99', 'L94', 'L94.2'))
    """

    def __init__(
        self,
        store: Store,
        notes_loader: Callable[[], dict[str, dict[str, list[str]]]],
        knowledge_loader: Callable[[KnowledgeBase], KnowledgeIndex],
        release: str | None = None,
        builtin_only: bool = False,
    ) -> None:
        super().__init__(store, notes_loader, release)
        #: Whether the knowledge is exactly the built-in packs (then search reads it precompiled).
        object.__setattr__(self, "_builtin_only", builtin_only)
        object.__setattr__(self, "_knowledge_loader", knowledge_loader)

    # --- notes -------------------------------------------------------------------

    def notes(self, code: object, *, inherited: bool = False) -> tuple[Note, ...]:
        """The instructional notes of *code*; see :func:`icd10kb.notes.notes.notes`.

        Examples
        --------
        >>> [n.text for n in kb.notes("L94")]
        ['systemic connective tissue disorders (M30-M36)']
        """
        from .notes.notes import notes

        return notes(self, code, inherited=inherited)

    def references(self, code: object | None = None, *, kind: str | None = None) -> tuple[Reference, ...]:
        """The code references in the notes; see :func:`icd10kb.notes.references.references`.

        Examples
        --------
        >>> [(r.reference, r.shape, r.targets) for r in kb.references("L94")]
        [('M30-M36', 'block', ('M30-M36',))]
        """
        from .notes.references import references

        return references(self, code, kind=kind)

    def unresolved_references(self) -> tuple[Reference, ...]:
        """The references in the notes that name no concept of this release, with where they stand."""
        from .notes.references import all_references

        return tuple(r for r in all_references(self) if not r.resolved)

    def check(self, codes: object) -> tuple[Finding, ...]:
        """Check the codes of one encounter against the classification's rules; see :func:`icd10kb.notes.checks.check`.

        Examples
        --------
        >>> [(f.kind, f.codes) for f in kb.check(["L94.2", "M34.0", "S72.001"])]
        [('missing_seventh_character', ('S72.001',)), ('excludes1', ('L94.2', 'M34.0'))]
        """
        from .notes.checks import check

        return check(self, codes)

    # --- knowledge -------------------------------------------------------------

    @property
    def knowledge_index(self) -> KnowledgeIndex:
        """The clinical knowledge loaded into this knowledge base (built on first use)."""
        return self.piece(_knowledge)

    def knowledge(
        self, code: object, *, include_descendants: bool = False, phenotypes: bool = True, broader: bool = False
    ) -> KnowledgeProfile:
        """The clinical knowledge about *code*: causes, symptoms, tests, treatments, HPO phenotypes.

        A code without knowledge gets an empty profile. With
        *include_descendants*, the knowledge packs' facts of every code below
        it are merged in. With *phenotypes* (the default), the HPO phenotypes
        of the diseases linked to the code come in ``.phenotypes`` (see
        :func:`icd10kb.phenotypes.profile`); *broader* admits diseases linked
        by broader mappings too (a rare disease's phenotypes under a
        catch-all code), which are left out otherwise.

        Examples
        --------
        >>> [s.label for s in kb.knowledge("L94.2").symptoms][:2]
        ['hard, firm or bumpy skin nodules', 'pain or tenderness at the deposits']
        >>> marfan = kb.knowledge("Q87.4").phenotypes
        >>> "Arachnodactyly" in {f.label for f in marfan.phenotypes}
        True
        """
        for name, value in (
            ("include_descendants", include_descendants),
            ("phenotypes", phenotypes),
            ("broader", broader),
        ):
            if type(value) is not bool:
                raise InvalidArgumentError(value, f"{name} is True or False", name)
        canonical = self.normalize(code)
        below = self.descendants(canonical) if include_descendants else ()
        profile = self.knowledge_index.profile(canonical, below)
        if phenotypes:
            from .phenotypes.links import link_index

            if link_index(self).for_code(canonical, broader):  # the annotations are read only when needed
                from .phenotypes import profile as phenotype_profile

                found = phenotype_profile(canonical, kb=self, broader=broader)
                profile = profile.model_copy(update={"phenotypes": found})
        return profile

    def phenotypes(self, code: object, *, broader: bool = False) -> PhenotypeProfile:
        """The HPO phenotypes of the diseases linked to *code*; see :func:`icd10kb.phenotypes.profile`."""
        from .phenotypes import profile

        return profile(code, kb=self, broader=broader)  # type: ignore[arg-type]

    def codes_with_phenotype(self, term: object, *, broader: bool = False) -> tuple[CodeWithPhenotype, ...]:
        """Codes whose linked diseases have the phenotype or one below it.

        See :func:`icd10kb.phenotypes.codes_with_phenotype`.

        Examples
        --------
        >>> "Q87.4" in {c.code for c in kb.codes_with_phenotype("HP:0000951")}
        True
        """
        from .phenotypes import codes_with_phenotype

        return codes_with_phenotype(term, kb=self, broader=broader)  # type: ignore[arg-type]

    def phenotype_differential(
        self, terms: object, limit: int = 10, *, broader: bool = False
    ) -> tuple[CodeCandidate, ...]:
        """Rank codes by how well their linked diseases' phenotypes explain *terms* (HPO ids or words).

        See :func:`icd10kb.phenotypes.differential`: ontology-aware, weighted by
        information content and frequency, robust to imprecise and unrelated
        terms, each candidate saying why.

        Examples
        --------
        >>> [c.code for c in kb.phenotype_differential(["arachnodactyly", "ectopia lentis", "HP:0002616"], 3)][:1]
        ['Q87.4']
        """
        from .phenotypes import differential

        return differential(terms, kb=self, limit=limit, broader=broader)

    def codes_with_symptom(self, symptom: str) -> tuple[str, ...]:
        """Codes that present with a symptom, given by HPO id or label (any case).

        Examples
        --------
        >>> kb.codes_with_symptom("HP:0001482"), kb.codes_with_symptom("Skin ulceration")
        (('L94.2',), ('L94.2',))
        """
        return self.knowledge_index.codes_with("symptom", symptom)

    def codes_with_cause(self, cause: str, *, subsumed: bool = True) -> tuple[str, ...]:
        """Codes caused by a disease or factor, given by ICD-10-CM code (or range) or label.

        Examples
        --------
        >>> kb.codes_with_cause("M34"), kb.codes_with_cause("M30-M36")
        (('L94.2',), ('L94.2',))
        """
        if type(subsumed) is not bool:
            raise InvalidArgumentError(subsumed, "subsumed is True or False", "subsumed")
        return self.knowledge_index.codes_with("cause", cause, subsumed=subsumed, kb=self)

    def codes_with_test(self, test: str) -> tuple[str, ...]:
        """Codes diagnosed with a test, given by LOINC code or label.

        Examples
        --------
        >>> kb.codes_with_test("LOINC:17861-6")
        ('L94.2',)
        """
        return self.knowledge_index.codes_with("test", test)

    def differential(self, symptoms: object, limit: int = 10) -> tuple[Candidate, ...]:
        """Rank the codes that have knowledge by how well they explain *symptoms*.

        See :mod:`icd10kb.knowledge.differential`.

        Examples
        --------
        >>> [c.code for c in kb.differential(["subcutaneous nodule", "HP:0200042"])]
        ['L94.2']
        """
        from .knowledge.differential import differential

        return differential(self, self.knowledge_index, symptoms, limit)

    def shared_symptoms(self, code: object) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """Other codes with knowledge that share symptoms with *code*, with the shared labels."""
        from .knowledge.differential import shared_symptoms

        return shared_symptoms(self, self.knowledge_index, self.normalize(code))

    def details(self, code: object) -> ConceptDetails:
        """Everything about *code* in one model: what ``icd10kb show`` prints; see :func:`icd10kb.details.details`."""
        from .details import details

        return details(self, code)

    # --- history -----------------------------------------------------------------

    def history(self, code: object) -> CodeHistory:
        """The code's status and title in every release FY2016-FY2027; see :func:`icd10kb.history.history`.

        Deleted codes are answered too (they are not looked up in this release).

        Examples
        --------
        >>> [(r.release, r.status) for r in kb.history("Z68.1").releases][-2:]
        [('2026-04-01', 'billable'), ('FY2027', 'header')]
        """
        from .history import history

        return history(code, kb=self)

    # --- the coder's tables ------------------------------------------------------

    def drug(self, substance: object, intent: object = None) -> TableLookup:
        """A drug or chemical in the Table of Drugs and Chemicals; see :func:`icd10kb.tables.drug`.

        Examples
        --------
        >>> [(c.column, c.code) for c in kb.drug("acetaminophen", "accidental").codes]
        [('accidental', 'T39.1X1')]
        """
        from .tables import drug

        return drug(substance, intent, kb=self)

    def neoplasm(self, site: object, behaviour: object = None) -> TableLookup:
        """A site in the Table of Neoplasms; see :func:`icd10kb.tables.neoplasm`.

        Examples
        --------
        >>> [c.code for c in kb.neoplasm("lung", "secondary").codes]
        ['C78.0']
        """
        from .tables import neoplasm

        return neoplasm(site, behaviour, kb=self)

    def external_cause(self, term: object) -> TableLookup:
        """A term of the External Cause of Injuries Index; see :func:`icd10kb.tables.external_cause`."""
        from .tables import external_cause

        return external_cause(term, kb=self)

    # --- views -----------------------------------------------------------------

    @property
    def graph(self) -> nx.MultiDiGraph[str]:
        """The whole knowledge graph as a read-only networkx ``MultiDiGraph`` (built on first use).

        See :mod:`icd10kb.graph.build` for its nodes and edges.
        """
        return self.piece(_graph)

    @property
    def hierarchy(self) -> nx.MultiDiGraph[str]:
        """A read-only view of :attr:`graph` with only the hierarchy's edges.

        ``networkx.descendants(kb.hierarchy, c)`` equals ``set(kb.descendants(c))``.
        """
        from .graph.build import hierarchy_view

        return hierarchy_view(self.graph)

    def subgraph(
        self,
        code: object,
        *,
        ancestors: bool = True,
        children: bool = True,
        siblings: bool = False,
        knowledge: bool = True,
        depth: int = 1,
    ) -> nx.MultiDiGraph[str]:
        """A code's neighbourhood as a new networkx graph; see :func:`icd10kb.graph.build.neighbourhood`.

        Examples
        --------
        >>> g = kb.subgraph("L94", depth=2)
        >>> g.has_edge("L94", "L94.2", key="parent_of"), g.has_edge("L94.2", "HP:0001482", key="has_symptom")
        (True, True)
        """
        from .graph.build import neighbourhood

        return neighbourhood(
            self,
            self.knowledge_index,
            code,
            ancestors=ancestors,
            children=children,
            siblings=siblings,
            knowledge=knowledge,
            depth=depth,
        )

    def search(
        self,
        text: str,
        limit: int = 10,
        *,
        chapter: str | None = None,
        block: str | None = None,
        billable: bool | None = None,
    ) -> tuple[SearchHit, ...]:
        """Find codes from words: titles, inclusion terms, includes notes and knowledge labels.

        Tolerates case, word order, plural and other endings and small typos;
        a code typed as the query (``e119``, ``G30.-``) gives that code, then
        its parent, children and siblings. See :mod:`icd10kb.search.index`.

        Parameters
        ----------
        text:
            The words to look for (at most 500 characters).
        limit:
            The most hits to return.
        chapter, block:
            Only concepts within this chapter or block.
        billable:
            Only billable codes (True) or only headers (False).

        Examples
        --------
        >>> [h.code for h in kb.search("calcium deposits in the skin", 3)][:1]
        ['L94.2']
        >>> hit = kb.search("calcinossis cutis", 1)[0]
        >>> hit.code, hit.corrections
        ('L94.2', (('calcinossis', 'calcinosis'),))
        """
        from .search.index import check_filters

        check_filters(self, chapter=chapter, block=block, billable=billable)
        index: SearchIndex = self.piece(_search)
        return index.search(text, limit, chapter=chapter, block=block, billable=billable)


def _knowledge(kb: KnowledgeBase) -> KnowledgeIndex:
    return kb._knowledge_loader(kb)  # type: ignore[no-any-return]


def _graph(kb: KnowledgeBase) -> nx.MultiDiGraph[str]:
    from .graph.build import build_graph

    return build_graph(kb, kb.knowledge_index)


def _search(kb: KnowledgeBase) -> SearchIndex:
    from .search.index import SearchIndex

    # A shipped release with the built-in knowledge only has that knowledge compiled with its search
    # index: no knowledge index need be built to search it.
    builtin_only = kb.shipped_release is not None and kb._builtin_only
    return SearchIndex(kb, None if builtin_only else kb.knowledge_index)
