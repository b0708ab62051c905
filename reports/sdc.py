"""Statistical disclosure control (SDC) of the tables that leave a region.

Cell suppression as in the standard method (Hundepool et al., *Statistical Disclosure Control*,
Wiley 2012, ch. 4; the "interval protection" rule of τ-ARGUS):

1. **Primary suppression**: every count of 1 or 2 (below :data:`THRESHOLD`) is hidden — an
   inner cell as ``"<3"``, a total (a total row cell or a row-total column cell) as ``"x"``.
2. **Secondary (complementary) suppression**: more cells are hidden ("x") until every hidden
   value's *feasible interval* — the minimum and maximum consistent with everything published
   with it (the other cells, the row and column totals, the grand total, every count >= 0) — is
   at least :data:`THRESHOLD` wide. Greedy: for a hidden value that is not yet protected, hide
   the smallest published inner cell (>= 3) in one of its lines, a total only when no inner
   cell is left; then verify again.
3. **Verification** of every hidden value with a linear program (HiGHS through
   ``scipy.optimize.linprog``; a closed form where the value is in a single equation) under two
   readers:

   - *model A* (the issue's criterion): published figures exact, hidden values only >= 0;
     each hidden value's interval must be >= :data:`THRESHOLD` wide;
   - *model B* (a reader who also knows this method): ``"<3"`` means 1 or 2, a hidden inner
     cell "x" is a complementary cell and so >= 3 (a 1 or 2 would read "<3", a 0 is never
     hidden), a hidden total is >= 1; each true 1 or 2 must keep at least two possible values
     (for a "<3": both 1 and 2).

   Hiding more only widens intervals, so the greedy ends; hiding every non-zero value always
   passes both models (for linked tables after showing as "x" a "<3" that another table would
   give away — the last resort of :func:`suppression_pattern`), so it ends protected.

**Linked tables** (:func:`protect_together`): tables shown together are one system, with the
counts they share (:class:`Link`) as extra equations.

**Zeros stay visible 0.** A 0 names nobody; it is one more exact figure in the equations above,
so the check already accounts for what it tells about the other cells, and a reader may rely on
"a hidden value is never 0" (model B). A zero is never used as a complementary cell: hiding it
would show "x" where nothing is (the issue's "a real 0 shown as x").

**Which relations a reader knows.** A column whose total row equals its sum is an equation; a
column whose total is a distinct count (e.g. "jeugdigen with any activity") gives the reader
"each cell <= total <= sum of the cells"; a row-total column equal to the sum of the row's
other count columns is an equation, also in the total row (the grand total). A relation is
assumed whenever the exact figures satisfy it, which can only make the check stricter.

Pure Python apart from the LP; small tables (at most a few hundred cells) only.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .tables import Table

THRESHOLD = 3
SMALL = "<3"
HIDDEN = "x"
INF = float("inf")
EPS = 1e-6


class SuppressionError(RuntimeError):
    """The table could not be protected (cannot happen for tables of counts >= 0)."""


@dataclass(frozen=True)
class Var:
    key: Hashable
    value: int
    is_total: bool

    @property
    def primary(self) -> bool:
        return 0 < self.value < THRESHOLD


@dataclass(frozen=True)
class Relation:
    """``sum(coef * x) == 0`` (``kind == "eq"``) or ``<= 0`` (``"le"``) over variables' keys."""

    coefs: tuple[tuple[Hashable, int], ...]
    kind: str = "eq"


@dataclass
class System:
    """The published table as a reader sees it: values and the relations between them."""

    vars: dict[Hashable, Var]
    relations: list[Relation]

    def neighbours(self) -> dict[Hashable, set[Hashable]]:
        out: dict[Hashable, set[Hashable]] = {k: set() for k in self.vars}
        for rel in self.relations:
            keys = [k for k, _c in rel.coefs]
            for k in keys:
                out[k].update(keys)
        for k, ns in out.items():
            ns.discard(k)
        return out


