"""Reading knowledge packs and answering questions about the knowledge they hold.

:func:`read_pack` reads and validates one pack file (JSON, or YAML with the
``yaml`` extra). :class:`KnowledgeIndex` merges packs against a loaded
release: every code is checked to exist in it, facts that two packs share
keep the sources of both, and reverse indexes answer "which codes present
with this symptom / are caused by that disease / are diagnosed by that test".
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from pydantic import ValidationError

from ..errors import DataFileError, ICD10KBError, InvalidArgumentError, KnowledgePackError, KnowledgeWarning
from ..files import NamedBytes, describe, read_bytes
from ..files import Source as FileSource
from ..knowledge.models import (
    DiseaseEntry,
    Fact,
    FactEntry,
    FactKind,
    Gap,
    Identifier,
    KnowledgePack,
    KnowledgeProfile,
    Source,
)

if TYPE_CHECKING:
    from ..classification.core import Classification

__all__ = ["FACT_KINDS", "KnowledgeIndex", "builtin_packs", "fact_key", "read_pack"]

OnMissing = Literal["error", "warn"]

#: Fact kinds and the pack field that holds them.
FACT_KINDS: dict[FactKind, str] = {"cause": "causes", "symptom": "symptoms", "test": "tests", "treatment": "treatments"}
_PLURAL_TO_KIND: dict[str, FactKind] = {v: k for k, v in FACT_KINDS.items()}
_SPACE = re.compile(r"\s+")


def _fold(text: str) -> str:
    return _SPACE.sub(" ", text).strip().casefold()


def _location(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _parse(data: bytes, name: str) -> Any:
    lowered = name.lower()
    if lowered.endswith((".yaml", ".yml", ".yaml.gz", ".yml.gz")):
        try:
            import yaml
        except ImportError:
            raise KnowledgePackError(name, [("", "YAML packs need PyYAML: pip install 'icd10kb[yaml]'")]) from None
        try:
            return yaml.safe_load(data.decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise KnowledgePackError(name, [("", f"not UTF-8 text at byte {exc.start}")]) from None
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark is not None else None
            column = mark.column + 1 if mark is not None else None
            raise KnowledgePackError(
                name, [("", f"malformed YAML: {getattr(exc, 'problem', exc)}")], line, column
            ) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise KnowledgePackError(
            name, [("", f"not UTF-8 text: byte {data[exc.start]:#x} at offset {exc.start}")], line
        ) from None
    try:
        return json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except _DuplicateKey as exc:
        raise KnowledgePackError(name, [("", f"the key {exc.key!r} appears twice in one object")]) from None
    except json.JSONDecodeError as exc:
        raise KnowledgePackError(name, [("", f"malformed JSON: {exc.msg}")], exc.lineno, exc.colno) from None
    except RecursionError:
        raise KnowledgePackError(name, [("", "nested too deeply")]) from None


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


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


def _problems(errors: list[Any]) -> list[tuple[str, str]]:
    """pydantic's errors as (place, message), most precise first-hand."""
    # A list whose items failed is also "too short" once they are dropped; say only what is wrong inside.
    inner = {tuple(e["loc"][:i]) for e in errors for i in range(1, len(e["loc"])) if isinstance(e["loc"][i], int)}
    problems: list[tuple[str, str]] = []
    for error in errors:
        if error["type"] == "too_short" and tuple(error["loc"]) in inner:
            continue
        message = error["msg"].removeprefix("Value error, ")
        if not error["loc"] and ": " in message:  # the pack-wide checks name their own places
            for part in message.split("; "):
                where, _, what = part.partition(": ")
                problems.append((where, what))
        else:
            problems.append((_location(error["loc"]), message))
    return problems


