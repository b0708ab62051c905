"""One release of figures for national roles: every figure the landelijk team can see, on any
page, export, chart or PDF, as a view of ONE model of the counts, protected once.

**The model** (:class:`Counts`). Each kind of record is one *cube* of counts: the jeugdigen
(region × step × focus, with grondslag, age band and month of registration), the interviews
(region × month, with respondent kind), the belemmerende factoren (region × agenda status, with
category and level) and the contact moments (month). A cube is stored as a *hub* table (the
dimensions the per-region figures need) and *leaf* tables (a national breakdown each), joined
on a separator that is a function of the hub's cell (open or closed, agenda status, in the
period or not). Every published cell is a sum of cells of one hub or leaf: its *functional*.
The linear relations between published figures — a total and its rows, a region row and the
national breakdowns, the trend's months and the period's interviews — are therefore derived
from the functionals, never listed by hand. The exact figures must make every separator agree
(:class:`~reports.sdc.RelationError` otherwise).

A star of tables joined on separators is a decomposable (junction-tree) model: non-negative
hub and leaf tables that agree on the separators are exactly the margins of some non-negative
table of single records (Vorob'ev 1962; Lauritzen, *Graphical Models*, 1996, §3.2), so a
linear program over the hub and leaf cells gives the same interval for every published cell
as one over the full cross-classification, at a fraction of the size (about 1,300 variables
for 75 regions instead of about 10⁶).

**The release** (:func:`build`): the tables of :data:`NATIONAL_TABLES` plus the per-region
key figures, all views of the model. **The protection** (:func:`protect`) runs once on the
whole release:

1. primary: every cell of 1 or 2 is hidden ("<3");
2. secondary: more cells are hidden ("x") until every hidden cell's feasible interval —
   published cells exact, hidden ones only >= 0, every hub and leaf cell >= 0, every
   separator equation — is at least :data:`~reports.sdc.THRESHOLD` wide (reader A), and no
   hidden cell is pinned to one value for a reader who reads "<3" as 1 or 2 and "x" as at
   least 1 (reader B). Candidates are chosen to lose little: internal cells before totals,
   and a region's open or focus cases only when nothing else protects (never on the demo),
   the smallest first, a candidate that widens the failing interval before one that does not.
   Where only reader B fails, a "<3" is shown as "x" before anything more is hidden.

Cells with the same functional (the national open cases in the key figures, the grondslag
table and the age table) are one unit: hidden or shown together, everywhere.

**Lists are relations too.** The national obstacle agenda lists each national obstacle with
its region, status and category; those counts are a *public* block of the obstacle cube
(fixed values in the linear programs). A figure's *secret* part is what no list shows; it is
primary when that part is 1 or 2, and its mark is "<3" only when the whole is below 3.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field, replace
from datetime import date

from django.utils.translation import gettext as _

from .sdc import HIDDEN, SMALL, THRESHOLD, TOTAL, Cell, RelationError, system_for
from .tables import Column, Row, Table, month_row

EPS = 1e-6
INF = float("inf")

# the tables of the national release, by key (the key figures per region are "regions")
NATIONAL_TABLES = (
    "regions",
    "status",
    "grondslag",
    "age",
    "interviews",
    "obstacles",
    "agenda",
    "trend",
)


# -- the model -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Leaf:
    """A breakdown of a cube: its cells and the separator that joins them to the hub."""

    name: str
    keys: tuple  # every possible cell key (a zero is a cell too)
    leaf_sep: Callable[[Hashable], Hashable]
    hub_sep: Callable[[Hashable], Hashable]


@dataclass(frozen=True)
class Cube:
    """``public``: cells whose counts are shown by a list anyway (each national obstacle on the
    national agenda, with its region, status and category): fixed, known values."""

    name: str
    hub_keys: tuple
    leaves: tuple[Leaf, ...]
    public: tuple = ()

    def blocks(self) -> dict[str, tuple]:
        out = {"hub": self.hub_keys, **{leaf.name: leaf.keys for leaf in self.leaves}}
        return {**out, "public": self.public} if self.public else out


@dataclass
class Counts:
    """The counts of one release, plain values only (the snapshot in the tests is this, as
    JSON): regions as ``(pk, code, name)`` in the order shown, the trend's months, the
    period, and per cube and block ``{key: count}`` (absent keys are 0)."""

    regions: list[tuple[int, str, str]]
    months: list[date]
    period: tuple[date, date]
    values: dict[str, dict[str, dict]]  # cube -> block -> key -> count
    beraad: dict[int, int] = field(default_factory=dict)

    @property
    def pre(self) -> bool:
        """The trend's first month starts before the period (interviews before the start)."""
        return self.period[0] != self.months[0]