def _int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _holds(rel: Relation, values: dict) -> bool:
    s = sum(c * values[k] for k, c in rel.coefs)
    return s == 0 if rel.kind == "eq" else s <= 0


def system_for(table: Table) -> System:
    """Variables and relations of a :class:`~reports.tables.Table` (see the module docstring)."""
    rt = table.row_total_column
    counts = list(table.count_columns)
    vars_: dict[Hashable, Var] = {}
    for r, row in enumerate(table.rows):
        for c in counts:
            if c < len(row) and _int(row[c]):
                vars_[("c", r, c)] = Var(("c", r, c), row[c], is_total=(c == rt))
    total = table.total
    if total is not None:
        for c in counts:
            if c < len(total) and _int(total[c]):
                vars_[("t", c)] = Var(("t", c), total[c], is_total=True)
    values = {k: v.value for k, v in vars_.items()}
    candidates: list[Relation] = []
    n = len(table.rows)
    for c in counts:
        t = ("t", c)
        cells = [("c", r, c) for r in range(n)]
        if t not in vars_ or not all(k in vars_ for k in cells):
            continue
        column_sum = Relation(tuple((k, 1) for k in cells) + ((t, -1),))
        if _holds(column_sum, values):
            candidates.append(column_sum)
        else:  # a distinct count: each cell <= total <= the cells' sum
            candidates.extend(Relation(((k, 1), (t, -1)), "le") for k in cells)
            candidates.append(Relation(((t, 1), *((k, -1) for k in cells)), "le"))
    if rt is not None:
        parts = [c for c in counts if c != rt]
        lines = [("c", r) for r in range(n)] + ([("t",)] if total is not None else [])
        for line in lines:
            keys = [(*line, c) for c in parts]
            whole = (*line, rt)
            if whole in vars_ and all(k in vars_ for k in keys):
                candidates.append(Relation(tuple((k, 1) for k in keys) + ((whole, -1),)))
    relations = [rel for rel in candidates if _holds(rel, values)]
    return System(vars=vars_, relations=relations)


# -- intervals ---------------------------------------------------------------------------------
def _bounds(var: Var, hidden: set, model: str) -> tuple[float, float]:
    if model == "A":
        return 0.0, INF
    if var.is_total:
        return 1.0, INF
    return (1.0, 2.0) if var.primary else (float(THRESHOLD), INF)


def _reduced(system: System, hidden: set, component: set) -> list[tuple[dict, float, str]]:
    """The relations among ``component``'s hidden values with the published ones moved to the
    right-hand side: ``(coefs, rhs, kind)`` meaning ``sum(coefs * x) (== | <=) rhs``."""
    out = []
    for rel in system.relations:
        coefs = {k: c for k, c in rel.coefs if k in hidden}
        if not coefs or not set(coefs) <= component:
            continue
        rhs = -sum(c * system.vars[k].value for k, c in rel.coefs if k not in hidden)
        out.append((coefs, float(rhs), rel.kind))
    return out


def _components(system: System, hidden: set) -> list[set]:
    parent = {k: k for k in hidden}

    def find(k):
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for rel in system.relations:
        keys = [k for k, _c in rel.coefs if k in hidden]
        for a, b in zip(keys, keys[1:], strict=False):
            parent[find(a)] = find(b)
    groups: dict = {}
    for k in hidden:
        groups.setdefault(find(k), set()).add(k)
    return list(groups.values())


def _closed_form(target, coefs: dict, rhs: float, bounds: dict) -> tuple[float, float]:
    """``target``'s range in one equation ``sum(coefs * x) == rhs`` within ``bounds``."""
    lo_rest = hi_rest = 0.0
    for k, c in coefs.items():
        if k == target:
            continue
        lo, hi = bounds[k]
        lo_rest += c * lo if c > 0 else c * hi
        hi_rest += c * hi if c > 0 else c * lo
    a = coefs[target]
    lo, hi = (rhs - hi_rest) / a, (rhs - lo_rest) / a
    if a < 0:
        lo, hi = hi, lo
    blo, bhi = bounds[target]
    return max(lo, blo), min(hi, bhi)


