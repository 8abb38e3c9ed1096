"""SQL for the release table and the grouper maps, shared by DuckDB and Spark.

The tables (built from Arrow, no functions of Python called per row):

``icd10cm``
    The release table (:func:`~icd10kb.columns.release_table`).
``icd10_groupers``
    One row per grouper map: ``grouper``, ``version``, ``citation``.
``icd10_grouper_map``
    ``grouper``, ``code`` (dotted, as the map lists it), ``key`` (dotless, upper case), ``group_id``.
``icd10_grouper_groups``
    ``grouper``, ``group_id``, ``label``, ``group_order`` (natural order: HCC9 before HCC10),
    ``poa_required`` (the group counts only when present on admission).
``icd10_grouper_hierarchy``
    ``grouper``, ``dominant``, ``removed``.
``icd10_grouper_weights``
    ``grouper``, ``score``, ``group_id``, ``weight``.
``icd10_grouper_sequela``
    ``grouper``, ``key``, ``group_id``: the pairs of the POA sequela rule.

A claims value is matched by its key: :func:`key_sql` gives the SQL
expression (trimmed, checked against the shape of a code, upper case, dot
removed; null when not shaped like a code), the same rule as
:func:`icd10kb.normalize` for everything but exotic white space.
:func:`per_patient_sql` writes the whole per-patient grouping (joins,
present-on-admission rules, hierarchy, weights) as one query.
"""

from __future__ import annotations

from typing import Any

from ..arguments import check_bool, check_choice, check_text
from ..errors import InvalidArgumentError
from ..groupers.base import as_list
from .groupmap import Prepared

__all__ = ["TABLES", "check_name", "clean_sql", "key_sql", "per_patient_sql", "tables"]

#: The names of the tables put on a connection.
TABLES = (
    "icd10cm",
    "icd10_groupers",
    "icd10_grouper_map",
    "icd10_grouper_groups",
    "icd10_grouper_hierarchy",
    "icd10_grouper_weights",
    "icd10_grouper_sequela",
)
_DIALECTS = ("duckdb", "spark")
_SHAPE = "^[A-Za-z][0-9A-Za-z]{2}[.]?[0-9A-Za-z]{0,4}$"


def check_name(value: object, what: str) -> str:
    """*value* as the plain name of a table, view or column: 1 to 1,000 characters of valid Unicode, no NUL.

    Examples
    --------
    >>> check_name("dx", "code column")
    'dx'
    """
    what = check_text(what, "name of the argument", 100)
    text = check_text(value, what, 1000)
    if not text or "\x00" in text or not _encodable(text):
        raise InvalidArgumentError(text, "a name is 1 to 1,000 characters of valid Unicode, with no NUL", what)
    return text


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return False
    return True


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _ident(name: str, dialect: str) -> str:
    if dialect == "spark":
        return "`" + name.replace("`", "``") + "`"
    return '"' + name.replace('"', '""') + '"'


def key_sql(expression: str, dialect: str = "duckdb") -> str:
    """The SQL expression of the dotless key of a code held in *expression* (null when not a code).

    Examples
    --------
    >>> print(key_sql("dx").replace(" THEN", "\\nTHEN"))
    CASE WHEN length(dx) <= 32 AND regexp_matches(trim(dx), '^[A-Za-z][0-9A-Za-z]{2}[.]?[0-9A-Za-z]{0,4}$')
    THEN upper(replace(trim(dx), '.', '')) END
    """
    expression = check_name(expression, "SQL expression")
    dialect = _check_dialect(dialect)
    match = "regexp_matches" if dialect == "duckdb" else "regexp_like"
    return (
        f"CASE WHEN length({expression}) <= 32 AND {match}(trim({expression}), {_quote(_SHAPE)}) "
        f"THEN upper(replace(trim({expression}), '.', '')) END"
    )


def _check_dialect(dialect: object) -> str:
    return check_choice(dialect, _DIALECTS, "SQL dialect")


