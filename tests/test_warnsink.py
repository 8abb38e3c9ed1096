"""icd10kb's warnings go to a per-context sink or to Python's warnings, never through the process's filters."""

from __future__ import annotations

import threading
import warnings
from pathlib import Path

import pytest

import icd10kb
from icd10kb.cli.app import main
from icd10kb.warnsink import warn, warnings_to


def test_without_a_sink_a_warning_is_a_python_warning() -> None:
    with pytest.warns(icd10kb.KnowledgeWarning, match="names L94.7"):
        warn("a pack names L94.7", icd10kb.KnowledgeWarning)


def test_a_sink_holds_for_its_own_thread_only() -> None:
    seen: dict[str, list[str]] = {}
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def worker(name: str) -> None:
        try:
            mine: list[str] = seen.setdefault(name, [])
            with warnings_to(mine.append):
                barrier.wait(timeout=10)  # every thread is inside its own block at once
                for i in range(200):
                    warn(f"{name} {i}", UserWarning)
                barrier.wait(timeout=10)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(f"t{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for name, messages in seen.items():
        assert messages == [f"{name} {i}" for i in range(200)]
    with pytest.warns(UserWarning, match="after"):  # and the sinks are gone afterwards
        warn("after", UserWarning)


def test_a_sink_must_be_callable() -> None:
    with pytest.raises(icd10kb.InvalidArgumentError, match="sink"):
        with warnings_to("print"):  # type: ignore[arg-type]
            pass


def test_the_command_line_leaves_the_warning_filters_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """main() in several threads at once: the filters are the same object and content afterwards."""
    before, before_list = warnings.filters, list(warnings.filters)
    statuses: list[int] = []

    def run() -> None:
        statuses.append(main(["show", "L94.2", "--json"]))

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [0, 0, 0, 0]
    assert warnings.filters is before and list(warnings.filters) == before_list
