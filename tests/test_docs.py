"""The documentation stays in step with the code.

The examples in ``docs/*.md`` run as doctests on their own (``pytest docs``);
these tests cover what doctests cannot: generated files (JSON Schemas, the
Mermaid figure) that must match their generators, the command line's help
and its reference page, the site's navigation, and the JSON examples of the
knowledge-pack format.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
from pathlib import Path
from types import ModuleType
from typing import Any, cast

import pytest

import icd10kb
from icd10kb.cli import PLUGINS, command_help, get_parser, main

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def _script(name: str) -> ModuleType:
    """Import ``docs/<name>.py`` (the docs folder is not a package)."""
    spec = importlib.util.spec_from_file_location(f"_docs_{name}", DOCS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _mkdocs_config() -> dict[str, Any]:
    import yaml  # PyYAML is a test dependency

    class Loader(yaml.SafeLoader):
        pass

    # mkdocs.yml names a Python function with a !!python/name tag; keep it as text.
    Loader.add_multi_constructor("tag:yaml.org,2002:python/name:", lambda loader, suffix, node: suffix)
    with open(ROOT / "mkdocs.yml", encoding="utf-8") as handle:
        config: dict[str, Any] = yaml.load(handle, Loader=Loader)
    return config


def _nav_pages(item: object) -> list[str]:
    if isinstance(item, str):
        return [item]
    if isinstance(item, list):
        return [page for entry in item for page in _nav_pages(entry)]
    if isinstance(item, dict):
        return [page for value in item.values() for page in _nav_pages(value)]
    return []


# --- generated files ------------------------------------------------------------------


def test_json_schemas_are_up_to_date() -> None:
    make_schema = _script("make_schema")
    expected = make_schema.schemas()
    assert (DOCS / "schema" / "knowledge-pack.schema.json") in expected
    stale = [
        path.name for path, text in expected.items() if not path.exists() or path.read_text(encoding="utf-8") != text
    ]
    assert not stale, f"out of date: {', '.join(stale)}; run `python docs/make_schema.py`"


def test_schemas_are_sorted_indented_and_end_with_a_newline() -> None:
    for path in sorted((DOCS / "schema").glob("*.schema.json")):
        text = path.read_text(encoding="utf-8")
        assert text.endswith("}\n"), path.name
        assert text == json.dumps(json.loads(text), indent=2, sort_keys=True, ensure_ascii=False) + "\n", path.name


def test_the_knowledge_pack_schema_accepts_the_shipped_pack_and_refuses_a_bad_one() -> None:
    import jsonschema  # in the test extra
    schema = json.loads((DOCS / "schema" / "knowledge-pack.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    pack = json.loads((ROOT / "icd10kb" / "data" / "knowledge" / "calcinosis-cutis.json").read_text(encoding="utf-8"))
    assert not list(validator.iter_errors(pack))
    for bad in ({**pack, "id": "Not A Slug"}, {**pack, "extra": 1}, {**pack, "diseases": []}):
        assert list(validator.iter_errors(bad)), bad


def test_mermaid_figure_is_up_to_date() -> None:
    make_figures = _script("make_figures")
    figure = make_figures.l94_neighbourhood()
    hint = "run `python docs/make_figures.py`"
    assert make_figures.MMD.read_text(encoding="utf-8") == figure, f"{make_figures.MMD.name} is out of date; {hint}"
    page = make_figures.PAGE.read_text(encoding="utf-8")
    assert make_figures.page_text(page, figure) == page, (
        f"the figure in {make_figures.PAGE.name} is out of date; {hint}"
    )


def test_mermaid_figure_shows_the_neighbourhood() -> None:
    text = _script("make_figures").l94_neighbourhood()
    assert text.startswith("flowchart")
    for needed in ('"L94.2: Calcinosis cutis"', "L94.0:", "M34:", "HP:0001482", "LOINC:17861-6", "-->|causes|"):
        assert needed in text, needed


# --- the command line -------------------------------------------------------------------


@pytest.mark.parametrize("command", list(command_help()))
def test_every_command_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main([command, "--help"])
    assert stop.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: icd10kb {command}"), out[:200]
    help_text = command_help()[command]
    assert help_text.strip(), f"{command} has an empty help line"
    assert help_text[1:] in " ".join(out.split()), f"{command} --help does not show its description"


def _cli_sections() -> dict[str, str]:
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    parts = re.split(r"^## +`?(?:icd10kb +)?([\w-]+)`? *$", text, flags=re.MULTILINE)
    return {parts[i]: parts[i + 1] for i in range(1, len(parts) - 1, 2)}


@pytest.mark.parametrize("command", list(command_help()))
def test_every_command_is_a_heading_in_the_cli_page(command: str) -> None:
    assert command in _cli_sections(), f"docs/cli.md has no '## {command}' heading"


def _options(command: str) -> list[str]:
    parser = get_parser(command)
    subparsers = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    sub = cast("dict[str, argparse.ArgumentParser]", subparsers.choices)[command]
    common = {"-h", "--help", "--release", "--tabular", "--code-list", "--knowledge", "--json"}
    out = []
    for action in sub._actions:
        if action.option_strings:
            out += [o for o in action.option_strings if o not in common]
        else:
            out.append(action.dest)
    return out


@pytest.mark.parametrize("command", list(command_help()))
def test_every_option_is_documented_under_its_command(command: str) -> None:
    section = _cli_sections().get(command, "")
    missing = [option for option in _options(command) if f"`{option}" not in section]
    assert not missing, f"docs/cli.md, section {command}: options not documented: {missing}"


def test_common_options_are_documented() -> None:
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    for option in ("--release", "--tabular", "--code-list", "--knowledge", "--json", "--help"):
        assert f"`{option}" in text, option


# --- the site ---------------------------------------------------------------------------


def test_every_page_in_the_nav_exists() -> None:
    config = _mkdocs_config()
    pages = _nav_pages(config["nav"])
    assert pages, "mkdocs.yml has no nav"
    missing = [page for page in pages if not (DOCS / page).is_file()]
    assert not missing, f"pages listed in mkdocs.yml but missing from docs/: {missing}"
    assert len(pages) == len(set(pages)), "a page is listed twice in the nav"


def test_every_page_is_in_the_nav() -> None:
    pages = set(_nav_pages(_mkdocs_config()["nav"]))
    on_disk = {path.relative_to(DOCS).as_posix() for path in DOCS.rglob("*.md")}
    assert on_disk <= pages, f"pages not in the nav of mkdocs.yml: {sorted(on_disk - pages)}"


def test_python_examples_in_the_docs_are_doctests() -> None:
    # A ```python block without >>> would not be run by pytest; every example must be.
    for path in sorted(DOCS.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        for block in re.findall(r"^```python\n(.*?)^```", text, flags=re.MULTILINE | re.DOTALL):
            assert block.lstrip().startswith(">>>"), f"{path.relative_to(ROOT)}: a python block is not a doctest"
            assert block.endswith("\n\n"), f"{path.relative_to(ROOT)}: leave a blank line before the closing fence"


def test_json_examples_of_the_pack_format_are_valid_packs() -> None:
    text = (DOCS / "knowledge-pack-format.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```json\n(.*?)^```", text, flags=re.MULTILINE | re.DOTALL)
    packs = [json.loads(block) for block in blocks]
    assert packs
    for pack in packs:
        if "format" in pack:
            icd10kb.read_pack(pack)


@pytest.mark.parametrize("command", sorted(PLUGINS))
def test_a_feature_command_says_what_the_top_level_help_says(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    """PLUGINS keeps the one-line help of commands whose module is not imported; it must match the module's."""
    parser = get_parser(command)
    subparsers = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    shown = {a.dest: a.help for a in subparsers._choices_actions}
    assert shown[command] == PLUGINS[command][1]
