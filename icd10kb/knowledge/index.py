"""The knowledge of a release: packs merged against it, and the questions asked of them.

:class:`KnowledgeIndex` merges packs against a loaded release: every code is
checked to exist in it, facts that two packs share keep the sources of both,
and reverse indexes answer "which codes present with this symptom / are
caused by that disease / are diagnosed by that test".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from ..errors import ICD10KBError, InvalidArgumentError, KnowledgePackError, KnowledgeWarning
from ..warnsink import warn
from .models import DiseaseEntry, Fact, FactEntry, FactKind, Gap, Identifier, KnowledgePack, KnowledgeProfile, Source

if TYPE_CHECKING:
    from ..classification.core import Classification

__all__ = ["FACT_KINDS", "MAX_QUERY", "KnowledgeIndex", "OnMissing", "fact_key"]

#: The longest symptom, cause or test query (labels are at most 200 characters).
MAX_QUERY = 300

OnMissing = Literal["error", "warn"]

#: Fact kinds and the pack field that holds them.
FACT_KINDS: dict[FactKind, str] = {"cause": "causes", "symptom": "symptoms", "test": "tests", "treatment": "treatments"}
_PLURAL_TO_KIND: dict[str, FactKind] = {v: k for k, v in FACT_KINDS.items()}
_SPACE = re.compile(r"\s+")


def _fold(text: str) -> str:
    return _SPACE.sub(" ", text).strip().casefold()


def _scopes(kb: Classification, query: str) -> tuple[str, ...]:
    """The concepts a cause query stands for: a code, block or chapter, or the codes of a range."""
    try:
        return (kb.normalize(query),)
    except ICD10KBError:
        pass
    try:
        return kb.expand_range(query.strip())  # "M32-M34": not a block, but a range of categories
    except ICD10KBError:
        return ()


def fact_key(kind: str, entry: FactEntry) -> str:
    """The identity of a fact for merging: its strongest identifier, else its label."""
    if type(kind) is not str or kind not in FACT_KINDS or not isinstance(entry, FactEntry):
        raise InvalidArgumentError((kind, entry), "a kind (cause, symptom, test, treatment) and a FactEntry", "fact")
    for scheme in ("ICD10CM", "HPO", "LOINC", "SNOMEDCT", "UMLS", "MONDO", "ORPHA", "OMIM", "MESH"):
        if scheme in entry.identifiers:
            return f"{kind}:{scheme}:{entry.identifiers[scheme]}"
    return f"{kind}:label:{_fold(entry.label)}"


@dataclass
class _MergedFact:
    kind: FactKind
    entry: FactEntry
    code: str | None
    sources: dict[Source, None] = field(default_factory=dict)  # an ordered set: merging stays linear


@dataclass
class _Disease:
    code: str
    label: str | None = None
    identifiers: dict[str, str] = field(default_factory=dict)
    about: dict[str, None] = field(default_factory=dict)
    facts: dict[str, _MergedFact] = field(default_factory=dict)
    gaps: dict[FactKind, tuple[str, list[Source]]] = field(default_factory=dict)
    sources: dict[Source, None] = field(default_factory=dict)


class KnowledgeIndex:
    """The knowledge of a set of packs, checked against one release.

    Attributes
    ----------
    packs:
        The ids of the packs merged in, in order.
    problems:
        ``(pack file, message)`` for everything that did not resolve in the
        release (only when packs were loaded with ``on_missing="warn"``).
    """

    def __init__(
        self,
        kb: Classification,
        packs: Iterable[tuple[KnowledgePack, str]],
        on_missing: OnMissing | Literal["ignore"] = "error",
    ) -> None:
        # "ignore" (internal): keep the problems in .problems without warning.
        if type(on_missing) is not str or on_missing not in ("error", "warn", "ignore"):
            raise InvalidArgumentError(on_missing, "'error' or 'warn'", "on_missing")
        self.packs: tuple[str, ...] = ()
        self.problems: tuple[tuple[str, str], ...] = ()
        self._diseases: dict[str, _Disease] = {}
        for pack, name in packs:
            self._add(kb, pack, name, on_missing)
        self._profiles: dict[str, KnowledgeProfile] = {
            code: self._profile(disease) for code, disease in self._diseases.items()
        }
        self._reverse: dict[tuple[str, str], set[str]] = {}
        for code, profile in self._profiles.items():
            for fact in profile.facts:
                for key in self._keys(fact):
                    self._reverse.setdefault((fact.kind, key), set()).add(code)
        self._cause_codes: dict[str, set[str]] = {}
        for code, profile in self._profiles.items():
            for fact in profile.causes:
                if fact.code:
                    self._cause_codes.setdefault(fact.code, set()).add(code)
        # The classification's order: positions in the pre-order store (not strings: "10" < "2", C44 < C4A).
        self._kb_order: dict[str, tuple[int, str]] = {code: kb.ref(code) for code in self._profiles}
        self._sealed = True  # shared by every thread from here on: see __setattr__

    def __setattr__(self, name: str, value: object) -> None:
        if self.__dict__.get("_sealed", False):
            raise AttributeError(f"a KnowledgeIndex cannot be changed (tried to set {name!r})")
        object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"a KnowledgeIndex cannot be changed (tried to delete {name!r})")

    # --- building -------------------------------------------------------------

    def _add(self, kb: Classification, pack: KnowledgePack, name: str, on_missing: str) -> None:
        sources = {
            sid: Source(id=sid, pack=pack.id, title=s.title, url=s.url, publisher=s.publisher, accessed=s.accessed)
            for sid, s in pack.sources.items()
        }
        problems: list[tuple[str, str]] = []
        resolved: list[tuple[int, str, DiseaseEntry]] = []
        links: dict[tuple[int, str, int], str | None] = {}
        for i, disease in enumerate(pack.diseases):
            code = self._resolve(kb, disease.code)
            if code is None:
                problems.append(
                    (f"diseases[{i}].code", f"{disease.code!r} is not a code of ICD-10-CM {kb.release.name}")
                )
                continue
            resolved.append((i, code, disease))
            for plural in FACT_KINDS.values():
                for j, entry in enumerate(getattr(disease, plural)):
                    target = entry.identifiers.get("ICD10CM")
                    if target is None:
                        continue
                    link = self._resolve(kb, target)
                    if link is None:
                        problems.append(
                            (
                                f"diseases[{i}].{plural}[{j}].identifiers.ICD10CM",
                                f"{target!r} is not a code of ICD-10-CM {kb.release.name}"
                                + ("; left unlinked" if on_missing != "error" else ""),
                            )
                        )
                    links[(i, plural, j)] = link
        if problems and on_missing == "error":
            raise KnowledgePackError(name, problems)
        for where, message in problems:
            self.problems += ((name, f"{where}: {message}"),)
            if on_missing == "warn":
                warn(f"{name}: {where}: {message}", KnowledgeWarning)  # pointing at the user's line
        self.packs += (pack.id,)
        for i, code, disease in resolved:
            merged = self._diseases.setdefault(code, _Disease(code))
            cited = [sources[s] for s in disease.sources]
            merged.label = merged.label or disease.label
            for scheme, value in disease.identifiers.items():
                merged.identifiers.setdefault(scheme, value)
            merged.about.update(dict.fromkeys(disease.about))
            merged.sources.update(dict.fromkeys(cited))
            for plural, reason in disease.not_covered.items():
                kind = _PLURAL_TO_KIND[plural]
                if not any(f.kind == kind for f in merged.facts.values()):
                    merged.gaps.setdefault(kind, (reason, cited))
            for kind, plural in FACT_KINDS.items():
                for j, entry in enumerate(getattr(disease, plural)):
                    merged.gaps.pop(kind, None)
                    fact_sources = [sources[s] for s in entry.sources] or cited
                    key = fact_key(kind, entry)
                    existing = merged.facts.get(key)
                    if existing is None:
                        existing = merged.facts[key] = _MergedFact(kind, entry, links.get((i, plural, j)))
                    existing.sources.update(dict.fromkeys(fact_sources))
                    merged.sources.update(dict.fromkeys(fact_sources))

    @staticmethod
    def _resolve(kb: Classification, code: str) -> str | None:
        try:
            return kb.normalize(code)
        except ICD10KBError:
            return None

    @staticmethod
    def _profile(disease: _Disease) -> KnowledgeProfile:
        facts: dict[FactKind, list[Fact]] = {k: [] for k in FACT_KINDS}
        for merged in disease.facts.values():
            entry = merged.entry
            facts[merged.kind].append(
                Fact(
                    kind=merged.kind,
                    label=entry.label,
                    synonyms=entry.synonyms,
                    code=merged.code,
                    identifiers=tuple(Identifier(scheme=s, id=v) for s, v in entry.identifiers.items()),
                    group=entry.group,
                    qualifiers=entry.qualifiers,
                    sources=tuple(merged.sources),
                    remark=entry.remark,
                )
            )
        return KnowledgeProfile(
            code=disease.code,
            label=disease.label,
            identifiers=tuple(Identifier(scheme=s, id=v) for s, v in disease.identifiers.items()),
            about=tuple(disease.about),
            causes=tuple(facts["cause"]),
            symptoms=tuple(facts["symptom"]),
            tests=tuple(facts["test"]),
            treatments=tuple(facts["treatment"]),
            gaps=tuple(Gap(kind=k, reason=r, sources=tuple(s)) for k, (r, s) in disease.gaps.items()),
            sources=tuple(disease.sources),
        )

    @staticmethod
    def _keys(fact: Fact) -> set[str]:
        keys = {_fold(fact.label), *(_fold(s) for s in fact.synonyms)}
        for identifier in fact.identifiers:
            keys.add(_fold(identifier.id))
            keys.add(_fold(identifier.curie))
        if fact.code:
            keys.add(_fold(fact.code))
        return keys

    # --- questions ------------------------------------------------------------

    @property
    def codes(self) -> tuple[str, ...]:
        """The codes that have knowledge, in the classification's order."""
        return tuple(sorted(self._profiles, key=lambda c: self._kb_order[c]))

    def profile(self, code: str, below: Iterable[str] = ()) -> KnowledgeProfile:
        """The profile of a canonical *code*, merged with those of the codes *below* it."""
        own = self._profiles.get(code)
        extra = [self._profiles[c] for c in below if c in self._profiles]
        if not extra:
            return own if own is not None else KnowledgeProfile(code=code)
        parts = ([own] if own else []) + extra

        def merged(attr: str) -> tuple[Any, ...]:
            seen: dict[Any, None] = {}
            for part in parts:
                for item in getattr(part, attr):
                    seen.setdefault(item, None)
            return tuple(seen)

        return KnowledgeProfile(
            code=code,
            label=own.label if own else None,
            identifiers=own.identifiers if own else (),
            about=own.about if own else (),
            causes=merged("causes"),
            symptoms=merged("symptoms"),
            tests=merged("tests"),
            treatments=merged("treatments"),
            gaps=own.gaps if own else (),
            sources=merged("sources"),
        )

    def codes_with(
        self, kind: FactKind, query: object, *, subsumed: bool = False, kb: Classification | None = None
    ) -> tuple[str, ...]:
        """Codes that have a fact of *kind* matching *query* (identifier or label, any case)."""
        if not isinstance(query, str) or len(query) > MAX_QUERY or not query.strip():
            from ..errors import InvalidCodeError

            raise InvalidCodeError(query, f"a non-empty label or identifier of at most {MAX_QUERY} characters", kind)
        query = str.__getitem__(query, slice(None))  # a plain str: a subclass's __eq__ is not trusted
        key = _fold(query)
        found = set(self._reverse.get((kind, key), ()))
        if kind == "cause" and subsumed and kb is not None:
            for scope in _scopes(kb, query):
                for cause, codes in self._cause_codes.items():
                    if cause == scope or kb.is_ancestor(scope, cause):
                        found |= codes
        return tuple(sorted(found, key=lambda c: self._kb_order[c]))
