"""The graph writer's sharing (one empty row, slots shared by edges with the same key and attributes)
never lets a write to one edge show in another: random sequences of writes equal networkx's add_edge."""

from __future__ import annotations

import random
from types import MappingProxyType
from typing import Any

import networkx as nx
import pytest

import icd10kb
from icd10kb.graph.build import _EMPTY_ROW, _HIERARCHY_SLOT, HIERARCHY, _Writer
from icd10kb.graph.frozen import ReadOnlyDict, seal_built

NODES = [f"n{i}" for i in range(8)]
KEYS = ["has_phenotype", "lacks_phenotype", "excludes1", HIERARCHY]


def _edges(graph: nx.MultiDiGraph) -> dict[tuple[str, str, str], dict[str, Any]]:
    return {(u, v, k): dict(d) for u, v, k, d in graph.edges(keys=True, data=True)}


@pytest.mark.parametrize("seed", range(40))
def test_random_writes_equal_add_edge(seed: int) -> None:
    rng = random.Random(seed)
    graph: nx.MultiDiGraph = nx.MultiDiGraph()
    oracle: nx.MultiDiGraph = nx.MultiDiGraph()
    above = ReadOnlyDict((("n0", _HIERARCHY_SLOT),))  # the predecessor row n1 and n2 share, as 7th characters do
    writer = _Writer(graph, {id(above)})
    for node in NODES:
        writer.node(node, {"label": node})
        oracle.add_node(node, label=node)
    assert graph._succ["n0"] is _EMPTY_ROW and graph._pred["n0"] is _EMPTY_ROW
    # two hierarchy edges that share the one hierarchy slot and one predecessor row, as _add_concepts writes them
    for u, v in (("n0", "n1"), ("n0", "n2")):
        if graph._succ[u] is _EMPTY_ROW:
            dict.__setitem__(graph._succ, u, ReadOnlyDict())
        dict.__setitem__(graph._succ[u], v, _HIERARCHY_SLOT)
        dict.__setitem__(graph._pred, v, above)
        oracle.add_edge(u, v, key=HIERARCHY)
    proxies = [MappingProxyType({"x": i, "y": (i,)}) for i in range(3)]  # shared by many edges, as the layer's are
    for _ in range(rng.randint(5, 40)):
        u, v, key = rng.choice(NODES), rng.choice(NODES), rng.choice(KEYS[:3])
        how = rng.random()
        if how < 0.5:  # a shared mapping
            data: Any = rng.choice(proxies)
        else:  # a dict of its own
            data = {rng.choice("xyz"): rng.randint(0, 9)}
        merge = rng.random() < 0.6
        writer.edge(u, v, key, data, merge=merge)
        if merge or not oracle.has_edge(u, v, key):
            oracle.add_edge(u, v, key=key, **data)
        else:  # without merge, the new data instead of the old
            oracle.remove_edge(u, v, key)
            oracle.add_edge(u, v, key=key, **data)
        assert _edges(graph) == _edges(oracle)  # after every write: nothing else changed
    # the mappings shared in, and the shared slots, are untouched
    assert [dict(p) for p in proxies] == [{"x": i, "y": (i,)} for i in range(3)]
    assert dict(_HIERARCHY_SLOT) == {HIERARCHY: _HIERARCHY_SLOT[HIERARCHY]} and len(_EMPTY_ROW) == 0
    assert dict(above) == {"n0": _HIERARCHY_SLOT}
    for u, row in graph._succ.items():
        for v, slot in row.items():
            assert slot is graph._pred[v][u]  # one slot for both ends
    for v, row in graph._pred.items():
        for u in row:
            assert v in graph._succ[u]
    sealed = seal_built(graph)
    assert _edges(sealed) == _edges(oracle)
    assert sorted(map(sorted, (sealed.succ[n] for n in NODES))) == sorted(map(sorted, (oracle.succ[n] for n in NODES)))


def test_the_real_graph_shares_only_read_only_things_and_no_slot_leaks_a_key() -> None:
    graph = icd10kb.load().graph
    succ, pred = graph._succ, graph._pred
    slots: dict[int, set[tuple[str, str]]] = {}
    for u, row in succ.items():
        for v, slot in row.items():
            slots.setdefault(id(slot), set()).add((u, v))
            assert slot is pred[v][u]
    # a slot shared by several edges holds one key (the hierarchy's, or one note's or phenotype's)
    shared = {id(slot): slot for row in succ.values() for slot in row.values() if len(slots[id(slot)]) > 1}
    assert all(len(slot) == 1 for slot in shared.values())
    assert sum(len(edges) for edges in slots.values()) == sum(len(row) for row in succ.values())
    # the 7th-character codes of one code share their predecessor row, and it names only that code
    assert pred["S72.001A"] is pred["S72.001B"] and dict(pred["S72.001A"]) == {"S72.001": succ["S72.001"]["S72.001A"]}
