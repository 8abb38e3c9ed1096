"""The pydantic models of a search result: the fields, their validation and their JSON Schema.

:meth:`~icd10kb.search.index.SearchIndex.search` hands out the lightweight
records of :mod:`icd10kb.search.hits`, which read as these models and turn
into them for pydantic's work (``model_dump``, ``model_json_schema`` ...), so
that a search in a fresh process need not import pydantic.
"""

from __future__ import annotations

from pydantic import Field

from ..classification.models import Frozen

__all__ = ["Match", "SearchHit"]


class Match(Frozen):
    """One text of a hit that holds query words."""

    field: str = Field(description="Where the text stands: title, inclusion term, includes, or knowledge.")
    text: str = Field(description="The text itself.")
    words: tuple[str, ...] = Field(description="The query's words (as folded and trimmed) that it holds.")


class SearchHit(Frozen):
    """One result of a search."""

    code: str = Field(description="The concept's identifier.")
    title: str = Field(description="The concept's title.")
    score: float = Field(description="Relevance; higher is better. Comparable within one search only.")
    matched_words: int = Field(description="How many of the query's words the concept holds.")
    query_words: int = Field(description="How many words the query has (after folding).")
    matches: tuple[Match, ...] = Field(description="The texts that matched, best field first.")
    corrections: tuple[tuple[str, str], ...] = Field(
        default=(), description="Query words read as other words (typo, word): ('calcinossis', 'calcinosis')."
    )
    seventh_characters: int = Field(default=0, description="How many 7th-character codes lie below this code.")