def _choices():
    from cases import rules
    from cases.models import Grondslag, Status
    from interviews.models import AgendaStatus, Category, Interview, Level

    return {
        "status": list(Status.values),
        "open": {s: rules.case_open(s) for s in Status.values},
        "developing": Status.IN_ONTWIKKELING,
        "grondslag": list(Grondslag.values),
        "age": [b.key for b in rules.AGE_BANDS],
        "kind": list(Interview.RespondentKind.values),
        "category": list(Category.values),
        "level": list(Level.values),
        "agenda": list(AgendaStatus.values),
        "obstacle_open": {s: not rules.obstacle_closed(s) for s in AgendaStatus.values},
    }


def cubes(counts: Counts) -> dict[str, Cube]:
    """The cubes' shapes: every possible cell, and the separators."""
    c = _choices()
    regions = [pk for pk, _code, _name in counts.regions]
    months = list(range(len(counts.months)))
    is_open = c["open"]
    ob_open = c["obstacle_open"]
    jeugdigen = Cube(
        "J",
        tuple((r, s, f) for r in regions for s in c["status"] for f in (True, False)),
        (
            Leaf(
                "grondslag",
                tuple((g, o) for g in c["grondslag"] for o in (True, False)),
                lambda k: k[1],
                lambda k, o=is_open: o[k[1]],
            ),
            Leaf(
                "age",
                (*((a, True) for a in c["age"]), ("-", False)),
                lambda k: k[1],
                lambda k, o=is_open: o[k[1]],
            ),
            Leaf("month", (*months, "before"), lambda k: 0, lambda k: 0),
        ),
    )
    buckets = (["pre"] if counts.pre else []) + months
    interviews = Cube(
        "I",
        tuple((r, b) for r in regions for b in buckets),
        (Leaf("kind", tuple(c["kind"]), lambda k: True, lambda k: k[1] != "pre"),),
    )
    from interviews.models import Level

    hidden_levels = [lv for lv in c["level"] if lv != Level.NATIONAL]
    obstacles = Cube(  # local and regional ones; the national ones are listed (public)
        "O",
        tuple((r, lv, s) for r in regions for lv in hidden_levels for s in c["agenda"]),
        (
            Leaf(
                "category",
                tuple((x, o) for x in c["category"] for o in (True, False)),
                lambda k: k[1],
                lambda k, o=ob_open: o[k[2]],
            ),
        ),
        public=tuple((r, s, x) for r in regions for s in c["agenda"] for x in c["category"]),
    )
    contacts = Cube("C", tuple(months), ())
    return {cube.name: cube for cube in (jeugdigen, interviews, obstacles, contacts)}


Var = tuple  # (cube, block, key)


def check(counts: Counts) -> None:
    """The exact counts agree on every separator and hold no cell outside the model."""
    for cube in cubes(counts).values():
        blocks = cube.blocks()
        values = counts.values.get(cube.name, {})
        for block, got in values.items():
            unknown = set(got) - set(blocks.get(block, ()))
            if unknown:
                raise RelationError(f"cube {cube.name}/{block}: cells outside the model {unknown}")
            if any(v < 0 for v in got.values()):
                raise RelationError(f"cube {cube.name}/{block}: a negative count")
        hub = values.get("hub", {})
        for leaf in cube.leaves:
            cells = values.get(leaf.name, {})
            seps = {leaf.leaf_sep(k) for k in leaf.keys}
            for sep in seps:
                left = sum(v for k, v in hub.items() if leaf.hub_sep(k) == sep)
                right = sum(v for k, v in cells.items() if leaf.leaf_sep(k) == sep)
                if left != right:
                    raise RelationError(
                        f"cube {cube.name}: {leaf.name} ({right}) and the regions ({left}) "
                        f"disagree on {sep!r}"
                    )