def tables(kb: Any, prepared: list[Prepared]) -> dict[str, Any]:
    """The tables of :data:`TABLES` as pyarrow Tables, for the grouper maps *prepared* (a list of Prepared)."""
    import pyarrow as pa

    from .release import columns_of

    prepared = as_list(prepared, "prepared groupers", "expected a list of what prepare() returns")
    for p in prepared:
        if not isinstance(p, Prepared):
            raise InvalidArgumentError(p, "expected what prepare() returns", "prepared grouper")
    rc = columns_of(kb)
    groupers: list[dict[str, Any]] = []
    rows: list[dict[str, Any]] = []
    groups: list[dict[str, Any]] = []
    hierarchy: list[dict[str, Any]] = []
    weights: list[dict[str, Any]] = []
    sequela: list[dict[str, Any]] = []
    for p in prepared:
        gmap = p.map
        name = gmap.name
        groupers.append({"grouper": name, "version": gmap.version, "citation": getattr(gmap, "citation", "")})
        rows.extend(
            {"grouper": name, "code": c, "key": c.replace(".", "").upper(), "group_id": g} for c, g in gmap.rows
        )
        for order, g in enumerate(p.groups):
            groups.append(
                {
                    "grouper": name,
                    "group_id": g,
                    "label": gmap.labels.get(g, g),
                    "group_order": order,
                    "poa_required": bool(p.poa_required[order]),
                }
            )
        hierarchy.extend({"grouper": name, "dominant": p.groups[a], "removed": p.groups[b]} for a, b in p.hierarchy)
        for score, vector in p.weights.items():
            weights.extend(
                {"grouper": name, "score": score, "group_id": g, "weight": float(w)}
                for g, w in zip(p.groups, vector.tolist())
                if w
            )
        sequela.extend({"grouper": name, "key": k, "group_id": p.groups[g]} for k, g in sorted(p.sequela))

    def table(records: list[dict[str, Any]], schema: Any) -> Any:
        return pa.Table.from_pylist(records, schema=schema)

    s, i, f, b = pa.string(), pa.int32(), pa.float64(), pa.bool_()
    return {
        "icd10cm": rc.table,
        "icd10_groupers": table(groupers, pa.schema([("grouper", s), ("version", s), ("citation", s)])),
        "icd10_grouper_map": table(rows, pa.schema([("grouper", s), ("code", s), ("key", s), ("group_id", s)])),
        "icd10_grouper_groups": table(
            groups, pa.schema([("grouper", s), ("group_id", s), ("label", s), ("group_order", i), ("poa_required", b)])
        ),
        "icd10_grouper_hierarchy": table(hierarchy, pa.schema([("grouper", s), ("dominant", s), ("removed", s)])),
        "icd10_grouper_weights": table(
            weights, pa.schema([("grouper", s), ("score", s), ("group_id", s), ("weight", f)])
        ),
        "icd10_grouper_sequela": table(sequela, pa.schema([("grouper", s), ("key", s), ("group_id", s)])),
    }


