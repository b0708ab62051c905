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

**Cells by name.** A value is a :class:`Cell` — table key, row key, column key (the total row's
key is ``"total"``) — never a position, so reordering a table's rows or columns cannot unlink
or mislabel a cell. Only a tie between equally small complementary candidates is broken by the
order the tables are declared in (so another order may hide another cell of the same size,
equally verified).

**Linked tables** (:func:`protect_together`): tables shown together are one system, with the
counts they share (:class:`Link`, declared by name in :func:`reports.tables.links`) as extra
equations (or inequalities). A link must bind: a cell it names that is not there, or exact
figures that do not satisfy it, raise :class:`LinkError`.

**Zeros stay visible 0.** A 0 names nobody; it is one more exact figure in the equations above,
so the check already accounts for what it tells about the other cells, and a reader may rely on
"a hidden value is never 0" (model B). A zero is never used as a complementary cell: hiding it
would show "x" where nothing is (the issue's "a real 0 shown as x").

**Which relations a reader knows** — what the table declares (reports.tables): a column whose
total-row cell is its sum (``SUM``) is an equation; a column whose total is a distinct count
(``DISTINCT``, e.g. "jeugdigen with any activity") gives the reader "each cell <= total <= sum
of the cells", and the equation where the figures make it one (stricter); a row-total column
(``Column.sums``) is an equation in every row and in the total row (the grand total). Exact
figures that do not satisfy what their table declares raise :class:`RelationError`: a bug,
never a relation quietly left out.

Pure Python apart from the LP; small tables (at most a few hundred cells) only.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:  # pragma: no cover
    from .tables import Table

THRESHOLD = 3
SMALL = "<3"
HIDDEN = "x"
INF = float("inf")
EPS = 1e-6
TOTAL = "total"  # the key of a table's total row (reports.tables.TOTAL)
SUM, DISTINCT = "sum", "distinct"  # what a total-row cell is (reports.tables)


class SuppressionError(RuntimeError):
    """The table could not be protected (cannot happen for tables of counts >= 0)."""


class RelationError(ValueError):
    """The exact figures do not satisfy a relation their tables declare (a total that is not
    the sum it says it is, a row total that does not add up), or a cell is not a count: a bug
    in the figures or in the declaration. Never quietly left out of the protection."""


class LinkError(RelationError):
    """A link between tables released together names a cell that is not there, or the exact
    figures do not satisfy it."""


class Cell(NamedTuple):
    """A cell by name: table key, row key (``"total"`` for the total row), column key."""

    table: str
    row: Hashable
    column: str


@dataclass(frozen=True)
class Var:
    key: Cell
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


@dataclass(frozen=True)
class Frame:
    """What the protection reads of a table, by name (hashable: patterns are memoised per
    frame): its count columns as ``(key, total kind, the columns a row total sums)``, and its
    rows as ``(key, counts in those columns)``, the total row (key ``"total"``) last."""

    key: str
    columns: tuple[tuple[str, str, tuple[str, ...]], ...]
    rows: tuple[tuple[Hashable, tuple[int, ...]], ...]
    has_total: bool


def frame(table: Table) -> Frame:
    """The :class:`Frame` of a table; a count cell that is not a whole number raises."""
    counted = [(i, c) for i, c in enumerate(table.columns) if c.count]
    rows = []
    for row in table.lines():
        values = tuple(row[i] for i, _c in counted)
        for (_i, c), v in zip(counted, values, strict=True):
            if not _int(v):
                raise RelationError(
                    f"table {table.key!r}: cell ({row.key!r}, {c.key!r}) is {v!r}, not a count"
                )
        rows.append((row.key, values))
    return Frame(
        key=table.key,
        columns=tuple((c.key, c.total, tuple(c.sums)) for _i, c in counted),
        rows=tuple(rows),
        has_total=table.total is not None,
    )


def system_for(table: Table | Frame) -> System:
    """Variables and relations of a table (see the module docstring): every count cell by
    name, the relations its columns declare. Figures that break them raise
    :class:`RelationError`."""
    f = table if isinstance(table, Frame) else frame(table)
    row_totals = {key for key, _kind, sums in f.columns if sums}
    vars_: dict[Hashable, Var] = {}
    for row, values in f.rows:
        for (column, _kind, _sums), value in zip(f.columns, values, strict=True):
            cell = Cell(f.key, row, column)
            vars_[cell] = Var(cell, value, is_total=(row == TOTAL or column in row_totals))
    values = {k: v.value for k, v in vars_.items()}
    inner = [row for row, _values in f.rows if not (f.has_total and row == TOTAL)]
    relations: list[Relation] = []

    def must_hold(rel: Relation, what: str) -> Relation:
        if not _holds(rel, values):
            shown = ", ".join(f"{k.row}/{k.column} = {values[k]}" for k, _c in rel.coefs)
            raise RelationError(f"table {f.key!r}: {what} does not hold ({shown})")
        return rel

    if f.has_total:
        for column, kind, _sums in f.columns:
            t = Cell(f.key, TOTAL, column)
            cells = [Cell(f.key, row, column) for row in inner]
            column_sum = Relation(tuple((k, 1) for k in cells) + ((t, -1),))
            if kind == SUM:
                relations.append(must_hold(column_sum, f"column {column!r} sums to its total"))
            elif _holds(column_sum, values):  # a distinct count that is the sum: stricter
                relations.append(column_sum)
            else:  # a distinct count: each cell <= total <= the cells' sum
                relations.extend(
                    must_hold(Relation(((k, 1), (t, -1)), "le"), f"{k.row!r} <= the distinct total")
                    for k in cells
                )
                relations.append(
                    must_hold(
                        Relation(((t, 1), *((k, -1) for k in cells)), "le"),
                        f"the distinct total of {column!r} <= the sum",
                    )
                )
    for column, _kind, sums in f.columns:
        if not sums:
            continue
        for row, _values in f.rows:
            keys = [Cell(f.key, row, part) for part in sums]
            whole = Cell(f.key, row, column)
            rel = Relation(tuple((k, 1) for k in keys) + ((whole, -1),))
            relations.append(must_hold(rel, f"{column!r} is the sum of {', '.join(sums)}"))
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


# -- one table ----------------------------------------------------------------------------------
def _marks(system: System, hidden: set, charted: dict) -> tuple[dict, dict]:
    """``({cell: label}, {cell: range})`` of the hidden cells: "<3" for a small inner value,
    "x" for any other; the range a chart draws for each hidden cell of a row (not the total
    row), computed by linear program only for tables with a chart (``charted`` by table key)."""
    labels, ranges = {}, {}
    for cell in hidden:
        var = system.vars[cell]
        labels[cell] = HIDDEN if var.is_total or not var.primary else SMALL
        if cell.row == TOTAL:
            continue
        if labels[cell] == SMALL:
            ranges[cell] = (1, 2)
        elif (rng := _shown_range(system, hidden, cell, lp=charted[cell.table])) is not None:
            ranges[cell] = rng
    return labels, ranges


@lru_cache(maxsize=2048)
def _protected(f: Frame, charted: bool) -> tuple[dict, dict]:
    """The marks (:func:`_marks`) of one table's frame: a pure function of the counts and the
    table's declared shape, kept for repeated views of the same figures (aggregates only, in
    memory)."""
    system = system_for(f)
    hidden = suppression_pattern(system)
    return _marks(system, hidden, {f.key: charted})


def protect(table: Table) -> Table:
    """The table as published to a reader without exact access (see the module docstring).

    The returned table's ``ranges`` maps (row key, column key) of each hidden inner cell to
    its feasible interval for a reader who knows the method (model B): what a chart draws
    (computed by linear program only for tables with a chart).
    """
    labels, ranges = _protected(frame(table), bool(table.chart))
    return _apply(table, labels, ranges)


# -- linked tables ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Link:
    """A count that two tables released together share, by name: ``sum(left) == sum(right)``
    (``kind`` "eq") or ``sum(left) <= sum(right)`` ("le"), each side a tuple of
    :class:`Cell`. ``name`` says which count it is. It must bind: see :func:`bind`."""

    name: str
    left: tuple[Cell, ...]
    right: tuple[Cell, ...]
    kind: str = "eq"

    @property
    def cells(self) -> tuple[Cell, ...]:
        return (*self.left, *self.right)

    @property
    def tables(self) -> set[str]:
        return {cell.table for cell in self.cells}

    def relation(self) -> Relation:
        coefs = tuple((c, 1) for c in self.left) + tuple((c, -1) for c in self.right)
        return Relation(coefs, self.kind)


def bind(link: Link, tables: dict[str, Table]) -> Relation:
    """The link's relation among the counts of ``tables`` (protected tables by key). Raises
    :class:`LinkError` when a table, row or count column it names is not there, a cell is
    named twice, or the exact figures do not satisfy it."""
    if link.kind not in ("eq", "le"):
        raise LinkError(f"link {link.name!r}: kind {link.kind!r} is neither 'eq' nor 'le'")
    if len(set(link.cells)) != len(link.cells):
        raise LinkError(f"link {link.name!r} names a cell twice")
    values = {}
    for cell in link.cells:
        table = tables.get(cell.table)
        if table is None:
            raise LinkError(
                f"link {link.name!r} names table {cell.table!r}, which is not protected with "
                "it (not released together, not sensitive, or already suppressed)"
            )
        try:
            column = table.column(cell.column)
            value = table.cell(cell.row, cell.column)
        except KeyError as exc:
            raise LinkError(f"link {link.name!r}: {exc.args[0]}") from exc
        if not column.count or not _int(value):
            raise LinkError(f"link {link.name!r}: {cell} is not a count ({value!r})")
        values[cell] = value
    rel = link.relation()
    if not _holds(rel, values):
        left = " + ".join(f"{c.table}[{c.row}, {c.column}] {values[c]}" for c in link.left)
        right = " + ".join(f"{c.table}[{c.row}, {c.column}] {values[c]}" for c in link.right)
        op = "==" if link.kind == "eq" else "<="
        raise LinkError(f"link {link.name!r} does not hold: {left} {op} {right} is false")
    return rel


def protect_together(tables: list[Table], links: Iterable[Link] = ()) -> list[Table]:
    """Tables shown together, protected as one system: a cell hidden in one table cannot be
    read off another (e.g. closed cases in the status table and the grondslag table's
    "Closed" total). A cell of an equation link counts as a total (hidden as "x", never
    "<3": as "<3" it would bound the other table's total to 1 or 2). Every link must bind
    (:func:`bind`). Tables that are not sensitive (or already suppressed) are left as they
    are; without links this is :func:`protect` per table."""
    todo = [t for t in tables if t.sensitive and not t.suppressed]
    by_key = {t.key: t for t in todo}
    if len(by_key) != len(todo):
        raise ValueError(f"tables protected together share a key: {[t.key for t in todo]}")
    links = tuple(links)
    for link in links:
        bind(link, by_key)
    protected = {id(t) for t in todo}
    if not links:
        return [protect(t) if id(t) in protected else t for t in tables]
    labels, ranges = _protected_together(
        tuple(frame(t) for t in todo), tuple(bool(t.chart) for t in todo), links
    )
    return [_apply(t, labels, ranges) if id(t) in protected else t for t in tables]


@lru_cache(maxsize=512)
def _protected_together(frames: tuple[Frame, ...], charted: tuple, links: tuple) -> tuple:
    vars_: dict = {}
    relations: list[Relation] = []
    for f in frames:
        system = system_for(f)
        vars_.update(system.vars)
        relations += system.relations
    for link in links:
        relations.append(link.relation())
        if link.kind == "eq":  # a count that sums another table's cells is a total there:
            for cell in link.cells:  # "x" when hidden, not "<3"
                vars_[cell] = replace(vars_[cell], is_total=True)
    system = System(vars=vars_, relations=relations)
    hidden = suppression_pattern(system)
    return _marks(system, hidden, {f.key: c for f, c in zip(frames, charted, strict=True)})


def _apply(table: Table, labels: dict, ranges: dict) -> Table:
    """The table with the hidden cells' marks in place (``labels`` and ``ranges`` by
    :class:`Cell`; cells of other tables are ignored)."""
    from .tables import Row

    rows = {row.key: Row(row.key, row) for row in table.lines()}
    for cell, label in labels.items():
        if cell.table == table.key:
            rows[cell.row][table.index(cell.column)] = label
    total = rows.pop(TOTAL) if table.total is not None else None
    shown = {
        (cell.row, cell.column): rng for cell, rng in ranges.items() if cell.table == table.key
    }
    return replace(table, rows=list(rows.values()), total=total, suppressed=True, ranges=shown)


def _shown_range(system: System, hidden: set, key, *, lp: bool) -> tuple[int, float] | None:
    rng = feasible_range(system, hidden, key, "B", lp=lp)
    if rng is None:
        return None
    lo, hi = rng
    return round(lo), (hi if hi == INF else round(hi))
