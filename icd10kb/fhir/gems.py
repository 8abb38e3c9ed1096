"""ConceptMaps for the General Equivalence Mappings (GEMs) between ICD-9-CM and ICD-10-CM.

The GEMs (CMS and NCHS; the last release is FY2018) give, for each source
code, its targets and five flags: *approximate*, *no map*, *combination*,
*scenario* and *choice list*. :func:`gem_concept_map` turns rows
``(source, target, flags)`` — in the files' own spelling (``4280``,
``I509``, ``NoDx``) or dotted — into a FHIR R4 ``ConceptMap`` that the
server answers ``$translate`` from. How the flags become FHIR equivalences
is icd10kb's reading, in :func:`gem_equivalence`.

The rows come from whoever reads the GEM files (``icd10kb.groupers``, when
it ships them); nothing here reads a file.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..arguments import check_choice
from ..errors import InvalidArgumentError
from . import checks
from .concepts import SYSTEM
from .groupings import _concept_map
from .resources import DEFAULT_BASE

if TYPE_CHECKING:
    from ..kb import KnowledgeBase

__all__ = ["ICD9CM", "gem_concept_map", "gem_equivalence", "icd9_code"]

#: The canonical URL of ICD-9-CM (diagnoses) in FHIR.
ICD9CM = "http://hl7.org/fhir/sid/icd-9-cm"
_NO_DIAGNOSIS = "NoDx"


def gem_equivalence(flags: str) -> str:
    """The FHIR R4 equivalence of a GEM entry, from its five flags.

    *no map* gives ``unmatched``; a *combination* entry (the source needs
    several targets together) gives ``narrower``, each target covering part
    of it; an *approximate* one ``inexact``; any other ``equivalent``.

    Examples
    --------
    >>> gem_equivalence("00000"), gem_equivalence("10000"), gem_equivalence("10112"), gem_equivalence("11000")
    ('equivalent', 'inexact', 'narrower', 'unmatched')
    """
    # Approximate, no map and combination are 0 or 1; the scenario and the choice list are numbers 0-9.
    if (
        not isinstance(flags, str)
        or len(flags) != 5
        or set(flags[:3]) - {"0", "1"}
        or not (flags[3:].isascii() and flags[3:].isdigit())
    ):
        raise InvalidArgumentError(
            flags, "GEM flags are five digits: three of 0 or 1, then the scenario and choice list", "GEM flags"
        )
    if flags[1] == "1":
        return "unmatched"
    if flags[2] == "1":
        return "narrower"
    if flags[0] == "1":
        return "inexact"
    return "equivalent"


def icd9_code(code: str) -> str:
    """An ICD-9-CM diagnosis code with its dot (``4280`` → ``428.0``, ``E8809`` → ``E880.9``).

    Examples
    --------
    >>> icd9_code("4280"), icd9_code("V4501"), icd9_code("E8809"), icd9_code("428.0"), icd9_code("042")
    ('428.0', 'V45.01', 'E880.9', '428.0', '042')
    """
    text = code.strip() if isinstance(code, str) else ""
    if "." in text:
        return text
    head = 4 if text.startswith("E") else 3
    if not text.isalnum() or not 3 <= len(text) <= 5:
        raise InvalidArgumentError(code, "an ICD-9-CM diagnosis code has 3 to 5 characters", "ICD-9-CM code")
    return text if len(text) <= head else f"{text[:head]}.{text[head:]}"


def gem_concept_map(
    kb: KnowledgeBase,
    rows: Iterable[tuple[str, str, str]],
    *,
    direction: str,
    version: str = "FY2018",
    base: str = DEFAULT_BASE,
) -> dict[str, Any]:
    """A ``ConceptMap`` from GEM rows ``(source, target, flags)``.

    Parameters
    ----------
    kb:
        The ICD-10-CM release whose spelling the ICD-10-CM codes take
        (``I509`` → ``I50.9``); a code it does not hold is kept as written.
    rows:
        The GEM's lines, split into source, target and flags.
    direction:
        ``"9to10"`` (``2018_I9gem.txt``) or ``"10to9"`` (``2018_I10gem.txt``).
    version:
        The GEM release.

    Examples
    --------
    >>> cm = gem_concept_map(kb, [("4280", "I509", "10000")], direction="9to10")
    >>> cm["group"][0]["source"], cm["group"][0]["element"]
    ('http://hl7.org/fhir/sid/icd-9-cm', [{'code': '428.0', 'target': [{'code': 'I50.9', 'equivalence': 'inexact'}]}])
    """
    checked = checks.rows(rows, "GEM rows", (3, 3), empty=(1,))
    direction = check_choice(direction, ("9to10", "10to9"), "GEM direction")
    version, base = checks.text(version, "version"), checks.text(base, "base")

    def icd10(code: str) -> str:
        return kb.normalize(code) if kb.is_valid(code) else code

    converted: list[tuple[str, ...]] = []
    for source, target, flags in checked:
        kind = gem_equivalence(flags)
        if direction == "9to10":
            source, target = icd9_code(source), ("" if target == _NO_DIAGNOSIS else icd10(target))
        else:
            source, target = icd10(source), ("" if target == _NO_DIAGNOSIS else icd9_code(target))
        converted.append((source, "" if kind == "unmatched" else target, kind))
    forward = direction == "9to10"
    names = {
        "source": ICD9CM if forward else SYSTEM,
        "target": SYSTEM if forward else ICD9CM,
        "title": f"General Equivalence Mappings, {'ICD-9-CM to ICD-10-CM' if forward else 'ICD-10-CM to ICD-9-CM'}, "
        f"{version}",
        "version": version,
        "publisher": "CMS / NCHS (General Equivalence Mappings); converted by icd10kb",
    }
    release = kb.release.name
    return _concept_map(
        f"gem-{direction}",
        converted,
        names,
        "equivalent",
        None if forward else release,
        release if forward else None,
        None,
        base,
    )