def read_pack(source: FileSource | KnowledgePack | dict[str, Any]) -> tuple[KnowledgePack, str]:
    """Read and validate one knowledge pack.

    Parameters
    ----------
    source:
        A path, ``PathLike`` or binary file object (JSON, or YAML when the
        name ends in ``.yaml``/``.yml``; gzip is read transparently), an
        already parsed ``dict``, or a :class:`KnowledgePack`.

    Returns
    -------
    tuple
        ``(pack, name)``: the validated pack and a name for messages.

    Raises
    ------
    KnowledgePackError
        If the file cannot be read or parsed, or the pack is invalid; it
        lists every problem with its place (a JSON path such as
        ``diseases[0].symptoms[1].identifiers``).

    Examples
    --------
    >>> pack, _ = read_pack({"format": "icd10kb-knowledge/1", "id": "x", "title": "X",
    ...     "sources": {"s": {"title": "S"}},
    ...     "diseases": [{"code": "L94.2", "label": "Calcinosis cutis", "sources": ["s"]}]})
    >>> pack.diseases[0].code
    'L94.2'
    >>> read_pack({"format": "icd10kb-knowledge/1"})
    Traceback (most recent call last):
      ...
    icd10kb.errors.KnowledgePackError: <pack>: invalid knowledge pack (4 problem(s)): id: Field required; ...
    """
    if isinstance(source, KnowledgePack):
        return source, f"<pack {source.id}>"
    if isinstance(source, dict):
        raw, name = source, "<pack>"
    else:
        name = describe(source)
        try:
            data, name, _ = read_bytes(source)
        except DataFileError as exc:
            raise KnowledgePackError(name, [("", exc.message)]) from None
        raw = _parse(data, name)
    if not isinstance(raw, dict):
        raise KnowledgePackError(name, [("", f"the top level must be an object, not {type(raw).__name__}")])
    try:
        return KnowledgePack.model_validate(raw), name
    except ValidationError as exc:
        problems = _problems(exc.errors(include_url=False))
        raise KnowledgePackError(name, problems) from None


def builtin_packs() -> list[tuple[KnowledgePack, str]]:
    """The knowledge packs shipped in the package: every dataset of kind ``"knowledge"``."""
    from ..datasets import describe, names, read

    packs = []
    for name in names():
        info = describe(name)
        if info.kind == "knowledge":
            for entry in info.files:
                packs.append(read_pack(NamedBytes(read(name, entry.path), f"icd10kb/data/{entry.path}")))
    return packs


def fact_key(kind: str, entry: FactEntry) -> str:
    """The identity of a fact for merging: its strongest identifier, else its label."""
    for scheme in ("ICD10CM", "HPO", "LOINC", "SNOMEDCT", "UMLS", "MONDO", "ORPHA", "OMIM", "MESH"):
        if scheme in entry.identifiers:
            return f"{kind}:{scheme}:{entry.identifiers[scheme]}"
    return f"{kind}:label:{_fold(entry.label)}"


@dataclass
class _MergedFact:
    kind: FactKind
    entry: FactEntry
    code: str | None
    sources: list[Source] = field(default_factory=list)


@dataclass
class _Disease:
    code: str
    label: str | None = None
    identifiers: dict[str, str] = field(default_factory=dict)
    about: list[str] = field(default_factory=list)
    facts: dict[str, _MergedFact] = field(default_factory=dict)
    gaps: dict[FactKind, tuple[str, list[Source]]] = field(default_factory=dict)
    sources: list[Source] = field(default_factory=list)


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
        self, kb: Classification, packs: Iterable[tuple[KnowledgePack, str]], on_missing: OnMissing = "error"
    ) -> None:
        if on_missing not in ("error", "warn"):
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
        self._kb_order = {code: kb.ref(code) for code in self._profiles}

    # --- building -------------------------------------------------------------

    def _add(self, kb: Classification, pack: KnowledgePack, name: str, on_missing: OnMissing) -> None:
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
                                + ("; left unlinked" if on_missing == "warn" else ""),
                            )
                        )
                    links[(i, plural, j)] = link
        if problems and on_missing == "error":
            raise KnowledgePackError(name, problems)
        for where, message in problems:
            self.problems += ((name, f"{where}: {message}"),)
            warnings.warn(f"{name}: {where}: {message}", KnowledgeWarning, stacklevel=4)
        self.packs += (pack.id,)
        for i, code, disease in resolved:
            merged = self._diseases.setdefault(code, _Disease(code))
            cited = [sources[s] for s in disease.sources]
            merged.label = merged.label or disease.label
            for scheme, value in disease.identifiers.items():
                merged.identifiers.setdefault(scheme, value)
            merged.about += [a for a in disease.about if a not in merged.about]
            merged.sources += [s for s in cited if s not in merged.sources]
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
                    existing.sources += [s for s in fact_sources if s not in existing.sources]
                    merged.sources += [s for s in fact_sources if s not in merged.sources]

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
        if not isinstance(query, str) or not query.strip():
            from ..errors import InvalidCodeError

            raise InvalidCodeError(query, "a non-empty label or identifier", kind)
        key = _fold(query)
        found = set(self._reverse.get((kind, key), ()))
        if kind == "cause" and subsumed and kb is not None:
            for scope in _scopes(kb, query):
                for cause, codes in self._cause_codes.items():
                    if cause == scope or kb.is_ancestor(scope, cause):
                        found |= codes
        return tuple(sorted(found, key=lambda c: self._kb_order[c]))
