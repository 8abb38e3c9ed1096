"""The phenotype layer of ``kb.graph``, compiled ahead of time for every shipped release.

:func:`~icd10kb.phenotypes.graph.graph_edges` reads the HPO ontology, every
annotation row and the disease links to make the layer's 6,500 nodes and
27,000 edges, which takes longer than the rest of the graph together.
``scripts/build_graph_layer.py`` does it once per shipped release and writes
the result into the dataset :data:`DATASET`, one file a release: the nodes and
edges as :func:`graph_edges` gives them, as JSON (tuples written as lists and
read back as tuples), each distinct set of edge attributes written once (an
edge names its attributes by their place in that list: 27,000 edges share
3,300 of them, and share them in the graph too). ``tests/test_graph_build.py`` checks that the graph
equals one built with networkx's own calls from :func:`graph_edges`, and the
build script's output is compared byte for byte with what is shipped.

Examples
--------
>>> nodes, edges = graph_layer(kb)
>>> (nodes, edges) == graph_edges(kb)
True
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..errors import DataFileError
from ..kbargument import resolve_kb
from .graph import graph_edges

if TYPE_CHECKING:
    from ..classification.core import Classification as KnowledgeBase

__all__ = ["DATASET", "FORMAT", "decode", "encode", "graph_layer", "shared_layer"]

#: The dataset that holds the compiled phenotype layer of every shipped release.
DATASET = "hpo-graph-layer"
#: The version of the file format.
FORMAT = 2

Nodes = list[tuple[str, dict[str, Any]]]
Edges = list[tuple[str, str, str, dict[str, Any]]]


def graph_layer(kb: KnowledgeBase | None = None) -> tuple[Nodes, Edges]:
    """The phenotype layer of *kb*'s graph: :func:`graph_edges` ``(kb)``, read from the compiled file if shipped.

    Every node and edge has attributes of its own, as :func:`graph_edges` gives them.
    """
    nodes, edges = shared_layer(kb)
    return nodes, [(u, v, key, dict(attributes)) for u, v, key, attributes in edges]


def shared_layer(kb: KnowledgeBase | None = None) -> tuple[Nodes, Edges]:
    """:func:`graph_layer`, where edges with equal attributes share one dictionary (for ``kb.graph``,
    which wraps each read-only). Not to be changed: a change would reach every edge that shares it."""
    kb = resolve_kb(kb)
    release = kb.shipped_release
    if release is not None:
        from ..datasets import describe, names, read

        path = f"{DATASET}/{release}.json.gz"
        if DATASET in names() and any(f.path == path for f in describe(DATASET).files):
            # Read afresh each time (the graph it goes into is kept): kept, its 40,000 lists and tuples would
            # stay in memory and in every pass of the garbage collector.
            return _decode(read(DATASET, path), path)
    return graph_edges(kb)


def encode(release: str, nodes: Nodes, edges: Edges) -> bytes:
    """The file (not yet compressed) of a release's layer."""
    from ..arguments import check_text
    from ..errors import InvalidArgumentError

    release = check_text(release, "release", 200)
    shaped = (
        isinstance(nodes, list)
        and isinstance(edges, list)
        and all(type(n) is tuple and len(n) == 2 and type(n[0]) is str and type(n[1]) is dict for n in nodes)
        and all(type(e) is tuple and len(e) == 4 and type(e[3]) is dict for e in edges)
        and all(type(x) is str for e in edges for x in e[:3])
    )
    if not shaped:
        raise InvalidArgumentError((nodes, edges), "the nodes and edges lists of graph_edges()", "layer")
    try:
        distinct: dict[str, int] = {}  # the attributes as JSON -> their place in the list
        shared = [
            [u, v, key, distinct.setdefault(json.dumps(attributes, sort_keys=True), len(distinct))]
            for u, v, key, attributes in edges
        ]
        attributes = [json.loads(text) for text in distinct]
        content = {"format": FORMAT, "release": release, "nodes": nodes, "attributes": attributes, "edges": shared}
        return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    except (TypeError, ValueError) as exc:  # a value JSON cannot hold, text that is not UTF-8 (a lone surrogate)
        raise InvalidArgumentError((nodes, edges), f"not JSON text: {exc}"[:200], "layer") from None


def decode(data: bytes, name: str) -> tuple[Nodes, Edges]:
    """The nodes and edges of a file made by :func:`encode`, their shape checked; every edge's
    attributes its own dictionary."""
    nodes, edges = _decode(data, name)
    return nodes, [(u, v, key, dict(attributes)) for u, v, key, attributes in edges]


def _decode(data: bytes, name: str) -> tuple[Nodes, Edges]:
    """:func:`decode`, edges with equal attributes sharing one dictionary."""
    from ..arguments import check_bytes, check_text

    data, name = check_bytes(data, "data"), check_text(name, "file name", 4096)
    try:
        content = json.loads(data)
        if not isinstance(content, dict) or content.get("format") != FORMAT:
            raise ValueError(f"not a phenotype layer of format {FORMAT}")
        nodes = [(_text(node), _attributes(attributes)) for node, attributes in content["nodes"]]
        shared = [_attributes(attributes) for attributes in content["attributes"]]  # one dict each, shared by edges
        edges = [(_text(u), _text(v), _text(key), shared[_place(i, shared)]) for u, v, key, i in content["edges"]]
    except (ValueError, TypeError, KeyError, AttributeError) as exc:  # json's errors are ValueErrors
        raise DataFileError(name, f"a damaged phenotype layer: {exc}"[:300]) from None
    return nodes, edges


def _text(value: object) -> str:
    if type(value) is not str:
        raise TypeError(f"a node or key that is not text: {type(value).__name__}")
    return value


def _place(value: object, shared: list[Any]) -> int:
    if type(value) is not int or not 0 <= value < len(shared):
        raise ValueError(f"an edge names attributes {value!r} of {len(shared)}")
    return value


def _attributes(value: object) -> dict[str, Any]:
    """Attributes as graph_edges gives them: lists (JSON's tuples) become tuples again."""
    if not isinstance(value, dict):
        raise TypeError(f"attributes that are not an object: {type(value).__name__}")
    return {key: tuple(item) if isinstance(item, list) else item for key, item in value.items()}
