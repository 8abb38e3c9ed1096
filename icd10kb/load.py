"""Loading a knowledge base: the shipped releases, or official files of any release.

``load()`` with no arguments returns the default release (ICD-10-CM
2026-04-01) with the built-in knowledge, built once and shared. Everything
else builds a new knowledge base and leaves the shared one untouched.
"""

from __future__ import annotations

import datetime
import os
import sys
import threading
from collections.abc import Iterable
from typing import Any, Literal

from .classification.compiled import from_classification, load_notes, read_sections
from .classification.releases import DEFAULT_RELEASE, read_hierarchy, read_notes, resolve
from .classification.store import Store
from .errors import InvalidArgumentError
from .files import NamedBytes, Source, read_bytes
from .kb import KnowledgeBase

__all__ = ["load", "load_tabular"]

OnMissing = Literal["error", "warn"]

#: The shared knowledge base of each shipped release, as `load(name)` gives it (built once).
_shared: dict[str, KnowledgeBase] = {}
_shared_lock = threading.Lock()


def _knowledge_loader(packs: Iterable[Any], builtin: bool, on_missing: OnMissing) -> Any:
    user = list(packs)

    def build(kb: KnowledgeBase) -> Any:
        from .knowledge.packs import builtin_packs, read_pack

        shipped = builtin_packs() if builtin else []
        return _merge(kb, shipped, [read_pack(p) for p in user], on_missing)

    return build


def _merge(kb: KnowledgeBase, shipped: list[Any], user: list[Any], on_missing: OnMissing) -> Any:
    """Merge shipped and user packs.

    Shipped packs never stop a release from loading: what does not resolve
    in an older release is left unlinked and listed in
    ``kb.knowledge_index.problems``. The user's packs follow *on_missing*.
    """
    from .knowledge.index import KnowledgeIndex

    if user:
        KnowledgeIndex(kb, user, on_missing)  # raises, or warns, about the user's own packs
    # "ignore": the problems are kept in .problems without a warning; the
    # process-wide warning filters are never touched (they are not thread-safe).
    return KnowledgeIndex(kb, shipped + user, "ignore")


def _packs(knowledge: object) -> tuple[Any, ...]:
    """The packs argument as a tuple: one pack (path, file, dict) or an iterable of them."""
    if isinstance(knowledge, (str, bytes, os.PathLike, dict)) or hasattr(knowledge, "read"):
        return (knowledge,)
    models = sys.modules.get(f"{__package__}.knowledge.models")  # a KnowledgePack exists only if it was imported
    if models is not None and isinstance(knowledge, models.KnowledgePack):
        return (knowledge,)
    try:
        return tuple(knowledge)  # type: ignore[arg-type]
    except TypeError:
        raise InvalidArgumentError(
            knowledge, "give a knowledge pack (path, file, dict) or a list of them", "knowledge argument"
        ) from None


def _options(builtin_knowledge: object, on_missing: object) -> None:
    if not isinstance(builtin_knowledge, bool):
        raise InvalidArgumentError(builtin_knowledge, "True or False", "builtin_knowledge")
    if type(on_missing) is not str or on_missing not in ("error", "warn"):
        raise InvalidArgumentError(on_missing, "'error' or 'warn'", "on_missing")


