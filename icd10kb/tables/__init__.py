"""The coder's tables: the Table of Drugs and Chemicals, the Table of Neoplasms, the External Cause Index.

ICD-10-CM codes poisonings from the Table of Drugs and Chemicals, tumours
from the Table of Neoplasms and external causes from their own index. This
subpackage reads the official index XML format (:func:`read_index`, which
also reads the Index to Diseases and Injuries if you supply the file), ships
the FY2025 tables compiled (:func:`table`), and looks terms up in them
(:func:`drug`, :func:`neoplasm`, :func:`external_cause`,
:func:`index_lookup`), checking every code against the release in use.
:func:`index_terms` gives the tables' terms and codes to a search index.

Nothing here is imported by ``import icd10kb``.

Examples
--------
>>> from icd10kb import tables
>>> tables.drug("Warfarin", "underdosing", kb=kb).code
'T45.516'
"""

from __future__ import annotations

from .compiled import table
from .errors import AmbiguousTermError, UnknownTermError
from .lookup import BEHAVIOURS, INTENTS, drug, external_cause, index_lookup, neoplasm
from .models import SeventhCharacterChoice, TableCode, TableLookup
from .reader import IndexFile, IndexTerm, read_index
from .terms import IndexEntry, index_terms

__all__ = [
    "BEHAVIOURS",
    "INTENTS",
    "AmbiguousTermError",
    "IndexEntry",
    "IndexFile",
    "IndexTerm",
    "SeventhCharacterChoice",
    "TableCode",
    "TableLookup",
    "UnknownTermError",
    "drug",
    "external_cause",
    "index_lookup",
    "index_terms",
    "neoplasm",
    "read_index",
    "table",
]