def _lp_range(
    target, keys: list, rels: list, bounds: dict, signs=(1.0, -1.0)
) -> tuple[float, float]:
    from scipy.optimize import linprog

    index = {k: i for i, k in enumerate(keys)}
    a_eq, b_eq, a_ub, b_ub = [], [], [], []
    for coefs, rhs, kind in rels:
        row = [0.0] * len(keys)
        for k, c in coefs.items():
            row[index[k]] = float(c)
        (a_eq if kind == "eq" else a_ub).append(row)
        (b_eq if kind == "eq" else b_ub).append(rhs)
    box = [(bounds[k][0], None if bounds[k][1] == INF else bounds[k][1]) for k in keys]
    out = [-INF, INF]  # not computed: the widest answer
    for sign in signs:
        c = [0.0] * len(keys)
        c[index[target]] = sign
        res = linprog(
            c,
            A_ub=a_ub or None,
            b_ub=b_ub or None,
            A_eq=a_eq or None,
            b_eq=b_eq or None,
            bounds=box,
            method="highs",
        )
        end = 0 if sign > 0 else 1
        if res.status == 3:  # unbounded: only possible when maximising
            out[end] = INF if sign < 0 else -INF
        elif res.status == 0:
            out[end] = sign * res.fun
        else:  # the true figures are a solution, so this means a bug
            raise SuppressionError(f"linear program failed: {res.message}")
    return out[0], out[1]


def feasible_range(
    system: System, hidden: set, target, model: str, *, only_max: bool = False, lp: bool = True
) -> tuple[float, float] | None:
    """The interval of hidden value ``target`` for a reader of the published table
    (``only_max``: the lower end is not computed and returned as -inf; ``lp=False``: None
    where only a linear program would tell)."""
    component = next(c for c in _components(system, hidden) if target in c)
    bounds = {k: _bounds(system.vars[k], hidden, model) for k in component}
    rels = _reduced(system, hidden, component)
    if not rels:
        return bounds[target]
    if len(rels) == 1 and rels[0][2] == "eq":
        return _closed_form(target, rels[0][0], rels[0][1], bounds)
    if not lp:
        return None
    signs = (-1.0,) if only_max else (1.0, -1.0)
    return _lp_range(target, sorted(component, key=repr), rels, bounds, signs)


def is_protected(system: System, hidden: set, key) -> bool:
    """Model A: interval >= THRESHOLD wide; model B: a true 1 or 2 keeps two values.

    The maximum is computed first: the true value is feasible, so ``max - value`` wide
    enough settles it without the minimum (half the linear programs)."""
    var = system.vars[key]
    checks = [("A", THRESHOLD)] + ([("B", 1)] if var.primary else [])
    for model, width in checks:
        _lo, hi = feasible_range(system, hidden, key, model, only_max=True)
        if hi - var.value >= width - EPS:
            continue
        lo, hi = feasible_range(system, hidden, key, model)
        if hi - lo < width - EPS:
            return False
    return True


# -- suppression -------------------------------------------------------------------------------
def _order(system: System) -> dict:
    return {k: i for i, k in enumerate(system.vars)}


def _candidate(system: System, hidden: set, key, neighbours: dict, order: dict):
    def pick(keys: Iterable):
        published = [
            system.vars[k]
            for k in keys
            if k not in hidden and system.vars[k].value >= THRESHOLD  # never a zero
        ]
        if not published:
            return None
        return min(published, key=lambda v: (v.is_total, v.value, order[v.key])).key

    near = pick(neighbours[key])
    if near is not None:
        return near
    seen, todo = {key}, [key]  # anything connected to it
    while todo:
        for n in neighbours[todo.pop()]:
            if n not in seen:
                seen.add(n)
                todo.append(n)
    return pick(seen)


