"""Reading YAML knowledge packs under the same limits as JSON ones.

``yaml.safe_load`` builds whatever the document describes: aliases are
expanded (a few kilobytes of nested aliases make gigabytes), a repeated key
silently keeps the last value, integers have any number of digits and an
invalid date such as ``2025-02-30`` fails deep inside PyYAML. Here the
document's parser events are turned into plain values by :func:`load_yaml`,
which refuses, with the line and column:

- aliases and anchors (a pack never needs them) and merge keys (``<<``);
- nesting deeper than :data:`MAX_DEPTH`;
- integers of more than :data:`MAX_DIGITS` digits;
- a key that appears twice in one mapping;
- tags other than YAML's plain scalars, lists and mappings;
- NaN and infinite numbers, and more than one document.

Dates and times are kept as the text written, so that the pack's schema
checks them like those of a JSON pack: an invalid date becomes a typed
problem of the pack, at its place.
"""

from __future__ import annotations

import math
from typing import Any

from ..errors import KnowledgePackError

__all__ = ["MAX_DEPTH", "MAX_DIGITS", "load_yaml"]

#: The deepest nesting of lists and mappings accepted (a pack nests 6 deep).
MAX_DEPTH = 64
#: The most digits an integer may have (JSON packs: the same limit).
MAX_DIGITS = 20

_PLAIN = "tag:yaml.org,2002:"


def load_yaml(text: str, name: str) -> Any:
    """Parse YAML *text* into plain values (dict, list, str, int, float, bool, None).

    The parser's events (from libyaml when PyYAML has it) are turned into
    values here, one at a time and without recursion, so that every limit is
    checked before any work is done on what breaks it.

    Parameters
    ----------
    text:
        The document.
    name:
        The file's name, for messages.

    Raises
    ------
    KnowledgePackError
        If the text is not YAML or breaks one of the limits above.

    Examples
    --------
    >>> load_yaml("id: x\\nlist: [1, 2]\\naccessed: 2025-02-30\\n", "p.yaml")
    {'id': 'x', 'list': [1, 2], 'accessed': '2025-02-30'}
    >>> load_yaml("a: &x [1]\\nb: *x\\n", "p.yaml")
    Traceback (most recent call last):
      ...
    icd10kb.errors.KnowledgePackError: p.yaml, line 1, column 4: YAML anchors and aliases are not allowed
    """
    import yaml

    from ..arguments import check_text

    name = check_text(name, "file name", 4096)
    text = check_text(text, "YAML text", 1 << 30)
    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    resolver = yaml.SafeLoader("")  # resolves plain scalars' tags and builds int/float/bool/null values
    stack: list[tuple[Any, Any]] = []  # open collections: (dict or list, pending key node or None)
    result: Any = None
    done = False
    try:
        for event in yaml.parse(text, Loader=loader_class):
            if isinstance(event, (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent)):
                continue
            if isinstance(event, yaml.DocumentStartEvent):
                if done:
                    _refuse(name, "more than one YAML document", event.start_mark)
                continue
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
                _refuse(name, "YAML anchors and aliases are not allowed", event.start_mark)
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                if len(stack) >= MAX_DEPTH:
                    _refuse(name, f"nested deeper than {MAX_DEPTH} levels", event.start_mark)
                kind = "seq" if isinstance(event, yaml.SequenceStartEvent) else "map"
                tag = event.tag if event.tag and event.tag != "!" else _PLAIN + kind
                if tag != _PLAIN + kind:
                    _refuse(name, f"the YAML tag {tag!r} is not allowed in a pack", event.start_mark)
                stack.append(([] if kind == "seq" else {}, _NO_KEY))
                continue
            if isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                value = stack.pop()[0]
            else:  # a scalar
                value = _scalar(event, name, resolver, stack)
            if not stack:
                result, done = value, True
                continue
            container, key = stack[-1]
            if isinstance(container, list):
                container.append(value)
            elif key is _NO_KEY:
                if not isinstance(event, yaml.ScalarEvent):
                    _refuse(name, "a key must be plain text", event.start_mark)
                if value in container:
                    _refuse(name, f"the key {value!r} appears twice in one mapping", event.start_mark)
                stack[-1] = (container, value)
            else:
                container[key] = value
                stack[-1] = (container, _NO_KEY)
    except UnicodeError:
        raise KnowledgePackError(name, [("", "not valid Unicode text")]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise KnowledgePackError(
            name,
            [("", f"malformed YAML: {problem}")],
            mark.line + 1 if mark is not None else None,
            mark.column + 1 if mark is not None else None,
        ) from None
    finally:
        resolver.dispose()
    return result


_NO_KEY: Any = object()


def _refuse(name: str, message: str, mark: Any) -> Any:
    line = mark.line + 1 if mark is not None else None
    column = mark.column + 1 if mark is not None else None
    raise KnowledgePackError(name, [("", message)], line, column)


def _scalar(event: Any, name: str, resolver: Any, stack: list[tuple[Any, Any]]) -> Any:
    import yaml

    value: str = event.value
    tag = event.tag
    if tag is None or tag == "!":
        tag = resolver.resolve(yaml.ScalarNode, value, event.implicit)
    if stack and isinstance(stack[-1][0], dict) and stack[-1][1] is _NO_KEY and tag == _PLAIN + "merge":
        _refuse(name, "YAML merge keys (<<) are not allowed", event.start_mark)
    if tag in (_PLAIN + "str", _PLAIN + "timestamp"):  # dates stay text: the schema checks them
        return value
    if tag == _PLAIN + "int" and len(value.lstrip("+-").replace("_", "")) > MAX_DIGITS:
        _refuse(name, f"an integer of more than {MAX_DIGITS} digits", event.start_mark)
    if tag in (_PLAIN + "int", _PLAIN + "float", _PLAIN + "bool", _PLAIN + "null"):
        try:
            result = resolver.construct_object(yaml.ScalarNode(tag, value, event.start_mark, event.end_mark))
        except (yaml.YAMLError, ValueError, OverflowError):
            _refuse(name, f"not a valid value: {value[:40]!r}", event.start_mark)
        if isinstance(result, float) and not math.isfinite(result):  # as in JSON, which has no NaN or infinity
            _refuse(name, f"{value[:40]!r} is not a finite number", event.start_mark)
        return result
    return _refuse(name, f"the YAML tag {tag!r} is not allowed in a pack", event.start_mark)