# -- the release -----------------------------------------------------------------------------
@dataclass
class Release:
    """Every table a national role can see, exact, with each sensitive cell's functional."""

    counts: Counts
    tables: dict[str, Table]
    functionals: dict[Cell, frozenset]  # sensitive cell -> the model's cells it sums
    tiers: dict[Cell, int]  # 1 internal, 2 a total, 3 a region's open or focus cases


def _value(counts: Counts, functional) -> int:
    return sum(counts.values.get(c, {}).get(b, {}).get(k, 0) for c, b, k in functional)


def build(counts: Counts) -> Release:
    """The exact release: every table a view of the model."""
    from cases.models import Grondslag, Status
    from interviews.models import AgendaStatus, Category, Interview, Level

    from .metrics.build import choice_labels

    check(counts)
    shape = cubes(counts)
    c = _choices()
    functionals: dict[Cell, frozenset] = {}
    tiers: dict[Cell, int] = {}

    def select(cube: str, block: str, keep) -> frozenset:
        keys = shape[cube].blocks()[block]
        return frozenset((cube, block, k) for k in keys if keep(k))

    def table(key, caption, columns, rows, *, total=True, chart="bars", **kw) -> Table:
        """``rows``: ``(row key, label, {column: functional or plain value})``."""
        out_rows = []
        counted = [col for col in columns[1:] if col.count]
        for row_key, label, cells in rows:
            values = []
            for col in columns[1:]:
                got = cells[col.key]
                if col.count:
                    cell = Cell(key, row_key, col.key)
                    functionals[cell] = got
                    tiers[cell] = 2 if col.sums else 1
                    got = _value(counts, got)
                values.append(got)
            out_rows.append(Row(row_key, [label, *values]))
        total_row = None
        if total:
            values = []
            for col in columns[1:]:
                if col.count:
                    cell = Cell(key, TOTAL, col.key)
                    functionals[cell] = frozenset().union(
                        *(functionals[Cell(key, r, col.key)] for r, _l, _c in rows)
                    )
                    tiers[cell] = 2
                    values.append(_value(counts, functionals[cell]))
                else:
                    values.append(sum(cells[col.key] for _r, _l, cells in rows) if rows else "")
            total_row = Row(TOTAL, [_("Total"), *values])
        del counted
        return Table(
            key=key,
            caption=caption,
            columns=columns,
            rows=out_rows,
            total=total_row,
            chart=chart,
            **kw,
        )

    start, end = counts.period
    period = (start, end)
    is_open = c["open"]
    ob_open = c["obstacle_open"]
    tables: dict[str, Table] = {}

    rows = []
    for pk, code, name in counts.regions:
        rows.append(
            (
                code,
                name,
                {
                    "open": select("J", "hub", lambda k, r=pk: k[0] == r and is_open[k[1]]),
                    "focus": select(
                        "J", "hub", lambda k, r=pk: k[0] == r and is_open[k[1]] and k[2]
                    ),
                    "developing": select(
                        "J", "hub", lambda k, r=pk: k[0] == r and k[1] == c["developing"]
                    ),
                    "interviews": select("I", "hub", lambda k, r=pk: k[0] == r and k[1] != "pre"),
                    "open_obstacles": select(
                        "O", "hub", lambda k, r=pk: k[0] == r and ob_open[k[2]]
                    )
                    | select("O", "public", lambda k, r=pk: k[0] == r and ob_open[k[1]]),
                    "beraad": counts.beraad.get(pk, 0),
                },
            )
        )
    tables["regions"] = table(
        "regions",
        _("Key figures per region"),
        [
            Column("region", _("Region")),
            Column("open", _("Open cases"), count=True),
            Column("focus", _("Focus"), count=True),
            Column("developing", _("In development"), count=True),
            Column("interviews", _("Interviews"), count=True, period=period),
            Column("open_obstacles", _("Open obstacles"), count=True),
            Column("beraad", _("Moreel beraad"), number=True, period=period),
        ],
        rows,
        total=bool(rows),
        chart="",
        extra={"row_keys": "region codes"},
    )
    for _pk, code, _name in counts.regions:
        for col in ("open", "focus"):
            tiers[Cell("regions", code, col)] = 3

    labels = choice_labels(Status.choices)
    tables["status"] = table(
        "status",
        _("Jeugdigen by step in the trajectory"),
        [
            Column("step", _("Step")),
            Column("jeugdigen", _("Jeugdigen"), count=True),
            Column("focus", _("Of which focus"), count=True),
        ],
        [
            (
                s,
                labels[s],
                {
                    "jeugdigen": select("J", "hub", lambda k, s=s: k[1] == s),
                    "focus": select("J", "hub", lambda k, s=s: k[1] == s and k[2]),
                },
            )
            for s in c["status"]
        ],
    )
    labels = choice_labels(Grondslag.choices)
    tables["grondslag"] = table(
        "grondslag",
        _("Jeugdigen by grondslag"),
        [
            Column("grondslag", _("Grondslag")),
            Column("open", _("Open"), count=True),
            Column("closed", _("Closed"), count=True),
            Column("total", _("Total"), count=True, sums=("open", "closed")),
        ],
        [
            (
                g,
                labels[g],
                {
                    "open": select("J", "grondslag", lambda k, g=g: k == (g, True)),
                    "closed": select("J", "grondslag", lambda k, g=g: k == (g, False)),
                    "total": select("J", "grondslag", lambda k, g=g: k[0] == g),
                },
            )
            for g in c["grondslag"]
        ],
    )
    from cases import rules

    tables["age"] = table(
        "age",
        _("Open cases by age"),
        [Column("age", _("Age (years)")), Column("jeugdigen", _("Jeugdigen"), count=True)],
        [
            (b.key, b.label, {"jeugdigen": select("J", "age", lambda k, a=b.key: k == (a, True))})
            for b in rules.AGE_BANDS
        ],
    )
    labels = choice_labels(Interview.RespondentKind.choices)
    tables["interviews"] = table(
        "interviews",
        _("Interviews held by respondent"),
        [
            Column("respondent", _("Respondent")),
            Column("interviews", _("Interviews"), count=True, period=period),
        ],
        [
            (k, labels[k], {"interviews": select("I", "kind", lambda x, k=k: x == k)})
            for k in c["kind"]
        ],
    )
    labels = choice_labels(Category.choices)
    tables["obstacles"] = table(
        "obstacles",
        _("Belemmerende factoren by category"),
        [
            Column("category", _("Category")),
            Column("open", _("Open"), count=True),
            Column("closed", _("Solved or closed"), count=True),
        ],
        [
            (
                x,
                labels[x],
                {
                    "open": select("O", "category", lambda k, x=x: k == (x, True))
                    | select("O", "public", lambda k, x=x: k[2] == x and ob_open[k[1]]),
                    "closed": select("O", "category", lambda k, x=x: k == (x, False))
                    | select("O", "public", lambda k, x=x: k[2] == x and not ob_open[k[1]]),
                },
            )
            for x in c["category"]
        ],
    )
    levels, statuses = choice_labels(Level.choices), choice_labels(AgendaStatus.choices)
    tables["agenda"] = table(
        "agenda",
        _("Belemmerende factoren by level and agenda status"),
        [
            Column("level", _("Level")),
            *(Column(s, statuses[s], count=True) for s in c["agenda"]),
            Column("total", _("Total"), count=True, sums=tuple(c["agenda"])),
        ],
        [
            (
                lv,
                levels[lv],
                {
                    **{
                        s: select("O", "hub", lambda k, lv=lv, s=s: k[1:] == (lv, s))
                        | select(
                            "O", "public", lambda k, lv=lv, s=s: lv == Level.NATIONAL and k[1] == s
                        )
                        for s in c["agenda"]
                    },
                    "total": select("O", "hub", lambda k, lv=lv: k[1] == lv)
                    | select("O", "public", lambda k, lv=lv: lv == Level.NATIONAL),
                },
            )
            for lv in c["level"]
        ],
        chart="",
    )
    trend_period = (counts.months[0], end)
    tables["trend"] = table(
        "trend",
        _("Trend per month"),
        [
            Column("month", _("Month")),
            Column("registered", _("Registered"), count=True, period=trend_period),
            Column("contacts", _("Contact moments"), count=True, period=trend_period),
            Column("interviews", _("Interviews"), count=True, period=trend_period),
        ],
        [
            (
                month_row(m),
                m.strftime("%m-%Y"),
                {
                    "registered": select("J", "month", lambda k, i=i: k == i),
                    "contacts": select("C", "hub", lambda k, i=i: k == i),
                    "interviews": select(
                        "I", "hub", lambda k, i=i: k[1] == i or (i == 0 and k[1] == "pre")
                    ),
                },
            )
            for i, m in enumerate(counts.months)
        ],
        chart="columns",
    )
    for t in tables.values():
        system_for(t)  # what each table declares holds (a total is its sum): by construction
    return Release(counts=counts, tables=tables, functionals=functionals, tiers=tiers)


