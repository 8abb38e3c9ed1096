"""Evaluating a ValueSet's ``compose`` over a release: membership and expansion.

A value set is a list of ``include`` entries (their union) less a list of
``exclude`` entries. Each entry names the ICD-10-CM system and either lists
concepts or filters them; the filters of one entry all apply. Supported
filters:

==================  ==============  ==========================================
property            op              meaning
==================  ==============  ==========================================
``concept``         ``is-a``        the concept and everything below it
``concept``         ``descendent-of``  everything below the concept
``concept``         ``is-not-a``    everything but the concept and its subtree
``parent``          ``=``           the concept's children
``kind``            ``=``, ``in``   concepts of that kind (``category`` …)
``notSelectable``   ``=``           ``false``: billable codes; ``true``: headers
==================  ==============  ==========================================

Work is bounded: :class:`Compose` takes a deadline (``time.monotonic()``
seconds) and raises a ``too-costly`` :class:`~icd10kb.fhir.inputs.FhirError`
once it passes.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from ..arguments import check_text
from .concepts import SYSTEM, UnknownConceptError, kb_code
from .inputs import FhirError

if TYPE_CHECKING:
    from ..kb import KnowledgeBase

__all__ = ["Compose", "text_matcher"]

_KINDS = frozenset({"chapter", "block", "category", "subcategory", "code"})
_WORD = re.compile(r"[0-9a-z]+")
Predicate = Callable[[str], bool]
#: An include or exclude entry: (listed codes, or None; subtree root, or None; predicates).
Entry = tuple[dict[str, None] | None, str | None, list[Predicate]]


def _bad(message: str, code: str = "invalid") -> FhirError:
    return FhirError(400, code, message)


def text_matcher(text: str) -> Callable[[str, str], bool]:
    """A test of ``(code, display)``: every word of *text* starts a word of the display, or the code starts with it.

    Examples
    --------
    >>> match = text_matcher("calc cut")
    >>> match("L94.2", "Calcinosis cutis"), match("L94.3", "Sclerodactyly")
    (True, False)
    >>> text_matcher("l94")("L94.2", "Calcinosis cutis")
    True
    """
    text = check_text(text, "text", 1000)
    words = _WORD.findall(text.casefold())
    head = text.strip().upper()

    def match(code: str, display: str) -> bool:
        if head and code.startswith(head):
            return True
        if not words:
            return False
        found = _WORD.findall(display.casefold())
        return all(any(w.startswith(word) for w in found) for word in words)

    return match


class Compose:
    """The compose of one value set, checked against a release and ready to answer.

    Parameters
    ----------
    kb:
        The release the codes belong to.
    compose:
        ``ValueSet.compose`` as JSON.
    deadline:
        ``time.monotonic()`` value after which work stops with ``too-costly``.
    """

    def __init__(self, kb: KnowledgeBase, compose: Any, deadline: float) -> None:
        self.kb = kb
        self.deadline = deadline
        if not isinstance(compose, dict):
            raise _bad("ValueSet.compose must be an object")
        includes = compose.get("include")
        excludes = compose.get("exclude", [])
        if not isinstance(includes, list) or not includes or not isinstance(excludes, list):
            raise _bad("ValueSet.compose must have a list of include entries")
        if len(includes) + len(excludes) > 50:
            raise _bad("ValueSet.compose has more than 50 include and exclude entries", "too-costly")
        self.includes = [self._entry(e, "include") for e in includes]
        self.excludes = [self._entry(e, "exclude") for e in excludes]

    def _tick(self) -> None:
        if time.monotonic() > self.deadline:
            raise FhirError(422, "too-costly", "the value set took too long to evaluate; narrow it or page it")

    def _code(self, value: Any, where: str) -> str:
        if not isinstance(value, str):
            raise _bad(f"{where} must be a code")
        try:
            return kb_code(self.kb, value)
        except UnknownConceptError as error:
            raise FhirError(422, "code-invalid", f"{where}: {error}") from None

    def _entry(self, entry: Any, what: str) -> Entry:
        """``(listed codes or None, subtree root or None, predicates)`` of one include or exclude entry."""
        if not isinstance(entry, dict):
            raise _bad(f"compose.{what} entries must be objects")
        if entry.get("valueSet"):
            raise FhirError(422, "not-supported", f"compose.{what}.valueSet is not supported by this server")
        if entry.get("system") != SYSTEM:
            raise FhirError(422, "not-supported", f"compose.{what}.system must be {SYSTEM}")
        version = entry.get("version")
        if version is not None and version != self.kb.release.name:
            raise FhirError(
                422, "not-found", f"compose.{what}.version {str(version)[:40]!r} is not {self.kb.release.name}"
            )
        concepts, filters = entry.get("concept"), entry.get("filter", [])
        if not isinstance(filters, list) or len(filters) > 10:
            raise _bad(f"compose.{what}.filter must be a list of at most 10 filters")
        if concepts is not None:
            if filters or not isinstance(concepts, list) or len(concepts) > 100_000:
                raise _bad(f"compose.{what}.concept must be a list (without filters)")
            listed = []
            for i, c in enumerate(concepts):
                if i % 1000 == 0:
                    self._tick()
                listed.append(
                    self._code(c.get("code") if isinstance(c, dict) else None, f"compose.{what}.concept[{i}]")
                )
            return dict.fromkeys(listed), None, []
        root: str | None = None
        predicates: list[Predicate] = []
        for f in filters:
            root, predicates = self._filter(f, what, root, predicates)
        return None, root, predicates

    def _filter(
        self, f: Any, what: str, root: str | None, predicates: list[Predicate]
    ) -> tuple[str | None, list[Predicate]]:
        kb = self.kb
        if not isinstance(f, dict) or not all(isinstance(f.get(k), str) for k in ("property", "op", "value")):
            raise _bad(f"compose.{what}.filter entries need a property, an op and a value (strings)")
        prop, op, value = f["property"], f["op"], f["value"]
        where = f"compose.{what}.filter {prop} {op} {value[:40]!r}"
        if prop == "concept" and op in ("is-a", "descendent-of", "is-not-a"):
            code = self._code(value, where)
            if op == "is-not-a":

                def outside(c: str) -> bool:
                    return c != code and not kb.is_ancestor(code, c)

                return root, [*predicates, outside]
            if op == "descendent-of":

                def below(c: str) -> bool:
                    return c != code

                predicates = [*predicates, below]
            if root is None or kb.is_ancestor(root, code) or root == code:
                return code, predicates
            if kb.is_ancestor(code, root):
                return root, predicates

            def nothing(c: str) -> bool:  # disjoint subtrees: nothing is in both
                return False

            return root, [*predicates, nothing]
        if prop == "parent" and op == "=":
            up = self._code(value, where)

            def child(c: str) -> bool:
                return kb.parent(c) == up

            return root, [*predicates, child]
        if prop == "kind" and op in ("=", "in"):
            kinds = frozenset(v.strip() for v in value.split(",")) if op == "in" else frozenset({value})
            if not kinds <= _KINDS:
                raise _bad(f"{where}: the kinds are {', '.join(sorted(_KINDS))}")

            def of_kind(c: str) -> bool:
                return kb.kind(c) in kinds

            return root, [*predicates, of_kind]
        if prop == "notSelectable" and op == "=" and value in ("true", "false"):
            billable = value == "false"

            def selectable(c: str) -> bool:
                return kb.is_billable(c) is billable

            return root, [*predicates, selectable]
        raise FhirError(422, "not-supported", f"{where}: this filter is not supported")

    def _members_of(self, entry: Entry) -> Iterable[str]:
        listed, root, predicates = entry
        if listed is not None:
            return listed
        kb = self.kb
        candidates: Iterable[str] = kb if root is None else (root, *kb.descendants(root))
        if not predicates:
            return candidates
        out = []
        for i, code in enumerate(candidates):
            if i % 2000 == 0:
                self._tick()
            if all(p(code) for p in predicates):
                out.append(code)
        return out

    def _in_entry(self, code: str, entry: Entry) -> bool:
        listed, root, predicates = entry
        if listed is not None:
            return code in listed
        if root is not None and code != root and not self.kb.is_ancestor(root, code):
            return False
        return all(p(code) for p in predicates)

    def contains(self, code: str) -> bool:
        """Whether the concept *code* (as the knowledge base spells it) is in the value set."""
        return any(self._in_entry(code, e) for e in self.includes) and not any(
            self._in_entry(code, e) for e in self.excludes
        )

    def members(self) -> list[str]:
        """Every member, in the order of the include entries and the classification, without repeats."""
        out: dict[str, None] = {}
        for entry in self.includes:
            self._tick()
            out.update(dict.fromkeys(self._members_of(entry)))
        if self.excludes:
            self._tick()
            return [c for c in out if not any(self._in_entry(c, e) for e in self.excludes)]
        return list(out)
