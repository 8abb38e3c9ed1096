"""Freezing a networkx graph so that nothing can change it, not even through its class.

``networkx.freeze`` replaces the graph's mutating methods on the instance,
so ``graph.remove_edge(...)`` fails; but ``nx.MultiDiGraph.remove_edge(graph,
...)`` calls the class's method, which edits the graph's inner dictionaries
directly. :func:`freeze` also makes those dictionaries read-only (nodes,
adjacency at each level, and every attribute mapping), so every way of
changing the shared graph fails with ``networkx.NetworkXError``, while every
way of reading it works as before.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any, NoReturn, TypeVar

import networkx as nx

__all__ = ["ReadOnlyDict", "freeze", "is_deep_frozen"]

G = TypeVar("G", bound=nx.Graph)  # type: ignore[type-arg]

#: networkx keeps these views in the instance's __dict__ on first use; they would hold the old dicts.
_CACHED = ("adj", "succ", "pred", "nodes", "edges", "in_edges", "out_edges", "degree", "in_degree", "out_degree")


class ReadOnlyDict(dict):  # type: ignore[type-arg]
    """A dict that refuses every change; networkx reads it like any dict.

    Its values are set when it is made; ``graph.build`` fills its rows and
    edge slots with ``dict.__setitem__`` and seals them with :func:`seal_built`.
    """

    __slots__ = ()

    def _refuse(self, *args: object, **kwargs: object) -> NoReturn:
        raise nx.NetworkXError("Frozen graph can't be modified")

    __setitem__ = __delitem__ = __ior__ = _refuse  # type: ignore[assignment]
    clear = pop = popitem = setdefault = update = _refuse  # type: ignore[assignment]

    def copy(self) -> dict[Any, Any]:  # a copy is the caller's own, and may change
        return dict(self)

    def __reduce__(self) -> tuple[Any, ...]:
        return (dict, (dict(self),))


def _proxy(data: Any) -> Any:
    return data if isinstance(data, MappingProxyType) else MappingProxyType(data)


def _rows(adjacency: dict[Any, dict[Any, Any]], converted: dict[int, Any], multi: bool) -> ReadOnlyDict:
    # Plain loops: this runs once per edge slot of a graph of 150,000 edges.
    rows: dict[Any, Any] = {}
    get, proxy = converted.get, MappingProxyType
    setitem = dict.__setitem__
    for u, neighbours in adjacency.items():
        row = ReadOnlyDict(neighbours)
        for v, data in neighbours.items():
            new = get(id(data))
            if new is None:
                if multi:
                    new = ReadOnlyDict(data)
                    for key, attributes in data.items():
                        if type(attributes) is not proxy:
                            dict.__setitem__(new, key, proxy(attributes))
                else:
                    new = data if type(data) is proxy else proxy(data)
                converted[id(data)] = new
            if new is not data:
                setitem(row, v, new)
        rows[u] = row
    return ReadOnlyDict(rows)


def freeze(graph: G) -> G:
    """Make *graph* unchangeable in place, and return it.

    Parameters
    ----------
    graph:
        A networkx graph (directed or not, multi or not).

    Returns
    -------
    networkx.Graph
        The same graph, frozen (``networkx.is_frozen`` is True).

    Raises
    ------
    InvalidArgumentError
        If *graph* is not a networkx graph.

    Examples
    --------
    >>> import networkx as nx
    >>> g = freeze(nx.MultiDiGraph([("a", "b")]))
    >>> nx.MultiDiGraph.remove_edge(g, "a", "b")
    Traceback (most recent call last):
      ...
    networkx.exception.NetworkXError: Frozen graph can't be modified
    >>> list(g.edges("a"))
    [('a', 'b')]
    """
    from ..errors import InvalidArgumentError

    if not isinstance(graph, nx.Graph):
        raise InvalidArgumentError(graph, "freeze() takes a networkx graph", "graph")
    if is_deep_frozen(graph):
        return graph
    multi = graph.is_multigraph()
    converted: dict[int, Any] = {}  # id of an edge slot -> its read-only copy, shared by _succ and _pred
    nodes = ReadOnlyDict(graph._node)  # type: ignore[attr-defined]
    for node, data in graph._node.items():  # type: ignore[attr-defined]
        if type(data) is not MappingProxyType:
            dict.__setitem__(nodes, node, MappingProxyType(data))
    return _seal(graph, nodes, lambda adjacency: _rows(adjacency, converted, multi))


def seal_built(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:  # type: ignore[type-arg]
    """:func:`freeze` for a graph built read-only inside: every node's data a ``MappingProxyType``,
    every row and edge slot a :class:`ReadOnlyDict` and every edge's data a ``MappingProxyType``
    (as ``graph.build`` writes them); only the node table and the two adjacency tables are wrapped."""
    return _seal(graph, ReadOnlyDict(graph._node), ReadOnlyDict)  # type: ignore[attr-defined]


def _seal(graph: G, nodes: ReadOnlyDict, rows: Any) -> G:
    graph.graph = _proxy(graph.graph)
    graph._node = nodes  # type: ignore[attr-defined]
    succ = rows(graph._adj)  # type: ignore[attr-defined]
    if graph.is_directed():
        graph._pred = rows(graph._pred)  # type: ignore[attr-defined]
        graph._succ = succ  # type: ignore[attr-defined]
    graph._adj = succ  # type: ignore[attr-defined]
    for name in _CACHED:
        graph.__dict__.pop(name, None)
    nx.freeze(graph)
    return graph


def is_deep_frozen(graph: object) -> bool:
    """Whether *graph* was frozen by :func:`freeze` (its inner dictionaries are read-only).

    Examples
    --------
    >>> import networkx as nx
    >>> is_deep_frozen(nx.freeze(nx.Graph())), is_deep_frozen(freeze(nx.Graph()))
    (False, True)
    """
    return isinstance(graph, nx.Graph) and isinstance(getattr(graph, "_node", None), ReadOnlyDict)