# -- the protection ---------------------------------------------------------------------------
@dataclass
class Unit:
    """Cells with one functional: one figure, wherever it is shown."""

    functional: frozenset
    cells: list[Cell]
    value: int
    tier: int
    cube: str

    public: int = 0  # the part of the value that a list shows anyway

    @property
    def secret(self) -> int:
        """What is not known from a list: the count the protection is about."""
        return self.value - self.public

    @property
    def primary(self) -> bool:
        return 0 < self.secret < THRESHOLD

    @property
    def fixed(self) -> bool:
        """Known from a list anyway (the national agenda): shown, never hidden."""
        return all(block == "public" for _c, block, _k in self.functional)


class Model:
    """The linear programs of one release: per cube, the hub and leaf cells as variables
    (>= 0), the separators as equations, each published unit as an equation."""

    def __init__(self, release: Release):
        import numpy as np
        from scipy.sparse import csr_matrix

        shape = cubes(release.counts)
        by_functional: dict[frozenset, Unit] = {}
        for cell, functional in release.functionals.items():
            unit = by_functional.get(functional)
            if unit is None:
                cube = next(iter(functional))[0] if functional else "C"
                unit = by_functional[functional] = Unit(
                    functional, [], _value(release.counts, functional), 0, cube
                )
            unit.public = _value(
                release.counts, frozenset(v for v in functional if v[1] == "public")
            )
            unit.cells.append(cell)
            unit.tier = max(unit.tier, release.tiers[cell])
        self.units = list(by_functional.values())
        self.values = np.array([u.value for u in self.units], dtype=float)
        self.cube_units: dict[str, list[int]] = defaultdict(list)
        for i, u in enumerate(self.units):
            if u.functional:
                self.cube_units[u.cube].append(i)
        self.seps, self.matrix, self.n, self.bounds = {}, {}, {}, {}
        for name, cube in shape.items():
            ids: dict[Var, int] = {}
            for block, keys in cube.blocks().items():
                for k in keys:
                    ids[(name, block, k)] = len(ids)
            n = self.n[name] = len(ids)
            known = release.counts.values.get(name, {}).get("public", {})
            self.bounds[name] = [
                (known.get(k, 0),) * 2 if block == "public" else (0, None) for (_c, block, k) in ids
            ]
            data, ri, ci = [], [], []
            r = 0
            for leaf in cube.leaves:
                for sep in {leaf.leaf_sep(k) for k in leaf.keys}:
                    for k in cube.hub_keys:
                        if leaf.hub_sep(k) == sep:
                            ri.append(r), ci.append(ids[(name, "hub", k)]), data.append(1.0)
                    for k in leaf.keys:
                        if leaf.leaf_sep(k) == sep:
                            ri.append(r), ci.append(ids[(name, leaf.name, k)]), data.append(-1.0)
                    r += 1
            self.seps[name] = csr_matrix((data, (ri, ci)), shape=(r, n))
            data, ri, ci = [], [], []
            for row, i in enumerate(self.cube_units[name]):
                for v in self.units[i].functional:
                    ri.append(row), ci.append(ids[v]), data.append(1.0)
            self.matrix[name] = csr_matrix((data, (ri, ci)), shape=(len(self.cube_units[name]), n))

    def solve(self, i: int, hidden: dict[int, str], reader: str, sign: float):
        """The min (sign +1) or max (-1) of unit ``i`` for a reader, and the published units
        whose equations bind it (for choosing what else to hide). ``hidden`` maps a unit to
        its mark."""
        import numpy as np
        from scipy.optimize import linprog
        from scipy.sparse import vstack

        target = self.units[i]
        cube = target.cube
        members = self.cube_units[cube]
        m = self.matrix[cube]
        pub = [r for r, j in enumerate(members) if j not in hidden]
        eq = vstack([self.seps[cube], m[pub]]).tocsr()
        b_eq = np.concatenate([np.zeros(self.seps[cube].shape[0]), self.values[members][pub]])
        a_ub = b_ub = None
        if reader == "B":
            hid = [r for r, j in enumerate(members) if j in hidden]
            small = [r for r, j in enumerate(members) if hidden.get(j) == SMALL]
            a_ub = vstack([-m[hid], m[small]]).tocsr()
            b_ub = np.concatenate([-np.ones(len(hid)), np.full(len(small), THRESHOLD - 1.0)])
        c = m[members.index(i)].toarray().ravel() * sign
        res = linprog(
            c, A_ub=a_ub, b_ub=b_ub, A_eq=eq, b_eq=b_eq, bounds=self.bounds[cube], method="highs"
        )
        if res.status == 3:
            return INF, []
        if res.status != 0:  # the true figures are a solution: a bug
            raise RelationError(f"the release's linear program failed: {res.message}")
        duals = res.eqlin.marginals[self.seps[cube].shape[0] :]
        binding = [members[pub[r]] for r in np.flatnonzero(np.abs(duals) > EPS)]
        return sign * res.fun, binding

    def interval(self, i: int, hidden: dict[int, str], reader: str) -> tuple[float, float]:
        return self.solve(i, hidden, reader, 1.0)[0], self.solve(i, hidden, reader, -1.0)[0]

    def failing(self, i: int, hidden: dict[int, str]) -> tuple[str, list[int]] | None:
        """None when unit ``i`` is protected, else the reader it fails for and the published
        units that bind it."""
        value = self.units[i].value
        for reader, width in (("A", THRESHOLD), ("B", 1)):
            hi, bind_hi = self.solve(i, hidden, reader, -1.0)
            if hi - value >= width - EPS:
                continue
            lo, bind_lo = self.solve(i, hidden, reader, 1.0)
            if hi - lo < width - EPS:
                return reader, bind_hi + bind_lo
        return None


