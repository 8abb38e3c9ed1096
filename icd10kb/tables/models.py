"""The results of the table look-ups: frozen pydantic models.

A :class:`TableLookup` says which term of which table was used (the path of
index terms, main term first), which ``see`` references were followed, what
``see also`` references the terms carry, and one :class:`TableCode` per
column asked for. A :class:`TableCode` says whether the code is handed out
(only when the release in use has it), and in plain words what it still
needs (a 7th character, more characters).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["CodeStatus", "SeventhCharacterChoice", "TableCode", "TableLookup"]

CodeStatus = Literal["complete", "incomplete", "not_in_release", "no_code"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SeventhCharacterChoice(_Frozen):
    """One 7th character a code can take, from the release's tabular list."""

    character: str = Field(description="The 7th character, e.g. 'A'.")
    meaning: str = Field(description="What it means, e.g. 'initial encounter'.")
    code: str = Field(description="The complete code with it, e.g. 'T39.1X1A'.")


class TableCode(_Frozen):
    """One code of a table row or index term, checked against the release in use."""

    column: str = Field(
        description="What the code is for: an intent ('accidental', ...), a behaviour ('malignant primary', ...), "
        "or for an index term 'code', 'manifestation', 'see subcategory' or 'see category'."
    )
    heading: str = Field(description="The column heading or element as the official file names it.")
    printed: str = Field(description="The code as printed in the table, e.g. 'T39.1X1', 'C34.9-', '--'.")
    code: str | None = Field(description="The code handed out: set only when the release has it.")
    status: CodeStatus = Field(
        description="'complete' (billable as it stands), 'incomplete' (more characters needed, see 'needs'), "
        "'not_in_release' (the release lacks it: not handed out), 'no_code' (the table gives none here)."
    )
    needs: str = Field(description="In plain words, what the code still needs; '' when complete or absent.")
    seventh_characters: tuple[SeventhCharacterChoice, ...] = Field(
        description="When the code needs only a 7th character: the choices, from the release's tabular list."
    )
    completions: tuple[str, ...] = Field(
        description="The billable codes the code leads to (at most 60), from the release in use."
    )
    reason: str = Field(description="Why no code is handed out; '' when one is.")


class TableLookup(_Frozen):
    """The answer of a look-up in a table or index."""

    table: Literal["drug", "neoplasm", "external", "index"] = Field(description="Which table was searched.")
    source: str = Field(description="The table and its version, e.g. 'ICD-10-CM FY2025 Table of Drugs and Chemicals'.")
    query: str = Field(description="The term as given.")
    path: tuple[str, ...] = Field(description="The index terms used, main term first (after any 'see').")
    display: str = Field(description="The last term as printed, with its non-essential modifier.")
    column: str | None = Field(description="The intent or behaviour asked for; None for all columns.")
    codes: tuple[TableCode, ...] = Field(description="One entry per column asked for, in table order.")
    see: tuple[str, ...] = Field(description="The 'see' references followed to get here, in order.")
    see_also: tuple[str, ...] = Field(description="'See also' references of the terms on the path.")
    unresolved: str = Field(description="A 'see' reference that was not followed, and why; '' if none.")
    subterms: tuple[str, ...] = Field(description="Subterms of the last term: more specific entries to consider.")
    release: str = Field(description="The ICD-10-CM release the codes were checked against.")

    @property
    def code(self) -> str | None:
        """The first code handed out, or None.

        Examples
        --------
        >>> from icd10kb.tables import drug
        >>> drug("Acetaminophen", "accidental", kb=kb).code
        'T39.1X1'
        """
        for entry in self.codes:
            if entry.code is not None:
                return entry.code
        return None
