"""Look-ups in the coder's tables: a drug and an intent, a neoplasm site and a behaviour, an external cause.

Each function takes the knowledge base to check codes against (``kb=None``
means :func:`icd10kb.load`), finds the term (forgiving case, plurals and
modifiers; see :mod:`icd10kb.tables.matching`), follows ``see`` references
from a term that has no code of its own, reports ``see also`` references,
and returns a :class:`~icd10kb.tables.models.TableLookup`. A code the
release lacks is reported with the reason and never handed out.
"""

from __future__ import annotations

import re
import weakref
from typing import TYPE_CHECKING, Any

from ..arguments import check_text
from ..datasets import memo
from ..errors import InvalidArgumentError
from .codes import check, printed_stem
from .compiled import DATASET, TABLES, table
from .errors import AmbiguousTermError, UnknownTermError
from .matching import Matcher, Path, check_query
from .models import TableCode, TableLookup
from .reader import IndexFile, IndexTerm

if TYPE_CHECKING:
    from .. import KnowledgeBase

__all__ = ["BEHAVIOURS", "INTENTS", "drug", "external_cause", "index_lookup", "neoplasm"]

#: The intents of the Table of Drugs and Chemicals, in column order (columns 2 to 7).
INTENTS = ("accidental", "intentional self-harm", "assault", "undetermined", "adverse effect", "underdosing")
#: The behaviours of the Table of Neoplasms, in column order (columns 2 to 7).
BEHAVIOURS = ("malignant primary", "malignant secondary", "in situ", "benign", "uncertain", "unspecified")

_ALIASES = {
    "accident": "accidental",
    "unintentional": "accidental",
    "accidental (unintentional)": "accidental",
    "poisoning accidental (unintentional)": "accidental",
    "self-harm": "intentional self-harm",
    "self harm": "intentional self-harm",
    "intentional": "intentional self-harm",
    "intentional self harm": "intentional self-harm",
    "poisoning intentional self-harm": "intentional self-harm",
    "poisoning assault": "assault",
    "poisoning undetermined": "undetermined",
    "adverse": "adverse effect",
    "underdose": "underdosing",
    "primary": "malignant primary",
    "malignant": "malignant primary",
    "secondary": "malignant secondary",
    "metastatic": "malignant secondary",
    "ca in situ": "in situ",
    "carcinoma in situ": "in situ",
    "uncertain behavior": "uncertain",
    "uncertain behaviour": "uncertain",
    "unspecified behavior": "unspecified",
    "unspecified behaviour": "unspecified",
}
_MAX_HOPS = 6
_NAMES_CODES = re.compile(r"\b[A-Z][0-9][0-9A-Z]\b")
_SOURCE = "ICD-10-CM FY2025 "


def _kb(kb: object) -> KnowledgeBase:
    import icd10kb

    if kb is None:
        return icd10kb.load()
    if not isinstance(kb, icd10kb.KnowledgeBase):
        raise InvalidArgumentError(kb, "kb is a KnowledgeBase (icd10kb.load()) or None", "knowledge base")
    return kb