def _lines(units: list[Unit]) -> dict[int, set]:
    """Per unit, the table lines (table and row, table and column) its cells are on."""
    return {
        i: {(c.table, "row", c.row) for c in u.cells}
        | {(c.table, "col", c.column) for c in u.cells}
        for i, u in enumerate(units)
    }


def suppress(model: Model) -> dict[int, str]:
    """The hidden units and their marks (see the module docstring)."""
    units = model.units
    hidden = {i: SMALL if u.value < THRESHOLD else HIDDEN for i, u in enumerate(units) if u.primary}
    lines = _lines(units)
    checked: set[int] = set()
    while True:
        todo = sorted(set(hidden) - checked, key=lambda i: (not units[i].primary, i))
        failing, reader, binding = None, None, []
        for i in todo:
            found = model.failing(i, hidden)
            if found is not None:
                failing, (reader, binding) = i, found
                break
            checked.add(i)
        if failing is None:
            return hidden
        if reader == "B":
            small = [failing] if hidden[failing] == SMALL else []
            small += [
                j
                for j, mark in hidden.items()
                if mark == SMALL and lines[j] & lines[failing] and j != failing
            ]
            if small:
                hidden[small[0]] = HIDDEN  # a looser bound: what was protected stays so
                continue

        def usable(j):
            return j not in hidden and units[j].secret >= THRESHOLD

        def rank(j, near=lines[failing]):
            return (units[j].tier, not (lines[j] & near), units[j].value, j)

        candidates = sorted(
            {j for j in binding if usable(j)}, key=lambda j: (units[j].tier, units[j].value, j)
        )
        if not candidates:
            cube = units[failing].cube
            candidates = sorted((j for j in model.cube_units[cube] if usable(j)), key=rank)
        if not candidates:  # last resort: no "<3" of the cube read as 1 or 2
            small = [j for j in model.cube_units[units[failing].cube] if hidden.get(j) == SMALL]
            if not small:
                raise RelationError(f"cannot protect {units[failing].cells} ({reader})")
            for j in small:
                hidden[j] = HIDDEN
            continue
        chosen = candidates[0]
        hidden[chosen] = HIDDEN


