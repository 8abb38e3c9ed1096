"""Griffe extension for the API reference: read icd10kb's docstrings as Markdown.

The package's docstrings follow the numpy layout but keep a few habits from
reStructuredText that Markdown does not understand. This extension adapts
them while mkdocstrings loads the package; the source files are not touched.

- Doctest lines (``>>>``) outside an ``Examples`` section become a fenced
  ``pycon`` block (Markdown would read them as nested quotes, and the
  brackets in their output as links).
- Sphinx roles such as ``:class:`~icd10kb.classification.concept.Concept``` become links to
  the API page when the target is documented there, and code otherwise.
- reStructuredText "simple tables" (columns framed by ``=====`` rules)
  become Markdown tables.
- A pydantic field without a docstring takes its ``Field(description=...)``
  as docstring, so model fields are listed with their meaning.

Every function here works on plain text, so this file imports without griffe
(pytest imports it while collecting doctests from ``docs/``); the extension
class only exists when griffe is installed, as it is with the ``docs`` extra.
"""

from __future__ import annotations

import ast
import re
from typing import Any

__all__ = ["fence_doctests", "markdown_docstring", "rst_roles", "rst_tables"]

_SECTION = re.compile(r"^(\s*)(\w[\w ]*)\n\1-{3,}\s*$", re.MULTILINE)
_ROLE = re.compile(r":(?:py:)?(?:class|func|meth|mod|attr|data|exc|obj):`(~?)([\w.]+)`")
_RULE = re.compile(r"^\s*=+(?:\s+=+)+\s*$")


def fence_doctests(text: str) -> str:
    """Put doctest blocks that are not in an ``Examples`` section into ``pycon`` fences."""
    out: list[str] = []
    lines = text.split("\n")
    in_examples = False
    in_fence = False
    index = 0
    while index < len(lines):
        line = lines[index]
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if line.strip() and set(following.strip()) == {"-"} and len(following.strip()) >= 3:
            in_examples = line.strip() == "Examples"
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
        if not in_examples and not in_fence and line.lstrip().startswith(">>>"):
            indent = line[: len(line) - len(line.lstrip())]
            block = []
            while index < len(lines) and lines[index].strip():
                block.append(lines[index])
                index += 1
            out += [f"{indent}```pycon", *block, f"{indent}```"]
            continue
        out.append(line)
        index += 1
    return "\n".join(out)


def rst_roles(text: str, resolve: Any = None) -> str:
    """Turn Sphinx roles into autorefs links (optional: plain code when unresolved).

    *resolve* maps a role's target to a full identifier, or returns None.
    """

    def replace(match: re.Match[str]) -> str:
        short, target = match.group(1), match.group(2)
        title = target.rsplit(".", 1)[-1] if short else target
        identifier = resolve(target) if resolve is not None else None
        if identifier is None:
            return f"`{title}`"
        return f'<autoref identifier="{identifier}" optional><code>{title}</code></autoref>'

    return _ROLE.sub(replace, text)


def rst_tables(text: str) -> str:
    """Rewrite reStructuredText simple tables as Markdown tables."""
    lines = text.split("\n")
    out: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if not _RULE.match(line):
            out.append(line)
            index += 1
            continue
        spans = [(m.start(), m.end()) for m in re.finditer(r"=+", line)]
        rules = 1
        rows: list[list[str]] = []
        header_rows = 0
        index += 1
        while index < len(lines) and rules < 3:
            current = lines[index]
            index += 1
            if _RULE.match(current):
                rules += 1
                if rules == 2:
                    header_rows = len(rows)
                continue
            if not current.strip():
                continue
            cells = []
            for number, (start, _end) in enumerate(spans):
                stop = spans[number + 1][0] if number + 1 < len(spans) else len(current)
                cells.append(current[start:stop].strip())
            if rows and not cells[0]:  # a continuation line of the row above
                rows[-1] = [f"{a} {b}".strip() for a, b in zip(rows[-1], cells)]
            else:
                rows.append(cells)
        header, body = rows[:header_rows] or rows[:1], rows[header_rows:] if header_rows else rows[1:]
        indent = line[: len(line) - len(line.lstrip())]
        out.append(indent + "| " + " | ".join(header[0]) + " |")
        out.append(indent + "|" + "---|" * len(spans))
        out += [indent + "| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in body]
    return "\n".join(out)


def markdown_docstring(text: str, resolve: Any = None) -> str:
    """All three rewrites, in order."""
    return rst_roles(rst_tables(fence_doctests(text)), resolve)


try:
    import griffe

    HAVE_GRIFFE = True
except ImportError:  # pragma: no cover - only the docs build needs griffe
    HAVE_GRIFFE = False


if HAVE_GRIFFE:

    def _resolver(obj: Any) -> Any:
        """A function that finds the full identifier of a role's target, seen from *obj*."""
        package = obj.package

        def resolve(target: str) -> str | None:
            if target.startswith(f"{package.path}."):
                candidates = [target]
            else:
                scopes = [obj.module.path, obj.parent.path if obj.parent is not None else None, package.path]
                candidates = [f"{scope}.{target}" for scope in scopes if scope]
            for candidate in candidates:
                relative = candidate[len(package.path) + 1 :]
                try:
                    package[relative]
                except (KeyError, ValueError, griffe.AliasResolutionError):
                    continue
                return candidate
            return None

        return resolve

    class MarkdownDocstrings(griffe.Extension):
        """Adapt every docstring of the package once it is loaded; see the module's description."""

        def on_attribute_instance(self, *, node: Any, attr: Any, **kwargs: Any) -> None:
            if attr.docstring is not None or not isinstance(node, ast.AnnAssign):
                return
            call = node.value
            if not isinstance(call, ast.Call) or getattr(call.func, "id", None) != "Field":
                return
            for keyword in call.keywords:
                if keyword.arg == "description" and isinstance(keyword.value, ast.Constant):
                    attr.docstring = griffe.Docstring(str(keyword.value.value), parent=attr, lineno=node.lineno)

        def on_package(self, *, pkg: Any, **kwargs: Any) -> None:
            seen: set[int] = set()

            def visit(obj: Any) -> None:
                if id(obj) in seen or obj.is_alias:
                    return
                seen.add(id(obj))
                if obj.docstring is not None:
                    obj.docstring.value = markdown_docstring(obj.docstring.value, _resolver(obj))
                for member in obj.members.values():
                    visit(member)

            visit(pkg)