def per_patient_sql(
    prepared: Prepared,
    claims: str,
    *,
    patient: str = "patient",
    code: str = "code",
    poa: str | None = None,
    output: str = "flags",
    assume_poa: bool = False,
    hierarchy: bool = True,
    dialect: str = "duckdb",
    broadcast: bool = True,
) -> str:
    """One SQL query grouping the table or view *claims* per patient, as :func:`.per_patient` does.

    The result has one row per patient (ordered by patient): for
    ``output="flags"`` one boolean column per group (null when unassessed)
    and a ``score_<name>`` column per weight set; for ``output="set"`` a
    ``groups`` array. The grouper's tables must be on the connection
    (``register``).
    """
    if not isinstance(prepared, Prepared):
        raise InvalidArgumentError(prepared, "expected what prepare() returns", "prepared grouper")
    claims = check_name(claims, "claims table")
    patient, code = check_name(patient, "patient column"), check_name(code, "code column")
    poa = check_name(poa, "poa column") if poa is not None else None
    output = check_choice(output, ("flags", "set"), "output")
    check_bool(assume_poa, "assume_poa")
    check_bool(hierarchy, "hierarchy")
    dialect = _check_dialect(dialect)
    check_bool(broadcast, "broadcast")

    def q(name: str) -> str:
        return _ident(name, dialect)

    name = _quote(prepared.map.name)
    hint = "/*+ BROADCAST(m) */ " if dialect == "spark" and broadcast else ""
    text = "VARCHAR" if dialect == "duckdb" else "STRING"
    poa_expr = f"upper(trim(coalesce(CAST({q(poa)} AS {text}), '')))" if poa else ("'Y'" if assume_poa else "NULL")
    present, absent = "('Y', 'W', '1', 'E')", "('N', 'U')"
    pairs = f"""
pairs AS (
  SELECT {hint}c.{q(patient)} AS patient, m.group_id, c.poa, g.poa_required,
         (s.key IS NOT NULL) AS sequela
  FROM (SELECT {q(patient)}, {key_sql(q(code), dialect)} AS key, {poa_expr} AS poa
        FROM {claims}) c
  JOIN (SELECT key, group_id FROM icd10_grouper_map WHERE grouper = {name}) m ON m.key = c.key
  JOIN (SELECT group_id, poa_required FROM icd10_grouper_groups WHERE grouper = {name}) g ON g.group_id = m.group_id
  LEFT JOIN (SELECT key, group_id FROM icd10_grouper_sequela WHERE grouper = {name}) s
    ON s.key = m.key AND s.group_id = m.group_id
)"""
    found = f"""
found AS (
  SELECT DISTINCT patient, group_id FROM pairs
  WHERE NOT poa_required OR (NOT sequela AND poa IN {present})
  UNION
  SELECT patient, group_id FROM (
    SELECT DISTINCT patient, group_id FROM pairs WHERE poa_required AND sequela AND poa IN {present}
    EXCEPT
    SELECT DISTINCT patient, group_id FROM pairs WHERE poa_required AND NOT sequela AND poa IN {absent}
  ) x

)"""
    found_unassessed = "unassessed AS (SELECT DISTINCT patient, group_id FROM pairs WHERE poa_required AND poa IS NULL)"
    if hierarchy:
        kept = f"""
kept AS (
  SELECT patient, group_id FROM found
  EXCEPT
  SELECT f.patient, h.removed FROM found f
  JOIN (SELECT dominant, removed FROM icd10_grouper_hierarchy WHERE grouper = {name}) h ON h.dominant = f.group_id
  JOIN found f2 ON f2.patient = f.patient AND f2.group_id = h.removed
)"""
    else:
        kept = "\nkept AS (SELECT patient, group_id FROM found)"
    everyone = f"everyone AS (SELECT DISTINCT {q(patient)} AS patient FROM {claims})"
    head = f"WITH {everyone},{pairs},{found},{kept}"
    if output == "set":
        if dialect == "duckdb":
            collect = "coalesce(list(k.group_id ORDER BY o.group_order) FILTER (WHERE k.group_id IS NOT NULL), [])"
        else:
            collect = (
                "transform(array_sort(collect_list(CASE WHEN k.group_id IS NOT NULL THEN "
                "struct(o.group_order, k.group_id) END)), x -> x.group_id)"
            )
        return f"""{head}
SELECT e.patient AS {q(patient)}, {collect} AS groups
FROM everyone e LEFT JOIN kept k ON k.patient = e.patient
LEFT JOIN (SELECT group_id, group_order FROM icd10_grouper_groups WHERE grouper = {name}) o ON o.group_id = k.group_id
GROUP BY e.patient ORDER BY e.patient"""
    columns = []
    for i, group in enumerate(prepared.groups):
        g = _quote(group)
        flag = f"max(CASE WHEN a.side = 0 AND a.group_id = {g} THEN 1 ELSE 0 END) = 1"
        if prepared.poa_required[i] and not poa and not assume_poa:
            flag = (
                f"CASE WHEN {flag} THEN true "
                f"WHEN max(CASE WHEN a.side = 1 AND a.group_id = {g} THEN 1 ELSE 0 END) = 1 THEN NULL ELSE false END"
            )
        columns.append(f"{flag} AS {q(group)}")
    for score, vector in prepared.weights.items():
        cases = " ".join(f"WHEN {_quote(g)} THEN {float(w)!r}" for g, w in zip(prepared.groups, vector.tolist()) if w)
        expr = (
            f"CAST(sum(CASE WHEN a.side = 0 THEN CASE a.group_id {cases} ELSE 0.0 END ELSE 0.0 END) AS DOUBLE)"
            if cases
            else "CAST(0.0 AS DOUBLE)"
        )
        columns.append(f"{expr} AS {q('score_' + score)}")
    select = ",\n       ".join(columns)
    return f"""{head},
{found_unassessed}
SELECT e.patient AS {q(patient)},
       {select}
FROM everyone e
LEFT JOIN (SELECT patient, group_id, 0 AS side FROM kept
           UNION ALL SELECT patient, group_id, 1 AS side FROM unassessed) a ON a.patient = e.patient
GROUP BY e.patient ORDER BY e.patient"""


def clean_sql(claims: str, code: str = "code", dialect: str = "duckdb", *, broadcast: bool = True) -> str:
    """A query adding ``icd10_code``, ``icd10_status``, ``icd10_category``, ``icd10_block``, ``icd10_chapter``.

    Every column of *claims* is kept; the new ones are those of
    :func:`~icd10kb.columns.normalize`, :func:`~icd10kb.columns.validate` and
    :func:`~icd10kb.columns.roll_up`, by one join with ``icd10cm`` on the key.

    Examples
    --------
    >>> print(clean_sql("claims", "dx").splitlines()[-1][:40])
    LEFT JOIN icd10cm r ON r.dotless = CASE
    """
    claims, code = check_name(claims, "claims table"), check_name(code, "code column")
    dialect = _check_dialect(dialect)
    check_bool(broadcast, "broadcast")

    def q(name: str) -> str:
        return _ident(name, dialect)

    hint = "/*+ BROADCAST(r) */ " if dialect == "spark" and broadcast else ""
    key = key_sql(f"c.{q(code)}", dialect)
    return f"""SELECT {hint}c.*, r.code AS icd10_code,
  CASE WHEN r.code IS NOT NULL THEN CASE WHEN r.billable THEN 'valid' ELSE 'header' END
       WHEN {key} IS NOT NULL THEN 'unknown' ELSE 'malformed' END AS icd10_status,
  r.category AS icd10_category, r.block AS icd10_block, r.chapter AS icd10_chapter
FROM {claims} c
LEFT JOIN icd10cm r ON r.dotless = {key}"""