def suppression_pattern(system: System) -> set:
    """The keys to hide: the primary cells plus the complementary ones, verified."""
    hidden = {k for k, v in system.vars.items() if v.primary}
    neighbours, order = system.neighbours(), _order(system)
    checked: set = set()  # protected stays protected when more is hidden (intervals only widen)
    while True:
        todo = sorted(hidden - checked, key=lambda k: (not system.vars[k].primary, order[k]))
        failing = next((k for k in todo if not is_protected(system, hidden, k)), None)
        checked |= set(todo[: todo.index(failing)] if failing is not None else todo)
        if failing is None:
            return hidden
        extra = _candidate(system, hidden, failing, neighbours, order)
        if extra is not None:
            hidden.add(extra)
            continue
        # Nothing left to hide, and a "<3" gives it away (linked tables: a count that is the sum
        # of small cells elsewhere). Show one more "<3" of its component as "x", which bounds
        # it only below: the failing value itself first, then its neighbours, then the rest.
        # With every value hidden and bounded only below, each one can move: protected.
        component = next(c for c in _components(system, hidden) if failing in c)
        small = [
            k
            for k in [
                failing,
                *sorted(neighbours[failing], key=order.get),
                *sorted(component, key=order.get),
            ]
            if k in component and system.vars[k].primary and not system.vars[k].is_total
        ]
        if not small:  # cannot happen (see above)
            raise SuppressionError(f"cannot protect {failing!r}")
        system.vars[small[0]] = replace(system.vars[small[0]], is_total=True)  # a relaxation


def audit(system: System, hidden: set) -> dict:
    """Every hidden value's interval under model A and B (for tests, charts and the docs)."""
    return {
        k: (feasible_range(system, hidden, k, "A"), feasible_range(system, hidden, k, "B"))
        for k in hidden
    }


def _signature(table: Table) -> tuple:
    """Everything the pattern depends on: the counts, the totals and the table's shape."""

    def counts(row):
        return tuple(row[c] if c < len(row) and _int(row[c]) else None for c in table.count_columns)

    return (
        tuple(counts(r) for r in table.rows),
        counts(table.total) if table.total is not None else None,
        tuple(table.count_columns),
        table.row_total_column,
        bool(table.chart),
    )


@lru_cache(maxsize=2048)
def _protected(signature: tuple) -> tuple[dict, dict]:
    """``({key: label}, {(row, column): range})`` for a signature: a pure function of the
    counts, kept for repeated views of the same figures (aggregates only, in memory)."""
    rows, total, count_columns, rt, charted = signature
    shape = _Shape(rows, total, count_columns, rt)
    system = system_for(shape)
    hidden = suppression_pattern(system)
    labels, ranges = {}, {}
    for key in hidden:
        var = system.vars[key]
        labels[key] = HIDDEN if var.is_total or not var.primary else SMALL
        if key[0] == "c":
            if labels[key] == SMALL:
                ranges[key[1:]] = (1, 2)
            elif (rng := _shown_range(system, hidden, key, lp=charted)) is not None:
                ranges[key[1:]] = rng
    return labels, ranges


@dataclass(frozen=True)
class _Shape:
    """A table's counts laid out as in the table (columns by index), for :func:`system_for`."""

    counts: tuple
    totals: tuple | None
    count_columns: tuple
    row_total_column: int | None

    def _row(self, values) -> list:
        out = [None] * (max(self.count_columns, default=0) + 1)
        for c, v in zip(self.count_columns, values, strict=True):
            out[c] = v
        return out

    @property
    def rows(self) -> list[list]:
        return [self._row(r) for r in self.counts]

    @property
    def total(self) -> list | None:
        return None if self.totals is None else self._row(self.totals)


def protect(table: Table) -> Table:
    """The table as published to a reader without exact access (see the module docstring).

    The returned table's ``extra["ranges"]`` maps ``(row, column)`` of each hidden inner cell
    to its feasible interval for a reader who knows the method (model B): what a chart draws
    (computed by linear program only for tables with a chart).
    """
    labels, ranges = _protected(_signature(table))
    return _apply(table, labels, dict(ranges))


