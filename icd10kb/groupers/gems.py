"""The FY2018 General Equivalence Mappings (GEMs) between ICD-9-CM and ICD-10-CM diagnoses.

:func:`forward` maps an ICD-9-CM code to ICD-10-CM, :func:`backward` an ICD-10-CM code to
ICD-9-CM. Both return every line of the GEM for the code, in the file's order, with its flags:
a code can have several targets (alternatives, or a combination to be used together), or none.
Nothing is collapsed to one target: choose with the flags.

The five flags (CMS's GEM documentation): approximate (the target is not an exact equivalent),
no map, combination (the source needs several targets together), scenario (which combination of
targets) and choice list (which list of the scenario the target comes from; one target from each
list makes one scenario's combination).

Examples
--------
>>> [(e.target, e.flags) for e in forward("428.0")]
[('I50.814', '10000'), ('I50.9', '10000')]
>>> [(e.target, e.combination, e.scenario, e.choice_list) for e in forward("073.0")]
[('A70', True, 1, 1), ('J17', True, 1, 2)]
>>> forward("365.70")[0].no_map
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .. import datasets
from ..errors import DataFileError, InvalidCodeError
from .base import GrouperMap, NotMappedError, _dotted, _frozen, _icd9_dotted, check_choice, code_key

if TYPE_CHECKING:
    from .models import GemEntry

__all__ = ["backward", "forward", "grouper_map", "icd9_key"]

_NAME = "gems-2018"
_ICD9 = re.compile(r"^(?:\d{3}(?:\.?\d{1,2})?|V\d{2}(?:\.?\d{1,2})?|E\d{3}(?:\.?\d)?)$")
_MAX_ICD9 = 32
_DIRECTIONS = {"i9-to-i10": "i9_to_i10", "i10-to-i9": "i10_to_i9"}


@dataclass(frozen=True)
class _Gem:
    lines: dict[str, tuple[tuple[str, str], ...]]  # dotless source -> ((dotless target or NoDx, flags), ...)


def _build(direction: str) -> _Gem:
    path = f"{_NAME}/{_DIRECTIONS[direction]}.tsv.gz"
    found: dict[str, list[tuple[str, str]]] = {}
    for number, line in enumerate(datasets.read(_NAME, path).decode("ascii").splitlines(), start=1):
        parts = line.split("\t")
        if len(parts) != 3 or len(parts[2]) != 5:
            raise DataFileError(path, "expected source, target and five flags", number)
        found.setdefault(parts[0], []).append((parts[1], parts[2]))
    return _Gem({k: tuple(v) for k, v in found.items()})


def _gem(direction: str) -> _Gem:
    return datasets.memo(_NAME, direction, lambda: _build(direction))


def icd9_key(value: object) -> str:
    """The dotless key of an ICD-9-CM diagnosis code, its syntax checked.

    Examples
    --------
    >>> icd9_key(" 428.0 "), icd9_key("v427"), icd9_key("E800.0")
    ('4280', 'V427', 'E8000')
    """
    if not isinstance(value, str):
        raise InvalidCodeError(value, "an ICD-9-CM code is a string", "ICD-9-CM code")
    if len(value) > _MAX_ICD9:
        raise InvalidCodeError(value, f"longer than {_MAX_ICD9} characters", "ICD-9-CM code")
    text = value.strip().upper()
    if not _ICD9.match(text):
        raise InvalidCodeError(
            value, "not shaped like an ICD-9-CM diagnosis code (ddd.dd, Vdd.dd, Eddd.d)", "ICD-9-CM code"
        )
    return text.replace(".", "")


def _entries(key: str, source: str, direction: str, target_dots: bool) -> tuple[GemEntry, ...]:
    from .models import GemEntry

    lines = _gem(direction).lines.get(key)
    if lines is None:
        raise NotMappedError(source, f"the FY2018 GEM {direction}", "codes of FY2018 only")
    out = []
    for target, flags in lines:
        no_map = flags[1] == "1"
        out.append(
            GemEntry(
                source=source,
                target=None if no_map else (_dotted(target) if target_dots else _icd9_dotted(target)),
                flags=flags,
                approximate=flags[0] == "1",
                no_map=no_map,
                combination=flags[2] == "1",
                scenario=int(flags[3]),
                choice_list=int(flags[4]),
            )
        )
    return tuple(out)


def forward(icd9: object) -> tuple[GemEntry, ...]:
    """Every ICD-10-CM target of the ICD-9-CM code *icd9*, with its flags, in the GEM's order.

    Raises
    ------
    InvalidCodeError
        If *icd9* is not shaped like an ICD-9-CM diagnosis code.
    NotMappedError
        If the GEM has no line for it.

    Examples
    --------
    >>> e = forward("V42.7")[0]
    >>> e.target, e.approximate
    ('Z94.4', True)
    """
    key = icd9_key(icd9)
    return _entries(key, _icd9_dotted(key), "i9-to-i10", target_dots=True)


def backward(icd10: object) -> tuple[GemEntry, ...]:
    """Every ICD-9-CM target of the ICD-10-CM code *icd10*, with its flags, in the GEM's order.

    Examples
    --------
    >>> [(e.target, e.approximate) for e in backward("I50.9")]
    [('428.0', True), ('428.9', True)]
    >>> [(e.target, e.choice_list) for e in backward("A02.1")]
    [('003.1', 1), ('995.91', 2)]
    """
    key = code_key(icd10)
    return _entries(key, _dotted(key), "i10-to-i9", target_dots=False)


def grouper_map(direction: str) -> GrouperMap:
    """One GEM as a :class:`~icd10kb.groupers.base.GrouperMap`: rows ``(source, target)``, flags in ``row_flags``.

    *direction* is ``"i9-to-i10"`` or ``"i10-to-i9"``.
    """

    direction = check_choice(direction, tuple(_DIRECTIONS), "GEM direction")

    def build() -> GrouperMap:
        forward_map = direction == "i9-to-i10"
        src = _icd9_dotted if forward_map else _dotted
        tgt = _dotted if forward_map else _icd9_dotted
        triples = sorted(
            (src(k), t if t == "NoDx" else tgt(t), f) for k, lines in _gem(direction).lines.items() for t, f in lines
        )
        return GrouperMap(
            name=f"gems-2018-{direction}",
            version="2018",
            citation=datasets.describe(_NAME).citation,
            rows=tuple((s, t) for s, t, _ in triples),
            labels=_frozen({}),
            hierarchy=(),
            weights=_frozen({}),
            row_flags=tuple(f for _, _, f in triples),
        )

    return datasets.memo(_NAME, f"grouper-map-{direction}", build)