def _column(value: object, columns: tuple[str, ...], what: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidArgumentError(value, f"one of {', '.join(map(repr, columns))}, or None for all", what)
    value = check_text(value, what, 100)
    key = " ".join(value.lower().replace("_", " ").split())
    key = _ALIASES.get(key, key)
    if key not in columns:
        raise InvalidArgumentError(value, f"one of {', '.join(map(repr, columns))}, or None for all", what)
    return key


def _roots(which: str, index: IndexFile) -> tuple[IndexTerm, ...] | None:
    """The neoplasm table's sites are the subterms of its one main term, *Neoplasm, neoplastic*."""
    return index.terms[0].terms if which == "neoplasm" and len(index.terms) == 1 else None


def _matcher(which: str, index: object = None) -> Matcher:
    if index is None:

        def build() -> Matcher:
            shipped = table(which)
            return Matcher(shipped, TABLES[which][1], _roots(which, shipped))

        return memo(DATASET, f"matcher-{which}", build)
    index = _check_file(index, "an IndexFile read with icd10kb.tables.read_index, or None")
    expected = table(which).heading
    if len(index.heading) != len(expected) or index.heading[:1] != expected[:1]:
        shown = ", ".join(index.heading) or "none"
        raise InvalidArgumentError(
            index.name, f"its columns ({shown}) are not those of the {TABLES[which][1]}", "index"
        )
    return _user_matcher(index, TABLES[which][1], _roots(which, index))


_user_matchers: dict[int, tuple[weakref.ref[IndexFile], Matcher]] = {}
_checked_files: dict[int, weakref.ref[IndexFile]] = {}


def _check_file(index: object, hint: str) -> IndexFile:
    """*index* if it is an :class:`IndexFile` made as :func:`read_index` makes one (checked once per object).

    A file built by hand with other values in its fields (not text, a term twice, cells that do not
    fit the heading) would fail later, deep in a look-up: it is refused here, naming the field.
    """
    if not isinstance(index, IndexFile):
        raise InvalidArgumentError(index, hint, "index")
    known = _checked_files.get(id(index))
    if known is not None and known() is index:
        return index
    problem = _problem(index)
    if problem:
        raise InvalidArgumentError("<IndexFile>", f"{problem}; {hint}", "index")
    key, registry = id(index), _checked_files  # the callback may run when the module is being torn down
    registry[key] = weakref.ref(index, lambda _: registry.pop(key, None))
    return index


def _texts(values: object) -> bool:
    return type(values) is tuple and all(type(v) is str for v in values)


def _problem(index: IndexFile) -> str:
    """What is wrong with the fields of a hand-built :class:`IndexFile`, or ``''``."""
    if not _texts((index.name, index.sha256, index.version, index.title)) or not _texts(index.heading):
        return "its name, version, title and heading are text"
    columns = max(len(index.heading) - 1, 0)
    seen: set[int] = set()
    stack: list[object] = [index.terms]
    while stack:
        terms = stack.pop()
        if type(terms) is not tuple:
            return "its terms are tuples of IndexTerm"
        for term in terms:
            if type(term) is not IndexTerm or id(term) in seen:
                return "its terms are tuples of IndexTerm, each met once"
            seen.add(id(term))
            fields = (term.title, term.nemod, term.display, term.see, term.see_also, term.code, term.manif)
            if not _texts((*fields, term.subcat, term.seecat, term.warning)) or not _texts(term.cells):
                return f"the fields of a term are text (term {len(seen)})"
            if len(term.cells) != columns:
                return f"a term has {len(term.cells)} cells and the heading {columns} columns (term {len(seen)})"
            stack.append(term.terms)
    return ""


def _user_matcher(index: IndexFile, label: str, roots: tuple[IndexTerm, ...] | None = None) -> Matcher:
    """A matcher for a file the user read, kept while the file is."""
    entry = _user_matchers.get(id(index))
    if entry is not None and entry[0]() is index:
        return entry[1]
    matcher = Matcher(index, label, roots)
    key, registry = id(index), _user_matchers  # the callback may run when the module is being torn down
    registry[key] = (weakref.ref(index, lambda _: registry.pop(key, None)), matcher)
    return matcher


def _has_codes(term: IndexTerm) -> bool:
    return any(printed_stem(c) for c in term.cells) or bool(term.code or term.subcat or term.seecat)


def _why_not(reference: str) -> str:
    lowered = reference.lower()
    if "table of drugs" in lowered:
        return f"see {reference!r}: look the substance up with icd10kb.tables.drug (icd10kb drug NAME)"
    if "index to diseases" in lowered:
        return f"see {reference!r}: that is in the Index to Diseases and Injuries, which is not shipped"
    if _NAMES_CODES.search(reference):
        return f"see {reference!r}: it names codes, not a term of this table; read it as written"
    return f"see {reference!r}: no term of this table matches it"


def _follow(matcher: Matcher, path: Path) -> tuple[Path, tuple[str, ...], str]:
    followed: list[str] = []
    seen = {id(path[-1])}
    while path[-1].see and not _has_codes(path[-1]):
        reference = path[-1].see
        if len(followed) >= _MAX_HOPS:
            return path, tuple(followed), f"see {reference!r}: more than {_MAX_HOPS} references in a row"
        try:
            target = matcher.resolve(reference)
        except (UnknownTermError, AmbiguousTermError, InvalidArgumentError):
            return path, tuple(followed), _why_not(reference)
        if id(target[-1]) in seen:
            return path, tuple(followed), f"see {reference!r}: leads back to a term already visited"
        seen.add(id(target[-1]))
        followed.append(reference)
        path = target
    if path[-1].see:  # a 'see' beside a code of its own: reported, not followed
        return path, tuple(followed), f"see {path[-1].see!r}: not followed, the term has a code of its own"
    return path, tuple(followed), ""


def _lookup(
    which: str,
    matcher: Matcher,
    query: str | tuple[str, ...],
    kb: KnowledgeBase,
    column: str | None,
    names: tuple[str, ...],
) -> TableLookup:
    path, followed, unresolved = _follow(matcher, matcher.resolve(query))
    term = path[-1]
    codes: list[TableCode] = []
    if names:
        heading = matcher.index.heading
        for position, col in enumerate(names):
            if column is None or column == col:
                codes.append(check(kb, term.cells[position], col, heading[position + 1]))
    else:
        for value, col, element in (
            (term.code, "code", "code"),
            (term.manif, "manifestation", "manif"),
            (term.subcat, "see subcategory", "subcat"),
            (term.seecat, "see category", "seecat"),
        ):
            if value:
                codes.append(check(kb, value, col, element))
    if term.terms and all(c.status == "no_code" for c in codes):
        hint = f"; choose one of its {len(term.terms)} subterms"
        codes = [c.model_copy(update={"reason": c.reason + hint}) for c in codes]
    see_also = tuple(t.see_also for t in path if t.see_also)
    return TableLookup(
        table=which,
        source=_source(which, matcher),
        query=query if isinstance(query, str) else ", ".join(query),
        path=tuple(t.title for t in path),
        display=term.display,
        column=column,
        codes=tuple(codes),
        see=followed,
        see_also=see_also,
        unresolved=unresolved,
        subterms=tuple(t.title for t in term.terms),
        release=kb.release.name,
    )


def _source(which: str, matcher: Matcher) -> str:
    if which in TABLES and matcher.index is table(which):
        return _SOURCE + TABLES[which][1]
    version = f", version {matcher.index.version}" if matcher.index.version else ""
    return f"{matcher.label} ({matcher.index.name}{version})"


def drug(substance: object, intent: object = None, *, kb: Any = None, index: Any = None) -> TableLookup:
    """Look a drug or chemical up in the Table of Drugs and Chemicals.

    Parameters
    ----------
    substance:
        The substance, optionally with subterms (``'Alcohol, ethyl'``).
    intent:
        ``'accidental'``, ``'intentional self-harm'``, ``'assault'``,
        ``'undetermined'``, ``'adverse effect'`` or ``'underdosing'``
        (a few spellings are accepted); None for all six.
    kb:
        The knowledge base whose release the codes are checked against
        (None: :func:`icd10kb.load`).
    index:
        A Table of Drugs and Chemicals of another year, read with
        :func:`~icd10kb.tables.read_index` (None: the shipped FY2025 table).

    Returns
    -------
    TableLookup
        The codes asked for; each says what it still needs (the poisoning,
        adverse effect and underdosing codes take a 7th character: A, D or S).

    Raises
    ------
    UnknownTermError
        If the table has no such substance (with close names).
    InvalidArgumentError
        For an unknown intent or a substance that is not text.

    Examples
    --------
    >>> found = drug("acetaminophen", "accidental", kb=kb)
    >>> found.path, found.code
    (('Acetaminophen',), 'T39.1X1')
    >>> [choice.code for choice in found.codes[0].seventh_characters]
    ['T39.1X1A', 'T39.1X1D', 'T39.1X1S']
    """
    query, column, release = check_query(substance), _column(intent, INTENTS, "intent"), _kb(kb)
    return _lookup("drug", _matcher("drug", index), query, release, column, INTENTS)


def neoplasm(site: object, behaviour: object = None, *, kb: Any = None, index: Any = None) -> TableLookup:
    """Look a site up in the Table of Neoplasms.

    Parameters
    ----------
    site:
        The site, as in the table (``'lung'``, ``'lung, upper lobe'``,
        ``'skin of breast'``); a leading ``'Neoplasm'`` is allowed.
    behaviour:
        ``'malignant primary'``, ``'malignant secondary'``, ``'in situ'``,
        ``'benign'``, ``'uncertain'`` or ``'unspecified'`` (a few spellings
        are accepted); None for all six.
    kb:
        The knowledge base whose release the codes are checked against.
    index:
        A Table of Neoplasms of another year, read with
        :func:`~icd10kb.tables.read_index` (None: the shipped FY2025 table).

    Raises
    ------
    UnknownTermError, AmbiguousTermError, InvalidArgumentError
        For a site the table lacks, a site found at several places, or a bad behaviour.

    Examples
    --------
    >>> found = neoplasm("lungs", "secondary", kb=kb)
    >>> found.path, found.codes[0].printed, found.code
    (('Neoplasm, neoplastic', 'lung'), 'C78.0-', 'C78.0')
    """
    query, column, release = check_query(site), _column(behaviour, BEHAVIOURS, "behaviour"), _kb(kb)
    return _lookup("neoplasm", _matcher("neoplasm", index), query, release, column, BEHAVIOURS)


def external_cause(term: object, *, kb: Any = None, index: Any = None) -> TableLookup:
    """Look a term up in the External Cause of Injuries Index.

    *kb* is the knowledge base whose release the codes are checked against;
    *index* an External Cause Index of another year read with
    :func:`~icd10kb.tables.read_index` (None: the shipped FY2025 one).

    Examples
    --------
    >>> found = external_cause("fall from ladder", kb=kb)
    >>> found.path, found.code
    (('Fall, falling', 'from, off, out of', 'ladder'), 'W11')
    >>> found.codes[0].completions
    ('W11.XXXA', 'W11.XXXD', 'W11.XXXS')
    """
    query, release = check_query(term), _kb(kb)
    return _lookup("external", _matcher("external", index), query, release, None, ())


def index_lookup(index: object, term: object, *, kb: Any = None) -> TableLookup:
    """Look a term up in an index file you read with :func:`~icd10kb.tables.read_index`.

    This is how the Index to Diseases and Injuries (not shipped) is used:
    read it once, then look terms up in it. Codes, manifestation codes and
    ``see subcategory``/``see category`` codes are checked against the
    release like the tables' codes.

    Examples
    --------
    >>> import io
    >>> from icd10kb.tables import read_index
    >>> index = read_index(io.BytesIO(b'''<ICD10CM.index><letter><title>C</title>
    ...   <mainTerm><title>Calcinosis<nemod>(generalized)</nemod></title><code>E83.59</code>
    ...     <term level="1"><title>cutis</title><code>L94.2</code></term></mainTerm>
    ... </letter></ICD10CM.index>'''))
    >>> index_lookup(index, "calcinosis cutis", kb=kb).code
    'L94.2'
    """
    index = _check_file(index, "read the file with icd10kb.tables.read_index first")
    if index.heading:
        raise InvalidArgumentError(index.name, "this file is a table; use drug() or neoplasm() for tables", "index")
    query, release = check_query(term), _kb(kb)
    return _lookup("index", _user_matcher(index, index.title or "index"), query, release, None, ())
