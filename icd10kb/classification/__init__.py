"""The classification core: code syntax, official-file readers, compiled releases, the store, lookup and traversal.

Nothing here knows of notes, knowledge, search or any other feature: those
are layers above, functions over a :class:`~icd10kb.classification.core.Classification`.
"""
