"""An independent audit of a published (suppressed) table, for the tests.

It does not use reports.sdc: from the exact table (for the structure a reader knows: which
columns add up to their total, which rows to their row total) and the published one (numbers,
"<3", "x"), it writes the linear program itself and asks scipy.optimize.linprog for the minimum
and maximum of every hidden value, always by LP (no closed forms).
"""

from __future__ import annotations

from scipy.optimize import linprog

from reports.tables import HIDDEN, SMALL, Table

THRESHOLD = 3


def _is_count(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def relations(exact: Table) -> tuple[list, list]:
    """``(equalities, inequalities)`` as lists of ``{cell: coefficient}`` (sum == 0 / <= 0)."""
    eqs, les = [], []
    n, rt = len(exact.rows), exact.row_total_column
    value = {}
    for r, row in enumerate(exact.rows):
        for c in exact.count_columns:
            if _is_count(row[c]):
                value[(r, c)] = row[c]
    if exact.total is not None:
        for c in exact.count_columns:
            if _is_count(exact.total[c]):
                value[("T", c)] = exact.total[c]
    for c in exact.count_columns:
        cells = [(r, c) for r in range(n)]
        if ("T", c) not in value or any(k not in value for k in cells):
            continue
        s = sum(value[k] for k in cells)
        if s == value[("T", c)]:
            eqs.append({**dict.fromkeys(cells, 1), ("T", c): -1})
        else:
            for k in cells:
                if value[k] <= value[("T", c)]:
                    les.append({k: 1, ("T", c): -1})
            if value[("T", c)] <= s:
                les.append({("T", c): 1, **dict.fromkeys(cells, -1)})
    if rt is not None:
        parts = [c for c in exact.count_columns if c != rt]
        for r in [*range(n), "T"]:
            keys = [(r, c) for c in parts]
            known = (r, rt) in value and all(k in value for k in keys)
            if known and sum(value[k] for k in keys) == value[(r, rt)]:
                eqs.append({**dict.fromkeys(keys, 1), (r, rt): -1})
    return eqs, les, value


def published(shown: Table) -> dict:
    out = {}
    for r, row in enumerate(shown.rows):
        for c in shown.count_columns:
            out[(r, c)] = row[c]
    if shown.total is not None:
        for c in shown.count_columns:
            out[("T", c)] = shown.total[c]
    return out


def intervals(exact: Table, shown: Table, *, knows_method: bool = False) -> tuple[dict, dict]:
    """Every hidden value's ``(min, max)`` for a reader of ``shown`` (see intervals_together)."""
    out, value = intervals_together([(exact, shown)], (), knows_method=knows_method)
    return {k[1]: v for k, v in out.items()}, {k[1]: v for k, v in value.items()}


def intervals_together(pairs, links, *, knows_method: bool = False) -> tuple[dict, dict]:
    """Every hidden value's ``(min, max)`` for a reader of the shown tables of ``pairs``
    (``(exact, shown)``), who knows each table's relations and, for ``links``
    (reports.sdc.Link), that those counts in two tables are equal. With ``knows_method`` the
    reader also uses: "<3" is 1 or 2, a hidden total >= 1, a hidden inner cell >= 3 if it is a
    complementary cell, else >= 1 (a reader who even knows which is which)."""
    eqs, les, value, pub, rts = [], [], {}, {}, {}
    for exact, shown in pairs:
        t_eqs, t_les, t_value = relations(exact)
        name = exact.key
        eqs += [{(name, k): c for k, c in rel.items()} for rel in t_eqs]
        les += [{(name, k): c for k, c in rel.items()} for rel in t_les]
        value.update({(name, k): v for k, v in t_value.items()})
        pub.update({(name, k): v for k, v in published(shown).items()})
        rts[name] = exact.row_total_column
    for link in links:
        rel = {}
        for side, sign in ((link.left, 1), (link.right, -1)):
            for table, cell in side:
                key = (table, ("T", cell[1]) if cell[0] == "t" else (cell[1], cell[2]))
                rel[key] = rel.get(key, 0) + sign
        if all(k in value for k in rel) and sum(c * value[k] for k, c in rel.items()) == 0:
            eqs.append(rel)
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
        table, cell = k
        is_total = cell[0] == "T" or cell[1] == rts[table]
        if not knows_method:
            bounds.append((0, None))
        elif pub[k] == SMALL:
            bounds.append((1, 2))
        elif is_total or value[k] < THRESHOLD:
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
    for exact, shown in pairs:
        pub.update({(exact.key, k): v for k, v in published(shown).items()})
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