# -- linked tables ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Link:
    """The same count in two tables shown together: ``sum(left) == sum(right)``, each side a
    tuple of ``(table key, cell key)`` with cell keys ``("c", row, column)`` or
    ``("t", column)`` (the total row). Used only when the exact figures satisfy it."""

    left: tuple
    right: tuple


def protect_together(tables: list[Table], links: Iterable[Link] = ()) -> list[Table]:
    """Tables shown together, protected as one system: a cell hidden in one table cannot be
    read off another (e.g. closed cases in the status table and the grondslag table's
    "Closed" total). A linked cell counts as a total (hidden as "x", never "<3": as "<3" it
    would bound the other table's total to 1 or 2). Tables that are not sensitive (or already
    suppressed) are left as they are; without links this is :func:`protect` per table."""
    todo = [t for t in tables if t.sensitive and not t.suppressed]
    keys = {t.key for t in todo}
    links = tuple(
        link for link in links if all(k in keys for k, _cell in (*link.left, *link.right))
    )
    if not links:
        return [protect(t) if t in todo else t for t in tables]
    signature = (tuple((t.key, _signature(t)) for t in todo), links)
    labels, ranges = _protected_together(signature)
    out = []
    for t in tables:
        if t not in todo:
            out.append(t)
            continue
        out.append(_apply(t, labels.get(t.key, {}), ranges.get(t.key, {})))
    return out


@lru_cache(maxsize=512)
def _protected_together(signature: tuple) -> tuple[dict, dict]:
    parts, links = signature
    vars_: dict = {}
    relations: list[Relation] = []
    charted = {}
    for key, sig in parts:
        rows, total, count_columns, rt, chart = sig
        charted[key] = chart
        system = system_for(_Shape(rows, total, count_columns, rt))
        for k, v in system.vars.items():
            vars_[(key, k)] = replace(v, key=(key, k))
        relations += [
            Relation(tuple(((key, k), c) for k, c in rel.coefs), rel.kind)
            for rel in system.relations
        ]
    values = {k: v.value for k, v in vars_.items()}
    for link in links:
        coefs = tuple((k, 1) for k in link.left) + tuple((k, -1) for k in link.right)
        if all(k in vars_ for k, _c in coefs) and _holds(Relation(coefs), values):
            relations.append(Relation(coefs))
            for k, _c in coefs:  # a count that sums another table's cells is a total there:
                vars_[k] = replace(vars_[k], is_total=True)  # "x" when hidden, not "<3"
    system = System(vars=vars_, relations=relations)
    hidden = suppression_pattern(system)
    labels: dict = {}
    ranges: dict = {}
    for full in hidden:
        table, key = full
        var = system.vars[full]
        label = HIDDEN if var.is_total or not var.primary else SMALL
        labels.setdefault(table, {})[key] = label
        if key[0] == "c":
            if label == SMALL:
                ranges.setdefault(table, {})[key[1:]] = (1, 2)
            elif (rng := _shown_range(system, hidden, full, lp=charted[table])) is not None:
                ranges.setdefault(table, {})[key[1:]] = rng
    return labels, ranges


def _apply(table: Table, labels: dict, ranges: dict) -> Table:
    rows = [list(r) for r in table.rows]
    total = list(table.total) if table.total is not None else None
    for key, label in labels.items():
        if key[0] == "c":
            rows[key[1]][key[2]] = label
        else:
            total[key[1]] = label
    return replace(
        table, rows=rows, total=total, suppressed=True, extra={**table.extra, "ranges": ranges}
    )


def _shown_range(system: System, hidden: set, key, *, lp: bool) -> tuple[int, float] | None:
    rng = feasible_range(system, hidden, key, "B", lp=lp)
    if rng is None:
        return None
    lo, hi = rng
    return round(lo), (hi if hi == INF else round(hi))