@dataclass
class Protected:
    """The release as national roles see it."""

    tables: dict[str, Table]
    hidden: dict[Cell, str]
    ranges: dict[Cell, tuple]
    exact: Release


def protect(release: Release) -> Protected:
    model = Model(release)
    hidden_units = suppress(model)
    hidden: dict[Cell, str] = {}
    ranges: dict[Cell, tuple] = {}
    for i, mark in hidden_units.items():
        unit = model.units[i]
        lo, hi = model.interval(i, hidden_units, "B")
        for cell in unit.cells:
            hidden[cell] = mark
            ranges[cell] = (round(lo), hi if hi == INF else round(hi))
    tables = {}
    for key, table in release.tables.items():
        rows = {row.key: Row(row.key, row) for row in table.lines()}
        shown = {}
        for cell, mark in hidden.items():
            if cell.table == key:
                rows[cell.row][table.index(cell.column)] = mark
                if cell.row != TOTAL:
                    shown[(cell.row, cell.column)] = ranges[cell]
        total = rows.pop(TOTAL) if table.total is not None else None
        tables[key] = replace(
            table, rows=list(rows.values()), total=total, suppressed=True, ranges=shown
        )
    return Protected(tables=tables, hidden=hidden, ranges=ranges, exact=release)


# -- from the database -------------------------------------------------------------------------
_J_BLOCKS: dict[tuple, dict] = {}