def _surrogates(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def load(
    release: str | None = None,
    *,
    date: object = None,
    knowledge: Iterable[Any] = (),
    builtin_knowledge: bool = True,
    on_missing: OnMissing = "error",
) -> KnowledgeBase:
    """Load a release shipped with the package.

    Parameters
    ----------
    release:
        The release's name (see :func:`icd10kb.releases`), or a fiscal year
        (``"FY2025"``, ``"2025"``: the newest shipped release of that year);
        default ``"2026-04-01"``, the newest complete official release
        (``"2027"`` is FY2027, in force since 2026-10-01, built from
        2026-04-01 and the FY2027 addenda: see :doc:`the FY2027 how-to
        <howto/fy2027>`).
    date:
        Instead of *release*: the release in force on this date of service
        (a ``datetime.date`` or ``"YYYY-MM-DD"``), by the fiscal year that
        starts on October 1 and the April 1 updates; an error when that
        release is not shipped (see :func:`icd10kb.history.load_for_date`).
    knowledge:
        Knowledge packs to add: paths, binary file objects, dicts or
        :class:`~icd10kb.knowledge.models.KnowledgePack` values. They are read
        and checked now; a pack that is invalid raises
        :class:`~icd10kb.errors.KnowledgePackError`.
    builtin_knowledge:
        Include the packs shipped with the package (the L94.2 knowledge).
    on_missing:
        What to do when a pack names a code the release lacks: ``"error"``
        raises :class:`~icd10kb.errors.KnowledgePackError`, ``"warn"`` issues
        a :class:`~icd10kb.errors.KnowledgeWarning` and leaves it out.

    Returns
    -------
    KnowledgeBase
        Without packs, the shared knowledge base of that release (built
        once); with packs, a new one.

    Raises
    ------
    UnknownReleaseError
        If no such release is shipped.
    DataFileError
        If a shipped data file is damaged.

    Examples
    --------
    >>> import icd10kb
    >>> icd10kb.load() is icd10kb.load()
    True
    >>> icd10kb.load("2025-04-01").release.name
    '2025-04-01'
    >>> icd10kb.load(date="2026-12-06").release.name, icd10kb.load("FY2025").release.name
    ('2027', '2025-04-01')
    """
    knowledge = _packs(knowledge)
    _options(builtin_knowledge, on_missing)
    if date is not None:
        if release is not None:
            raise InvalidArgumentError(date, "give a release or a date, not both", "date")
        from .history.loader import shipped_for_date

        name = shipped_for_date(date)
    elif release is None:
        name = DEFAULT_RELEASE
    else:
        name = resolve(release)
    if not knowledge and builtin_knowledge and on_missing == "error":  # the shared one of each release
        shared = _shared.get(name)
        if shared is None:
            with _shared_lock:
                shared = _shared.get(name)
                if shared is None:
                    shared = _shared[name] = _load_shipped(name, (), True, on_missing)
        return shared
    return _load_shipped(name, tuple(knowledge), builtin_knowledge, on_missing)


def _load_shipped(name: str, knowledge: tuple[Any, ...], builtin: bool, on_missing: OnMissing) -> KnowledgeBase:
    store = Store(read_hierarchy(name))
    loader = _knowledge_loader(knowledge, builtin, on_missing)
    kb = KnowledgeBase(store, lambda: read_notes(name), loader, name, builtin_only=builtin and not knowledge)
    if knowledge:
        kb.knowledge_index  # noqa: B018 - read and check the user's packs now
    return kb


def load_tabular(
    tabular: Source,
    code_list: Source | None = None,
    *,
    name: str | None = None,
    effective: datetime.date | str | None = None,
    knowledge: Iterable[Any] = (),
    builtin_knowledge: bool = True,
    on_missing: OnMissing = "warn",
) -> KnowledgeBase:
    """Load any release from the official files.

    Parameters
    ----------
    tabular:
        The tabular XML (``icd10cm-tabular-*.xml``, plain or gzip): a path,
        ``PathLike`` or binary file object.
    code_list:
        The release's code list (NCHS item list, CMS order file or CMS code
        file). With it, 7th-character validity is exact; without it, every
        7th character the rules allow is accepted.
    name, effective:
        How to call the release and when it took effect (default: the
        version written in the file, and unknown).
    knowledge, builtin_knowledge, on_missing:
        As for :func:`load`; shipped packs that name codes missing from the
        release are left unlinked.

    Raises
    ------
    DataFileError
        If a file is malformed or hostile, naming the file and position.
    """
    from .classification.tabular import read_tabular

    effective_given = effective
    knowledge = _packs(knowledge)
    _options(builtin_knowledge, on_missing)
    if name is not None and (
        type(name) is not str or not name.strip() or len(name) > 100 or not name.isprintable() or _surrogates(name)
    ):
        raise InvalidArgumentError(
            name, "a release name is printable text (no lone surrogates) of at most 100 characters", "name"
        )
    if effective is not None:
        # A datetime is a date too, but its str() is not a date: refused rather than mangled.
        if type(effective) is datetime.date:
            pass
        elif type(effective) is str and len(effective) <= 10:
            try:
                effective = datetime.date.fromisoformat(effective)
            except ValueError:
                effective = None
        else:
            effective = None
        if effective is None:
            raise InvalidArgumentError(
                effective_given, "a date is given as datetime.date or 'YYYY-MM-DD'", "effective date"
            )
    data = read_tabular(tabular, code_list)
    release = {
        "name": name or data.version or "unnamed",
        "classification": "ICD-10-CM",
        "version": data.version,
        "effective": str(effective) if effective is not None else None,
        "title": f"ICD-10-CM {name or data.version} (loaded from official files)",
        "source": "National Center for Health Statistics (NCHS), Centers for Disease Control and Prevention",
        "license": "Public domain: a work of the United States government",
        "files": [{"name": n, "sha256": s} for n, s in data.files],
    }
    hierarchy, notes = from_classification(data, release)
    store = Store(read_sections(hierarchy, data.files[0][0]))
    notes_loader = lambda: load_notes(read_bytes(NamedBytes(notes, "<compiled notes>"))[0], "<compiled notes>")  # noqa: E731
    kb = KnowledgeBase(store, notes_loader, _knowledge_loader(knowledge, builtin_knowledge, on_missing))
    if knowledge:
        kb.knowledge_index  # noqa: B018
    return kb
