"""A sweep of every public callable with hostile arguments (issue 8).

The callables are found by introspection, so that a function is covered the
day it lands: the names of ``icd10kb.__all__``, every public method and
property of :class:`icd10kb.KnowledgeBase`, and every public function of
every module of every subpackage (walked with :mod:`pkgutil`; packages added
by other branches are found the same way).

Each parameter in turn gets a hostile value (the others get ordinary ones),
from a fixed list and from hypothesis. The promise checked:

- the call returns, or raises an :class:`icd10kb.ICD10KBError` (never
  another exception);
- a parameter annotated ``bool``, ``int`` or ``str`` that is given a value
  of another type is refused with an ``ICD10KBError`` (no silent wrong
  answer from a flag of the wrong type);
- no call takes more than 5 seconds (an alarm stops it and fails the test).

Parameters that take the library's own objects (a knowledge base, a
knowledge index, a graph, a parsed release, a model class) are given the
real thing: they are typed, not user input.
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import inspect
import io
import math
import os
import pkgutil
import signal
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import icd10kb
from icd10kb.errors import ICD10KBError

# --- hostile values ---------------------------------------------------------------------------


class Boom(Exception):
    """Raised by the hostile objects below; never an ICD10KBError."""


class RaisesFromStr:
    def __str__(self) -> str:
        raise Boom("__str__")

    def __repr__(self) -> str:
        raise Boom("__repr__")


class RaisesFromEq:
    def __eq__(self, other: object) -> bool:
        raise Boom("__eq__")

    def __hash__(self) -> int:
        raise Boom("__hash__")


class RaisesFromEverything(RaisesFromStr, RaisesFromEq):
    def __len__(self) -> int:
        raise Boom("__len__")

    def __iter__(self) -> Iterator[Any]:
        raise Boom("__iter__")

    def __bool__(self) -> bool:
        raise Boom("__bool__")

    def __fspath__(self) -> str:
        raise Boom("__fspath__")

    def __index__(self) -> int:
        raise Boom("__index__")


class HostileStr(str):
    """A str subclass whose comparison, hash and printing raise."""

    def __eq__(self, other: object) -> bool:
        raise Boom("__eq__")

    def __hash__(self) -> int:
        raise Boom("__hash__")

    def __repr__(self) -> str:
        raise Boom("__repr__")

    def __str__(self) -> str:
        raise Boom("__str__")


class BadFile:
    """A file-like object whose read raises."""

    name = "bad"

    def read(self, *args: object) -> bytes:
        raise Boom("read")


def _closed() -> io.BytesIO:
    handle = io.BytesIO(b"x")
    handle.close()
    return handle


def _bytes_entry() -> Any:
    with os.scandir(os.fsencode(Path(__file__).parent)) as entries:
        return next(iter(entries))


FIXED: list[Any] = [
    None,
    True,
    False,
    0,
    -1,
    10**30,
    1.5,
    math.nan,
    "",
    " ",
    "\x00",
    "\ud800",
    "L94.2\ud800",
    "ＬＹ４.２",
    "C4A-C44",
    "x" * 100_000,
    b"L94.2",
    bytearray(b"L94.2"),
    [],
    [None],
    ["\ud800"],
    [RaisesFromStr()],
    (),
    {},
    {"a": RaisesFromStr()},
    set(),
    object(),
    RaisesFromStr(),
    RaisesFromEq(),
    RaisesFromEverything(),
    HostileStr("L94.2"),
    datetime.datetime(2025, 1, 1, 12, 0),
    datetime.date(2025, 1, 1),
    Path("/nonexistent/x.xml"),
    _bytes_entry(),
    io.BytesIO(b"\x1f\x8bjunk"),
    _closed(),
    BadFile(),
    iter(["L94.2"]),
    print,
]

HOSTILE = st.one_of(
    st.integers(0, len(FIXED) - 1).map(lambda i: FIXED[i]),  # not sampled_from: it would repr the values
    st.text(max_size=40),
    st.text(alphabet=st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), min_size=1, max_size=3),
    st.binary(max_size=40),
    st.integers(),
    st.floats(),
    st.lists(st.one_of(st.text(max_size=8), st.integers(), st.none()), max_size=5),
    st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=3),
    st.builds(RaisesFromStr),
    st.builds(RaisesFromEq),
    st.builds(RaisesFromEverything),
    st.builds(HostileStr, st.text(max_size=10)),
)

# --- the callables ------------------------------------------------------------------------------

#: Ordinary values for parameters, by name; a parameter not named here takes its default,
#: or a hostile value too when it has none.
GOOD: dict[str, Callable[[Any], Any]] = {
    "code": lambda kb: "L94.2",
    "value": lambda kb: "L94.2",
    "ancestor": lambda kb: "L94",
    "a": lambda kb: "L94.2",
    "b": lambda kb: "L94.3",
    "codes": lambda kb: ["L94.2", "M34.0"],
    "spec": lambda kb: "M30-M36",
    "text": lambda kb: "calcinosis",
    "word": lambda kb: "calcinosis",
    "symptom": lambda kb: "HP:0001482",
    "symptoms": lambda kb: ["subcutaneous nodule"],
    "cause": lambda kb: "M34",
    "test": lambda kb: "LOINC:17861-6",
    "limit": lambda kb: 3,
    "release": lambda kb: "2026-04-01",
    "kind": lambda kb: "excludes1",
    "data": lambda kb: b"<ICD10CM.tabular/>",
    "name": lambda kb: "x.xml",
    "source": lambda kb: io.BytesIO(b"<ICD10CM.tabular/>"),
    "effective": lambda kb: "2025-10-01",
    "key": lambda kb: "key",
    "path": lambda kb: "out.graphml",
    "prefix": lambda kb: "out",
    "node": lambda kb: "L94.2",
    "payload": lambda kb: {"format": 3, "notes": {}},
    "essentials": lambda kb: [frozenset({"skin"})],
    "args": lambda kb: argparse.Namespace(knowledge=None, tabular=None, release=None),
    # columns and groupers (harden-a): streams for the handlers and the groupers' ordinary options.
    # (A parameter named kb is swept like any other: the later arguments go by name once one is skipped.)
    "out": lambda kb: io.StringIO(),
    "err": lambda kb: io.StringIO(),
    "grouper": lambda kb: "charlson-quan2005",
    "model": lambda kb: "V28",
    "setting": lambda kb: "inpatient",
    "weights": lambda kb: "charlson",
    "result": lambda kb: importlib.import_module("icd10kb.groupers.comorbidity").flags(["I21.9", "E11.22"]),
    # columns (harden-a): a claims table in pandas and on DuckDB, the column machinery's own values.
    "level": lambda kb: "category",
    "frame": lambda kb: _columns_good(kb)["frame"],
    "con": lambda kb: _columns_good(kb)["con"],
    "claims": lambda kb: "claims",
    "rc": lambda kb: _columns_good(kb)["rc"],
    "prepared": lambda kb: _columns_good(kb)["prepared"],
    "gmap": lambda kb: _columns_good(kb)["prepared"].map,
    "encoded": lambda kb: _columns_good(kb)["encoded"],
    "answers": lambda kb: _columns_good(kb)["answers"],
    "form": lambda kb: "iterable",
    "polars_type": lambda kb: "string",
    "patient_index": lambda kb: _columns_good(kb)["patient_index"],
    "n_patients": lambda kb: 2,
    "expression": lambda kb: "dx",
    # icd10kb.fhir and icd10kb.phenotypes (names no other package's public function takes):
    "labels": lambda kb: {"SKN": "Skin"},
    "title": lambda kb: "Demo",
    "publisher": lambda kb: "icd10kb",
    "map_id": lambda kb: "demo",
    "target": lambda kb: "urn:icd10kb:fhir/CodeSystem/demo",
    "base": lambda kb: "urn:icd10kb:fhir",
    "flags": lambda kb: "10000",
    "body": lambda kb: b'{"resourceType": "Parameters", "parameter": [{"name": "code", "valueCode": "L94.2"}]}',
    "query": lambda kb: "code=L94.2",
    "names": lambda kb: ["charlson-quan2005"],
    "count": lambda kb: 0,
    "content": lambda kb: "not-present",
    "host": lambda kb: "127.0.0.1",
    "port": lambda kb: 0,  # a free port: the server never collides with another
}


def _columns_good(kb: Any, made: dict[str, Any] = {}) -> dict[str, Any]:  # noqa: B006 - made once, kept
    """Ordinary values for the column functions (made once): codes ["L94.2", "M34.0"] of two patients."""
    if not made:
        import duckdb
        import numpy as np
        import pandas as pd

        from icd10kb.columns import adapters, duck, groupmap, release

        rc = release.columns_of(kb)
        encoded = adapters.encode(rc, ["L94.2", "M34.0"], "iterable")
        con = duckdb.connect()
        duck.register(con, kb, groupers=["charlson-quan2005"])
        con.execute("CREATE TABLE claims AS SELECT * FROM (VALUES (1, 'E11.9'), (2, 'I50.9')) t(patient, code)")
        made.update(
            frame=pd.DataFrame({"patient": [1, 1, 2], "code": ["E11.9", "E1122", "I50.9"]}),
            con=con,
            rc=rc,
            prepared=groupmap.prepare(groupmap.grouper_map("charlson-quan2005", kb)),
            encoded=encoded,
            answers=rc.table["code"].combine_chunks().take(encoded.universe_rows()),
            patient_index=np.array([0, 1]),
        )
    return made


# history, tables, rdf: the plug-in command handlers' argparse objects (their streams are above).
GOOD["subparsers"] = lambda kb: argparse.ArgumentParser().add_subparsers()

#: Parameters that take the library's own objects, by annotation: given the real thing.
OWN_OBJECTS: dict[str, Callable[[Any], Any]] = {
    "Classification": lambda kb: kb,
    "KnowledgeBase": lambda kb: kb,
    "_Facade": lambda kb: kb,
    "Lookup": lambda kb: kb,
    "KnowledgeIndex": lambda kb: kb.knowledge_index,
    "nx.MultiDiGraph[str]": lambda kb: kb.subgraph("L94"),
    "list[Prepared]": lambda kb: [_columns_good(kb)["prepared"]],  # columns (harden-a)
    # icd10kb.fhir: the service and the parsed inputs of an operation (the query and body are swept in from_query
    # and from_body); serve's announce callback stops the server once it listens (any real one runs it for ever)
    "TerminologyService": lambda kb: _fhir_service(kb),
    "Inputs": lambda kb: _fhir_inputs(),
    "Callable[[str], None] | None": lambda kb: _stop_serving,
}


class Served(ICD10KBError):
    """Raised by the announce callback given to icd10kb.fhir.server.serve: the server listened, and stops."""


def _stop_serving(url: str) -> None:
    raise Served(url)


def _fhir_service(kb: Any) -> Any:
    from icd10kb.fhir.service import TerminologyService

    return TerminologyService(kb, releases=())


def _fhir_inputs() -> Any:
    from icd10kb.fhir.inputs import from_query

    return from_query("code=L94.2&system=http://hl7.org/fhir/sid/icd-10-cm")


#: Not swept: the CLI's main (tests/test_cli_hostile.py feeds it hostile argv and streams).
SKIP = {"icd10kb.cli.app.main"}

def _modules() -> Iterator[Any]:
    for info in pkgutil.walk_packages(icd10kb.__path__, "icd10kb."):
        if info.name.endswith("__main__"):
            continue
        yield importlib.import_module(info.name)


def public_functions() -> list[tuple[str, Callable[..., Any]]]:
    """Every public function: icd10kb.*, the subpackages' modules, KnowledgeBase's methods."""
    found: dict[str, Callable[..., Any]] = {}
    for name in icd10kb.__all__:
        obj = getattr(icd10kb, name)
        if inspect.isfunction(obj):
            found[f"icd10kb.{name}"] = obj
    for module in _modules():
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name, None)
            if inspect.isfunction(obj) and obj.__module__ == module.__name__:
                found.setdefault(f"{module.__name__}.{name}", obj)
    for name, member in inspect.getmembers(icd10kb.KnowledgeBase):
        if not name.startswith("_") and inspect.isfunction(member):
            found[f"KnowledgeBase.{name}"] = member
    return sorted(
        (k, v) for k, v in found.items() if k not in SKIP
    )


def public_properties() -> list[str]:
    return sorted(
        name
        for name, member in inspect.getmembers(icd10kb.KnowledgeBase)
        if not name.startswith("_") and isinstance(member, property)
    )


FUNCTIONS = public_functions()
CASES = [
    (qualified, parameter)
    for qualified, function in FUNCTIONS
    for parameter in inspect.signature(function).parameters.values()
    if parameter.kind not in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD)
    and parameter.name != "self"
    and str(parameter.annotation) not in OWN_OBJECTS
]
BY_NAME = dict(FUNCTIONS)
TRIED = {"calls": 0}


def _own(parameter: inspect.Parameter, kb: Any) -> Any:
    return OWN_OBJECTS[str(parameter.annotation)](kb)


def _arguments(function: Callable[..., Any], target: str, value: Any, kb: Any) -> tuple[list[Any], dict[str, Any]]:
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    skipped = False  # once a parameter is left to its default, the later ones go by name, not by position
    for parameter in inspect.signature(function).parameters.values():
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            continue
        if parameter.name == "self":
            given_value = kb
        elif parameter.name == target:
            given_value = value
        elif str(parameter.annotation) in OWN_OBJECTS:
            given_value = _own(parameter, kb)
        elif parameter.name in GOOD:
            given_value = GOOD[parameter.name](kb)
        elif parameter.default is not parameter.empty:
            skipped = True
            continue
        else:
            given_value = value
        if parameter.kind == parameter.KEYWORD_ONLY or (skipped and parameter.kind == parameter.POSITIONAL_OR_KEYWORD):
            kwargs[parameter.name] = given_value
        else:
            args.append(given_value)
    return args, kwargs


class Hang(Exception):
    pass


def _alarm(signum: int, frame: object) -> None:
    raise Hang


def _wrong_type(annotation: str, value: Any) -> bool:
    """Whether *value* is plainly not of the annotated flag type (bool, int, str)."""
    if annotation == "bool":
        return type(value) is not bool
    if annotation == "int":
        return type(value) is not int
    if annotation in ("str", "str | None"):
        return not isinstance(value, str) and not (annotation == "str | None" and value is None)
    return False


#: Functions with a protocol of their own: an argparse type raises argparse's error, which argparse reports.
OWN_ERRORS: dict[str, type[BaseException]] = {"icd10kb.cli.common.count": argparse.ArgumentTypeError}


def call(qualified: str, target: str, value: Any, kb: Any) -> None:
    function = BY_NAME[qualified]
    args, kwargs = _arguments(function, target, value, kb)
    parameter = inspect.signature(function).parameters[target]
    TRIED["calls"] += 1
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(5)
    try:
        result = function(*args, **kwargs)
        if inspect.isgenerator(result):
            for _ in zip(range(1000), result):
                pass
    except ICD10KBError:
        return
    except OWN_ERRORS.get(qualified, ICD10KBError):
        return
    except Hang:
        pytest.fail(f"{qualified}({target}=<{type(value).__name__}>) ran for more than 5 s")
    except BaseException as exc:
        pytest.fail(f"{qualified}({target}=<{type(value).__name__}>) raised {type(exc).__name__}: {exc!s:.200}")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    if _wrong_type(str(parameter.annotation), value) and not (parameter.default is None and value is None):
        pytest.fail(f"{qualified}({target}=<{type(value).__name__}>) accepted a value of the wrong type")


@pytest.fixture(autouse=True)
def _in_a_temporary_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # functions that write files write here


def test_the_sweep_finds_the_public_api() -> None:
    names = dict(FUNCTIONS)
    for expected in ("icd10kb.load", "icd10kb.normalize", "KnowledgeBase.check", "icd10kb.notes.checks.check"):
        assert expected in names
    assert len(CASES) > 100


@pytest.mark.parametrize(("qualified", "parameter"), [(q, p.name) for q, p in CASES])
def test_fixed_hostile_values(qualified: str, parameter: str, kb: icd10kb.KnowledgeBase) -> None:
    for value in FIXED:
        call(qualified, parameter, value, kb)


@pytest.mark.parametrize(("qualified", "parameter"), [(q, p.name) for q, p in CASES])
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(value=HOSTILE)
def test_generated_hostile_values(qualified: str, parameter: str, value: Any, kb: icd10kb.KnowledgeBase) -> None:
    call(qualified, parameter, value, kb)


@pytest.mark.parametrize("name", public_properties())
def test_every_property_reads(name: str, kb: icd10kb.KnowledgeBase) -> None:
    getattr(kb, name)


def test_report_the_counts(capsys: pytest.CaptureFixture[str]) -> None:
    with capsys.disabled():
        print(f"\nhostile sweep: {len(FUNCTIONS)} callables, {len(CASES)} parameters, {TRIED['calls']} calls so far")
