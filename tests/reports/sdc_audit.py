"""An independent audit of published (suppressed) tables, for the tests.

It does not use reports.sdc's algorithm: from the exact tables (for the structure a reader
knows: what each column's total row is, which columns a row total sums, which counts two
tables share) and the published ones (numbers, "<3", "x"), it writes the linear program itself
and asks scipy.optimize.linprog for the minimum and maximum of every hidden value, always by LP
(no closed forms). Cells are named (table, row key, column key), as the tables name them.

A relation the exact figures do not satisfy is a failure here too, never left out: a total
declared as a sum that is not one, a row total that does not add up, a link whose cells are not
there or whose figures disagree.
"""

from __future__ import annotations

from scipy.optimize import linprog

from reports.tables import DISTINCT, HIDDEN, SMALL, TOTAL, Table

THRESHOLD = 3


def _is_count(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def cells(table: Table) -> dict:
    """``{(table, row, column): value}`` of every count cell, the total row included."""
    out = {}
    for row in table.lines():
        for column in table.columns:
            if column.count:
                out[(table.key, row.key, column.key)] = row[table.index(column.key)]
    return out


def relations(exact: Table) -> tuple[list, list, dict]:
    """``(equalities, inequalities, values)``; relations as ``{cell: coefficient}`` meaning
    sum == 0 / <= 0. Asserts that the exact figures satisfy what the table declares."""
    value = cells(exact)
    for k, v in value.items():
        assert _is_count(v), (k, v)
    eqs, les = [], []
    key = exact.key
    inner = [row.key for row in exact.rows]
    counts = [c for c in exact.columns if c.count]
    if exact.total is not None:
        for column in counts:
            t = (key, TOTAL, column.key)
            parts = [(key, r, column.key) for r in inner]
            s = sum(value[k] for k in parts)
            if s == value[t]:
                eqs.append({**dict.fromkeys(parts, 1), t: -1})
            else:
                assert column.total == DISTINCT, f"{t}: {value[t]} is not the sum {s}"
                for k in parts:
                    assert value[k] <= value[t], (k, value[k], t, value[t])
                    les.append({k: 1, t: -1})
                assert value[t] <= s, (t, value[t], s)
                les.append({t: 1, **dict.fromkeys(parts, -1)})
    for column in counts:
        if not column.sums:
            continue
        for row in [*inner, *([TOTAL] if exact.total is not None else [])]:
            parts = [(key, row, c) for c in column.sums]
            whole = (key, row, column.key)
            assert sum(value[k] for k in parts) == value[whole], (whole, column.sums)
            eqs.append({**dict.fromkeys(parts, 1), whole: -1})
    return eqs, les, value


def published(shown: Table) -> dict:
    return cells(shown)


def intervals(exact: Table, shown: Table, *, knows_method: bool = False) -> tuple[dict, dict]:
    """Every hidden value's ``(min, max)`` for a reader of ``shown`` (see intervals_together),
    by (row key, column key)."""
    out, value = intervals_together([(exact, shown)], (), knows_method=knows_method)
    return {k[1:]: v for k, v in out.items()}, {k[1:]: v for k, v in value.items()}


def intervals_together(pairs, links, *, knows_method: bool = False) -> tuple[dict, dict]:
    """Every hidden value's ``(min, max)`` for a reader of the shown tables of ``pairs``
    (``(exact, shown)``), who knows each table's relations and, for ``links``
    (reports.sdc.Link), that those counts in two tables are equal (or one at most the other).
    With ``knows_method`` the reader also uses: "<3" is 1 or 2, a hidden total >= 1, a hidden
    inner cell >= 3 if it is a complementary cell, else >= 1 (a reader who even knows which is
    which)."""
    eqs, les, value, pub, totals = [], [], {}, {}, set()
    for exact, shown in pairs:
        t_eqs, t_les, t_value = relations(exact)
        eqs += t_eqs
        les += t_les
        value.update(t_value)
        pub.update(published(shown))
        row_totals = {c.key for c in exact.columns if c.sums}
        totals |= {k for k in t_value if k[1] == TOTAL or k[2] in row_totals}
    for link in links:
        rel: dict = {}
        for side, sign in ((link.left, 1), (link.right, -1)):
            for cell in side:
                key = (cell.table, cell.row, cell.column)
                assert key in value, f"link {link.name!r}: no count cell {key}"
                rel[key] = rel.get(key, 0) + sign
        s = sum(c * value[k] for k, c in rel.items())
        if link.kind == "eq":
            assert s == 0, f"link {link.name!r} does not hold ({s})"
            eqs.append(rel)
        else:
            assert s <= 0, f"link {link.name!r} does not hold ({s})"
            les.append(rel)
    hidden = [k for k in value if pub.get(k) in (SMALL, HIDDEN)]
    for k in value:  # whatever is not hidden is shown exactly as it is
        assert k in hidden or pub[k] == value[k], (k, pub[k], value[k])
    index = {k: i for i, k in enumerate(hidden)}

    def rows(relations, equal: bool):
        a, b = [], []
        for rel in relations:
            row = [0.0] * len(hidden)
            rhs = 0.0
            for k, coef in rel.items():
                if k in index:
                    row[index[k]] += coef
                else:
                    rhs -= coef * value[k]
            if any(row):
                a.append(row)
                b.append(rhs)
            else:
                assert (rhs == 0) if equal else (rhs >= 0)
        return a, b

    a_eq, b_eq = rows(eqs, True)
    a_ub, b_ub = rows(les, False)
    bounds = []
    for k in hidden:
        if not knows_method:
            bounds.append((0, None))
        elif pub[k] == SMALL:
            bounds.append((1, 2))
        elif k in totals or value[k] < THRESHOLD:
            bounds.append((1, None))
        else:
            bounds.append((THRESHOLD, None))
    out = {}
    for k in hidden:
        ends = []
        for sign in (1, -1):
            c = [0.0] * len(hidden)
            c[index[k]] = sign
            res = linprog(
                c,
                A_eq=a_eq or None,
                b_eq=b_eq or None,
                A_ub=a_ub or None,
                b_ub=b_ub or None,
                bounds=bounds,
                method="highs",
            )
            if res.status == 3:
                ends.append(float("inf"))
            else:
                assert res.status == 0, res.message
                ends.append(sign * res.fun)
        out[k] = (ends[0], ends[1])
    return out, value


def assert_protected(exact: Table, shown: Table) -> None:
    """One table on its own (see assert_protected_together)."""
    assert_protected_together([(exact, shown)], ())


def assert_protected_together(pairs, links) -> None:
    """No hidden value can be pinned down: width >= 3 for a reader who only knows the figures
    are counts >= 0; a true 1 or 2 keeps two possible values (a "<3": 1 and 2) for one who
    knows the method; a real 0 is shown."""
    plain, value = intervals_together(pairs, links)
    for k, (lo, hi) in plain.items():
        assert hi - lo >= THRESHOLD - 1e-6, (k, value[k], lo, hi)
        assert lo <= value[k] + 1e-6 <= hi + 2e-6
    informed, _value = intervals_together(pairs, links, knows_method=True)
    pub = {}
    for _exact, shown in pairs:
        pub.update(published(shown))
    for k, (lo, hi) in informed.items():
        if 0 < value[k] < THRESHOLD:
            assert hi - lo >= 1 - 1e-6, (k, value[k], lo, hi)
            if pub[k] == SMALL:
                assert lo <= 1 + 1e-6 and hi >= 2 - 1e-6
    for k, v in value.items():
        if v == 0:
            assert pub[k] == 0, (k, pub[k])  # a real 0 is never hidden
        if 0 < v < THRESHOLD:
            assert pub[k] in (SMALL, HIDDEN), (k, pub[k])
