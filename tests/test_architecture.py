"""The layout the architecture issue asks for, read from the code: one-way imports, small modules, a short public API."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

import icd10kb

PACKAGE = Path(icd10kb.__file__).resolve().parent
#: A module may run to about 400 lines; a few are allowed a little over, never past this.
MAX_LINES = 450


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> nx.DiGraph:
    """Every import between modules of the package: top-level, in functions and under TYPE_CHECKING alike."""
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph = nx.DiGraph()
    graph.add_nodes_from(modules)
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")
                    base = base[: len(base) - node.level + 1]
                    stem = ".".join(base + ([node.module] if node.module else []))
                else:
                    stem = node.module or ""
                targets = [f"{stem}.{alias.name}" for alias in node.names] + [stem]
            elif isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            for target in targets:
                if target in modules and target != name:
                    graph.add_edge(name, target)
                    break
    return graph


def test_no_module_imports_one_that_imports_it_back() -> None:
    graph = _imports()
    # A package's __init__ re-exporting its own modules is not a circle of features.
    graph.remove_edges_from([(u, v) for u, v in list(graph.edges) if v.startswith(u + ".") and u.count(".") >= 1])
    graph.remove_node("icd10kb")  # the public API imports what it re-exports; nothing may import it back (below)
    circles = [sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1]
    assert circles == []


def test_the_core_knows_nothing_of_features() -> None:
    graph = _imports()
    core = {n for n in graph if n.startswith("icd10kb.classification")}
    allowed = core | {"icd10kb.errors", "icd10kb.files", "icd10kb.datasets", "icd10kb.xmlsafe", "icd10kb.arguments"}
    allowed |= {"icd10kb.gcpause"}  # a utility of the bottom layer, like files and arguments
    reached = set().union(*(nx.descendants(graph, n) for n in core)) | core
    assert reached <= allowed, sorted(reached - allowed)


def test_features_do_not_import_the_facade() -> None:
    graph = _imports()
    for feature in ("notes", "knowledge", "search", "graph", "classification"):
        users = {u for u, v in graph.edges if v == "icd10kb.kb" and u.startswith(f"icd10kb.{feature}")}
        assert users == set(), (feature, users)


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_modules_are_small(path: Path) -> None:
    assert len(path.read_text(encoding="utf-8").splitlines()) <= MAX_LINES


def test_dir_shows_only_the_public_api() -> None:
    assert dir(icd10kb) == sorted(icd10kb.__all__)
    for name in icd10kb.__all__:
        assert getattr(icd10kb, name) is not None
    for private in ("Any", "TYPE_CHECKING", "annotations"):
        assert private not in dir(icd10kb)


def test_every_dataset_is_listed_in_the_data_sources_page() -> None:
    page = (PACKAGE.parent / "docs" / "data-sources.md").read_text(encoding="utf-8")
    for dataset in icd10kb.sources():
        assert f"`{dataset.name}`" in page, dataset.name


def test_every_dataset_source_is_kept_unchanged_in_the_repository() -> None:
    import hashlib

    root = PACKAGE.parent
    for dataset in icd10kb.sources():
        for source in dataset.sources:
            assert not source.path.startswith(("/", "..")), source.path
            path = root / source.path
            assert path.is_file(), (dataset.name, source.path)
            assert hashlib.sha256(path.read_bytes()).hexdigest() == source.sha256, (dataset.name, source.path)
