"""ICD-10-CM concepts as FHIR sees them: codes, displays, properties and designations.

The FHIR code system ``http://hl7.org/fhir/sid/icd-10-cm`` holds every
concept of a release, headers included:

- a **code** (``L94.2``, ``S72.001A``) keeps its canonical spelling;
- a **block** keeps its range (``L80-L99``): ICD-10-CM codes never hold a
  ``-``, so a range cannot be taken for a code;
- a **chapter** becomes ``chapter-12``: the bare chapter number is not an
  ICD-10-CM identifier, and the prefix keeps it apart from anything a later
  release could add.

:func:`fhir_code` and :func:`kb_code` turn one spelling into the other.
Codes are case-sensitive in FHIR: ``l94.2`` is not a code of the code
system (the server says which code was meant).

Properties of each concept (declared in :data:`PROPERTIES`): ``parent`` and
``child`` (the hierarchy), ``kind``, ``notSelectable`` (true for headers:
chapters, blocks and codes that are not valid on a claim),
``seventhCharacter`` and ``seventhCharacterMeaning`` for 7th-character
codes, and one string property per kind of instructional note
(``excludes1``, ``codeFirst`` …). Inclusion terms become designations with
the SNOMED CT use *Synonym* (900000000000013009).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..arguments import check_bool
from ..errors import ICD10KBError, shorten

if TYPE_CHECKING:
    from ..kb import KnowledgeBase

__all__ = [
    "CONCEPT_PROPERTY_URI",
    "NOTE_PROPERTIES",
    "PROPERTIES",
    "SYNONYM",
    "SYSTEM",
    "concept_entry",
    "describe",
    "designations",
    "fhir_code",
    "kb_code",
    "properties",
]

#: The canonical URL of ICD-10-CM in FHIR (terminology.hl7.org).
SYSTEM = "http://hl7.org/fhir/sid/icd-10-cm"
#: Base of the properties FHIR defines for every code system (parent, child, notSelectable).
CONCEPT_PROPERTY_URI = "http://hl7.org/fhir/concept-properties"
#: The designation use for inclusion terms: SNOMED CT 900000000000013009 |Synonym|.
SYNONYM = {"system": "http://snomed.info/sct", "code": "900000000000013009", "display": "Synonym"}
_CHAPTER = "chapter-"

#: Property code of each kind of note (``kb.notes(code)[i].kind``); inclusion terms are designations instead.
NOTE_PROPERTIES = {
    "includes": "includes",
    "excludes1": "excludes1",
    "excludes2": "excludes2",
    "code_first": "codeFirst",
    "use_additional_code": "useAdditionalCode",
    "code_also": "codeAlso",
    "notes": "note",
    "seventh_character_note": "seventhCharacterNote",
    "seventh_characters": "seventhCharacterDefinition",
    "table": "table",
}

#: ``(code, uri, type, description)`` of every property the code system declares.
PROPERTIES: tuple[tuple[str, str | None, str, str], ...] = (
    ("parent", f"{CONCEPT_PROPERTY_URI}#parent", "code", "The concept's parent in the hierarchy."),
    ("child", f"{CONCEPT_PROPERTY_URI}#child", "code", "A child of the concept in the hierarchy."),
    ("kind", None, "code", "Where the concept stands: chapter, block, category, subcategory or code."),
    (
        "notSelectable",
        f"{CONCEPT_PROPERTY_URI}#notSelectable",
        "boolean",
        "True for headers (chapters, blocks and codes that are not valid on a claim).",
    ),
    ("seventhCharacter", None, "code", "For a 7th-character code: its 7th character."),
    ("seventhCharacterMeaning", None, "string", "For a 7th-character code: what its 7th character means."),
    ("excludes1", None, "string", "An Excludes1 note: the conditions are never coded together."),
    ("excludes2", None, "string", "An Excludes2 note: the condition is not part of this one."),
    ("includes", None, "string", "An Includes note."),
    ("codeFirst", None, "string", "A 'code first' note: the underlying condition is coded first."),
    ("useAdditionalCode", None, "string", "A 'use additional code' note."),
    ("codeAlso", None, "string", "A 'code also' note."),
    ("note", None, "string", "A general note."),
    ("seventhCharacterNote", None, "string", "The note that 7th characters apply."),
    ("seventhCharacterDefinition", None, "string", "One 7th character defined at this concept, with its meaning."),
    ("table", None, "string", "A table of the tabular list, as text."),
)


class UnknownConceptError(ICD10KBError, KeyError):
    """A string that is not a code of the FHIR code system (wrong case, bare chapter number, unknown code)."""

    def __init__(self, code: object, hint: str | None = None) -> None:
        self.code = code
        self.hint = hint
        super().__init__(code)

    def __str__(self) -> str:
        text = f"{shorten(self.code, 120)} is not a code of {SYSTEM}"
        return f"{text}; did you mean {self.hint}?" if self.hint else text


def fhir_code(kb: KnowledgeBase, code: str) -> str:
    """The FHIR code of a concept of *kb*: its identifier, or ``chapter-N`` for a chapter.

    Examples
    --------
    >>> fhir_code(kb, "12"), fhir_code(kb, "L80-L99"), fhir_code(kb, "l942")
    ('chapter-12', 'L80-L99', 'L94.2')
    """
    canonical = kb.normalize(code)
    return _CHAPTER + canonical if kb.kind(canonical) == "chapter" else canonical


def kb_code(kb: KnowledgeBase, code: object) -> str:
    """The knowledge base's identifier for a FHIR code, exactly as the code system spells it.

    Raises
    ------
    UnknownConceptError
        If *code* is not a code of the code system; it carries the code the
        user probably meant (``L94.2`` for ``l942``) when there is one.

    Examples
    --------
    >>> kb_code(kb, "chapter-12"), kb_code(kb, "L94.2")
    ('12', 'L94.2')
    >>> kb_code(kb, "l94.2")
    Traceback (most recent call last):
      ...
    icd10kb.fhir.concepts.UnknownConceptError: 'l94.2' is not a code of ...; did you mean L94.2?
    """
    if not isinstance(code, str) or not code or len(code) > 40:
        raise UnknownConceptError(code)
    if code.startswith(_CHAPTER):
        number = code[len(_CHAPTER) :]
        if number.isdigit() and kb.is_valid(number) and kb.kind(number) == "chapter" and kb.normalize(number) == number:
            return number
        raise UnknownConceptError(code)
    try:
        canonical = kb.normalize(code)
    except ICD10KBError:
        raise UnknownConceptError(code) from None
    if kb.kind(canonical) == "chapter":
        raise UnknownConceptError(code, _CHAPTER + canonical)
    if canonical != code:
        raise UnknownConceptError(code, canonical)
    return canonical


def designations(kb: KnowledgeBase, code: str) -> list[dict[str, Any]]:
    """The designations of a concept: its inclusion terms, as synonyms.

    Examples
    --------
    >>> [d["value"] for d in designations(kb, "L94.0")]
    ['Circumscribed scleroderma']
    """
    return describe(kb, code, children=False)[0]


def properties(kb: KnowledgeBase, code: str, *, children: bool = True, notes: bool = True) -> list[dict[str, Any]]:
    """The FHIR properties of a concept of *kb* (its own notes, not those it inherits).

    Parameters
    ----------
    kb:
        The knowledge base.
    code:
        The concept, as the knowledge base spells it.
    children:
        Include one ``child`` property per child.
    notes:
        Include the concept's notes as string properties.

    Examples
    --------
    >>> [(p["code"], p.get("valueCode", p.get("valueBoolean"))) for p in properties(kb, "L94.2")]
    [('parent', 'L94'), ('kind', 'code'), ('notSelectable', False)]
    >>> [p["valueString"] for p in properties(kb, "S72.001A") if p["code"] == "seventhCharacterMeaning"]
    ['initial encounter for closed fracture']
    """
    return describe(kb, code, children=children, notes=notes)[1]


def describe(
    kb: KnowledgeBase, code: str, *, children: bool = True, notes: bool = True
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """``(designations, properties)`` of a concept, reading its notes once."""
    code = kb.normalize(code)
    children, notes = check_bool(children, "children"), check_bool(notes, "notes")
    props: list[dict[str, Any]] = []
    parent = kb.parent(code)
    if parent is not None:
        props.append({"code": "parent", "valueCode": fhir_code(kb, parent)})
    if children:
        props.extend({"code": "child", "valueCode": fhir_code(kb, child)} for child in kb.children(code))
    kind = kb.kind(code)
    props.append({"code": "kind", "valueCode": kind})
    props.append({"code": "notSelectable", "valueBoolean": not kb.is_billable(code)})
    synonyms: list[dict[str, Any]] = []
    seventh = kb[code].seventh_character if len(code) == 8 else None
    if seventh is not None:
        props.append({"code": "seventhCharacter", "valueCode": seventh.character})
        props.append({"code": "seventhCharacterMeaning", "valueString": seventh.meaning})
    elif notes:
        for note in kb.notes(code):
            if note.kind == "inclusion_terms":
                synonyms.append({"language": "en", "use": SYNONYM, "value": note.text})
            elif note.kind in NOTE_PROPERTIES:
                props.append({"code": NOTE_PROPERTIES[note.kind], "valueString": note.text})
    return synonyms, props


def concept_entry(kb: KnowledgeBase, code: str, *, notes: bool = True) -> dict[str, Any]:
    """One ``CodeSystem.concept`` entry: code, display, designations and properties.

    Examples
    --------
    >>> entry = concept_entry(kb, "12")
    >>> entry["code"], entry["display"], entry["property"][0]
    ('chapter-12', 'Diseases of the skin and subcutaneous tissue (L00-L99)', {'code': 'child', 'valueCode': 'L00-L08'})
    """
    code = kb.normalize(code)
    notes = check_bool(notes, "notes")
    entry: dict[str, Any] = {"code": fhir_code(kb, code), "display": kb.title(code)}
    found, props = describe(kb, code, notes=notes)
    if found:
        entry["designation"] = found
    entry["property"] = props
    return entry