def _jeugdige_blocks(jc, months: list[date], c: dict) -> dict[str, dict]:
    """The jeugdigen cube's blocks (hub, grondslag, age, month) added up from the counted
    groups: a fresh copy of each block for the caller. Kept per process under the name of the
    groups' cache entry (the question and the case tokens they were counted under) and the
    months: adding up the 500 groups of 75 regions was a sixth of the national dashboard's CPU
    (issue 23). Counted inside a transaction (no entry name), they are added up every time."""
    key = (jc.entry, tuple(months)) if jc.entry else None
    blocks = _J_BLOCKS.get(key) if key else None
    if blocks is None:
        j = defaultdict(lambda: defaultdict(int))
        for g in jc.groups:
            o = c["open"][g["status"]]
            j["hub"][(g["region"], g["status"], bool(g["is_focus"]))] += g["n"]
            j["grondslag"][(g["grondslag"], o)] += g["n"]
            if o:
                for i, a in enumerate(c["age"]):
                    j["age"][(a, True)] += g[f"age{i}"]
            else:
                j["age"][("-", False)] += g["n"]
            registered = 0
            for i in range(len(months)):
                j["month"][i] += g[f"m{i}"]
                registered += g[f"m{i}"]
            j["month"]["before"] += g["n"] - registered
        blocks = {b: dict(v) for b, v in j.items()}
        if key:
            if len(_J_BLOCKS) >= 16:
                _J_BLOCKS.clear()
            _J_BLOCKS[key] = blocks
    return {b: dict(v) for b, v in blocks.items()}


