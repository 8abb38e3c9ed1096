"""Links from HPO diseases to ICD-10-CM codes, as Mondo and Orphanet state them.

Each link comes from the compiled ``hpo-icd10cm-links`` dataset and keeps its
path and the predicate of each step:

=============  ======================================================  =========================
path           steps                                                    files
=============  ======================================================  =========================
``MONDO``      disease -> Mondo (exactMatch; DECIPHER: hasDbXref)      ``mondo_exactmatch_omim``,
               -> ICD-10-CM (exactMatch or broadMatch)                 ``_orphanet``,
                                                                       ``mondo_hasdbxref_decipher``,
                                                                       ``mondo_{exact,broad}match_icd10cm``
``ORDO``       ORPHA disease -> ICD-10 (Orphanet's E or NTBT mapping)  ``ordo.sssom.tsv``
``MONDO>ORDO`` OMIM disease -> Mondo -> Orphanet (exactMatch both)     both
               -> ICD-10 (E or NTBT)
=============  ======================================================  =========================

The **class** of a link is ``"exact"`` when its last step is an exact match
and ``"broader"`` when the code is broader than the disease
(``skos:broadMatch``, Orphanet's NTBT). The two classes are never mixed:
every function takes ``broader=False`` and then uses exact links only.
Orphanet maps to WHO ICD-10; its links use the ICD-10-CM code of the same
string, so a WHO code that a release lacks links to nothing.

Examples
--------
>>> counts = reachable_codes(kb)
>>> len(counts["exact"]), len(counts["broader"]), len(counts["exact"] | counts["broader"])
(583, 807, 1390)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .. import datasets
from ..errors import InvalidArgumentError
from ..kbargument import resolve_kb

if TYPE_CHECKING:
    from ..classification.core import Classification as KnowledgeBase

__all__ = [
    "LINKS_DATASET",
    "Link",
    "LinkIndex",
    "check_broader",
    "link_index",
    "reachable_codes",
    "release_key",
]

LINKS_DATASET = "hpo-icd10cm-links"
_SOURCES = {
    "MONDO": "Mondo Disease Ontology 2026-08-04 mapping sets",
    "ORDO": "Orphanet ICD-10 alignments (ORDO, mondo-ingest build 2025-03-07)",
    "MONDO>ORDO": "Mondo 2026-08-04 mapping sets, then Orphanet ICD-10 alignments (mondo-ingest 2025-03-07)",
}


@dataclass(frozen=True)
class Link:
    """One stated link from an HPO disease to an ICD-10-CM code.

    Attributes
    ----------
    disease, code:
        The HPO disease id and the ICD-10-CM code (as written in the release).
    link_class:
        ``"exact"`` or ``"broader"`` (the code is broader than the disease).
    path, via:
        ``"MONDO"``, ``"ORDO"`` or ``"MONDO>ORDO"``, and the intermediate ids.
    disease_predicate, code_predicate:
        The predicate of the step into Mondo (empty for ``ORDO``) and of the step to the code.
    source_file:
        The file stating the last step.
    """

    disease: str
    code: str
    link_class: str
    path: str
    via: tuple[str, ...]
    disease_predicate: str
    code_predicate: str
    source_file: str

    @property
    def source(self) -> str:
        """A readable name of the mapping source(s)."""
        return _SOURCES[self.path]


def release_key(kb: KnowledgeBase) -> str:
    """A key naming *kb*'s release and the files it was read from, for per-release caches."""
    return ":".join([kb.release.name, *(f.sha256[:16] for f in kb.release.files)])


def check_broader(broader: object) -> bool:
    """*broader* if it is a bool, else an InvalidArgumentError."""
    if not isinstance(broader, bool):
        raise InvalidArgumentError(broader, "broader is True or False", "broader")
    return broader


class LinkIndex:
    """The links that land on codes of one release, by code and by disease."""

    def __init__(self, rows: list[list[Any]], kb: KnowledgeBase) -> None:
        by_code: dict[str, list[Link]] = {}
        by_disease: dict[str, list[Link]] = {}
        for disease, code, link_class, path, via, first, last, fname in rows:
            if code not in kb:
                continue
            code = kb.normalize(code)
            link = Link(disease, code, link_class, path, tuple(via.split()), first, last, fname)
            by_code.setdefault(code, []).append(link)
            by_disease.setdefault(disease, []).append(link)
        self.release = kb.release.name
        self._by_code = {c: tuple(v) for c, v in by_code.items()}
        self._by_disease = {d: tuple(v) for d, v in by_disease.items()}

    def for_code(self, code: str, broader: bool = False) -> tuple[Link, ...]:
        """The links landing on *code* (normalised): exact ones, and broader ones too if asked."""
        return tuple(k for k in self._by_code.get(code, ()) if broader or k.link_class == "exact")

    def for_disease(self, disease: str, broader: bool = False) -> tuple[Link, ...]:
        """The links from *disease*: exact ones, and broader ones too if asked."""
        return tuple(k for k in self._by_disease.get(disease, ()) if broader or k.link_class == "exact")

    def codes(self, broader: bool = False) -> tuple[str, ...]:
        """Every code reached by exact links (and broader ones, if asked), sorted."""
        return tuple(
            sorted(c for c, links in self._by_code.items() if broader or any(k.link_class == "exact" for k in links))
        )

    def diseases(self, broader: bool = False) -> tuple[str, ...]:
        """Every disease with an exact link (or any link, if asked), sorted."""
        return tuple(
            sorted(d for d, links in self._by_disease.items() if broader or any(k.link_class == "exact" for k in links))
        )


def _rows() -> list[list[Any]]:
    content = datasets.read_json(LINKS_DATASET, f"{LINKS_DATASET}/links.json.gz")
    return content["links"]  # type: ignore[no-any-return]


def link_index(kb: KnowledgeBase | None = None) -> LinkIndex:
    """The links landing on codes of *kb*'s release, built once per release."""
    kb = resolve_kb(kb)
    rows = datasets.memo(LINKS_DATASET, "rows", _rows)
    return datasets.memo(LINKS_DATASET, f"index:{release_key(kb)}", lambda: LinkIndex(rows, kb))


def reachable_codes(kb: KnowledgeBase | None = None) -> dict[str, frozenset[str]]:
    """The codes of *kb* reached by exact links, and those reached by broader links only.

    Returns
    -------
    dict
        ``{"exact": codes with at least one exact link, "broader": codes with broader links only}``.
    """
    index = link_index(kb)
    exact = frozenset(index.codes())
    return {"exact": exact, "broader": frozenset(index.codes(broader=True)) - exact}