def collect(span) -> Counts:
    """The release's counts for a span of all regions (a fixed number of queries)."""
    from django.db.models import Count
    from django.db.models.functions import TruncMonth

    from cases.models import ContactMoment
    from interviews.models import BelemmerendeFactor, Interview, Level, MoreelBeraad
    from regions.models import Region
    from wel.sql import compiled, fetch

    from .metrics.build import month_key
    from .metrics.counts.interviews import interview_counts
    from .metrics.counts.jeugdigen import jeugdige_counts
    from .metrics.counts.obstacles import obstacle_counts

    c = _choices()
    # Plain rows, their SQL built once per process for the span (wel.sql.compiled); the
    # contacts below stay with the ORM, whose converter reads SQLite's month as a date.
    regions = [
        (r["pk"], r["code"], r["name"])
        for r in fetch(
            compiled(
                ("release.regions", span),
                lambda: (
                    Region.objects.filter(span.region_pk_q())
                    .order_by("phase__number", "name")
                    .values("pk", "code", "name")
                ),
            )
        )
    ]
    months = span.trend_months()
    j = _jeugdige_blocks(jeugdige_counts(span, by_region=True, signals=True), months, c)
    ic = interview_counts(span, by_region=True)
    iv = defaultdict(lambda: defaultdict(int))
    pre = span.start != months[0]
    for pk, row in ic.by_region_id.items():
        in_trend = sum(row.get(f"m{i}", 0) for i in range(len(months)))
        before = in_trend - row["n"]  # interviews of the first month before the period
        if before and not pre:
            raise RelationError("interviews outside the period in a trend that starts with it")
        if pre:
            iv["hub"][(pk, "pre")] += before
        for i in range(len(months)):
            iv["hub"][(pk, i)] += row.get(f"m{i}", 0) - (before if i == 0 else 0)
        for i, k in enumerate(c["kind"]):
            iv["kind"][k] += row.get(f"n{i}", 0)
    oc = obstacle_counts(span, by_region=True)
    ob = defaultdict(lambda: defaultdict(int))
    for pk, row in oc.by_region_id.items():
        for i, lv in enumerate(c["level"]):
            for s_i, s in enumerate(c["agenda"]):
                n = row.get(f"l{i}_s{s_i}", 0)
                if lv != Level.NATIONAL:
                    ob["hub"][(pk, lv, s)] += n
        for i, x in enumerate(c["category"]):
            ob["category"][(x, True)] += row.get(f"c{i}_open", 0)
            ob["category"][(x, False)] += row.get(f"c{i}_closed", 0)
    for row in fetch(
        compiled(
            ("release.national_obstacles", span),
            lambda: (
                BelemmerendeFactor.objects.filter(span.q(), level=Level.NATIONAL)
                .values("region", "status", "category")
                .annotate(n=Count("pk"))
                .order_by()
            ),
        )
    ):
        ob["public"][(row["region"], row["status"], row["category"])] += row["n"]
        o = c["obstacle_open"][row["status"]]
        ob["category"][(row["category"], o)] -= row["n"]  # the category leaf: not listed ones
    contacts = defaultdict(int)
    first = {month_row(m): i for i, m in enumerate(months)}
    for row in (
        ContactMoment.objects.filter(
            span.q("jeugdige__region"), date__gte=months[0], date__lte=span.end
        )
        .annotate(m=TruncMonth("date"))
        .values("m")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        contacts[first[month_row(month_key(row["m"]))]] += row["n"]
    beraad = {
        row["region"]: row["n"]
        for row in fetch(
            compiled(
                ("release.beraad", span),
                lambda: (
                    MoreelBeraad.objects.filter(
                        span.q(), held_on__gte=span.start, held_on__lte=span.end
                    )
                    .values("region")
                    .annotate(n=Count("pk"))
                    .order_by()
                ),
            )
        )
    }
    del Interview
    return Counts(
        regions=regions,
        months=months,
        period=(span.start, span.end),
        values={
            "J": j,
            "I": {b: dict(v) for b, v in iv.items()},
            "O": {b: dict(v) for b, v in ob.items()},
            "C": {"hub": dict(contacts)},
        },
        beraad=beraad,
    )


def national(span) -> Protected:
    """The national release of a span (all regions, the standard period), protected; kept
    per process for the same counts (a pure function of them)."""
    counts = collect(span)
    return _cached(counts)


_CACHE: dict[str, Protected] = {}


def _cached(counts: Counts) -> Protected:
    from django.utils.translation import get_language

    key = repr(
        (get_language(), counts.regions, counts.months, counts.period, counts.values, counts.beraad)
    )
    found = _CACHE.get(key)
    if found is None:
        if len(_CACHE) > 8:
            _CACHE.clear()
        found = _CACHE[key] = protect(build(counts))
    return found


# -- plain values (the tests' snapshot of the demo) --------------------------------------------
def counts_to_json(counts: Counts) -> dict:
    """``counts`` as JSON-able values (keys as lists)."""
    return {
        "regions": [list(r) for r in counts.regions],
        "months": [m.isoformat() for m in counts.months],
        "period": [d.isoformat() for d in counts.period],
        "values": {
            cube: {block: [[k, v] for k, v in cells.items()] for block, cells in blocks.items()}
            for cube, blocks in counts.values.items()
        },
        "beraad": [[pk, n] for pk, n in counts.beraad.items()],
    }


def counts_from_json(data: dict) -> Counts:
    def key(k):
        return tuple(key(x) for x in k) if isinstance(k, list) else k

    return Counts(
        regions=[tuple(r) for r in data["regions"]],
        months=[date.fromisoformat(m) for m in data["months"]],
        period=tuple(date.fromisoformat(d) for d in data["period"]),
        values={
            cube: {block: {key(k): v for k, v in cells} for block, cells in blocks.items()}
            for cube, blocks in data["values"].items()
        },
        beraad=dict(data["beraad"]),
    )
