"""An attacker with every figure a national role can download, written apart from
reports/release.py (issue 20 §4).

Model: the attacker's own, finer than the product's — every breakdown per region. Per kind of
record a hub table and leaf tables, joined on separators (a decomposable model, so its linear
program is exact for the full cross-classification of single records):

- jeugdigen: H(region, step, focus); G(region, grondslag, open); A(region, age band, open)
  (closed cases in band "-"); M(region, month of registration, or "before");
- interviews: IH(region, bucket) (bucket: a trend month, or "pre", the first month before the
  period's start); IK(region, respondent, in period);
- obstacles: OX(region, level, agenda status, category), the full cross-classification (the
  national agenda lists each national obstacle with its region, status and category);
- contact moments: CH(region, month).

Each published cell (by table, row key and column key, in the scope of a region or the
nation) is a sum of these variables (:func:`meaning`). A cell the attacker cannot model raises
in ``strict`` mode (so no figure escapes the proof) and is ignored otherwise (a weaker
attacker, for the landed code). Every hidden cell's interval is computed by linear programming
(scipy ``linprog``/HiGHS): reader A (published exact, hidden >= 0) must leave it >= 3 wide;
reader B ("<3" is 1 or 2, "x" at least 1) must not pin it to one value.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_matrix, vstack

from cases import rules
from cases.models import Grondslag, Status
from interviews.models import AgendaStatus, Category, Interview, Level
from reports.tables import HIDDEN, SMALL, TOTAL

STEPS = list(Status.values)
OPEN = [s for s in STEPS if rules.case_open(s)]
BANDS = [b.key for b in rules.AGE_BANDS]
KINDS = list(Interview.RespondentKind.values)
AGENDA = list(AgendaStatus.values)
OB_OPEN = [s for s in AGENDA if not rules.obstacle_closed(s)]
LEVELS = list(Level.values)
CATS = list(Category.values)


class Unmodelled(Exception):
    pass


@dataclass
class Attacker:
    regions: dict[str, int]  # code -> pk
    months: list[str]  # "YYYY-MM" of the national trend
    pre: bool  # the period starts after the 1st of its first month
    strict: bool = True
    periods: bool = True  # model the figures of a period (interviews, the trend)
    observed: dict = field(default_factory=lambda: defaultdict(set))  # cell -> shown values
    vars: dict = field(default_factory=dict)

    # -- the model ---------------------------------------------------------------------------
    def var(self, *key) -> int:
        return self.vars.setdefault(key, len(self.vars))

    def seps(self) -> list[dict]:
        rs = list(self.regions.values())
        rows = []
        buckets = (["pre"] if self.pre else []) + self.months
        for r in rs:
            for o in (True, False):
                steps = [s for s in STEPS if rules.case_open(s) == o]
                hub = {self.var("H", r, s, f): 1 for s in steps for f in (True, False)}
                rows.append({**hub, **{self.var("G", r, g, o): -1 for g in Grondslag.values}})
                bands = BANDS if o else ["-"]
                rows.append({**hub, **{self.var("A", r, a, o): -1 for a in bands}})
            every = {self.var("H", r, s, f): 1 for s in STEPS for f in (True, False)}
            rows.append({**every, **{self.var("M", r, m): -1 for m in [*self.months, "before"]}})
            for p in [True, False] if self.pre else [True]:
                ih = {self.var("IH", r, b): 1 for b in buckets if (b != "pre") == p}
                rows.append({**ih, **{self.var("IK", r, k, p): -1 for k in KINDS}})
            for m in self.months:
                self.var("CH", r, m)
        return rows

    def meaning(self, scope: str | None, table: str, row, column: str) -> list[int] | None:
        """The variables a published cell sums. ``scope``: a region's code, or None for the
        nation (a sum over every region)."""
        if table.startswith("region-"):  # the phase overview's section of a region
            table, scope = "keyfigures", table.removeprefix("region-").upper()
        if table == "keyfigures":  # a region's row of the key figures, as a table
            if row == "beraad":  # moreel beraad sessions: professionals, shown exactly
                return None
            return self.meaning(None, "regions", scope, row)
        if not self.periods and (table in ("trend", "interviews") or row == "interviews"):
            return None
        if table == "regions":
            if not self.periods and column == "interviews":
                return None
            rs = list(self.regions.values()) if row == TOTAL else [self.regions[row]]
            return self._region_figure(rs, column)
        rs = list(self.regions.values()) if scope is None else [self.regions[scope]]
        rows = None if row == TOTAL else row
        out = []
        for r in rs:
            got = self._breakdown(r, table, rows, column)
            if got is None:
                return None
            out += got
        return out

    def _region_figure(self, rs, column):
        v = self.var
        if column == "open":
            return [v("H", r, s, f) for r in rs for s in OPEN for f in (True, False)]
        if column == "focus":
            return [v("H", r, s, True) for r in rs for s in OPEN]
        if column == "developing":
            return [v("H", r, Status.IN_ONTWIKKELING, f) for r in rs for f in (True, False)]
        if column == "interviews":
            return [v("IH", r, m) for r in rs for m in self.months]
        if column == "open_obstacles":
            return [
                v("OX", r, lv, s, c) for r in rs for lv in LEVELS for s in OB_OPEN for c in CATS
            ]
        return self._unmodelled("regions", column)

    def _breakdown(self, r, table, row, column):
        v = self.var

        def each(values, pick):
            return [x for value in (values if row is None else [row]) for x in pick(value)]

        if table == "status":
            f = (True,) if column == "focus" else (True, False)
            return each(STEPS, lambda s: [v("H", r, s, x) for x in f])
        if table == "grondslag":
            o = {"open": (True,), "closed": (False,), "total": (True, False)}[column]
            return each(Grondslag.values, lambda g: [v("G", r, g, x) for x in o])
        if table == "age":
            return each(BANDS, lambda a: [v("A", r, a, True)])
        if table == "interviews" and column == "interviews":
            return each(KINDS, lambda k: [v("IK", r, k, True)])
        if table == "obstacles":
            statuses = OB_OPEN if column == "open" else [s for s in AGENDA if s not in OB_OPEN]
            return each(CATS, lambda c: [v("OX", r, lv, s, c) for lv in LEVELS for s in statuses])
        if table == "agenda":
            statuses = AGENDA if column == "total" else [column]
            return each(LEVELS, lambda lv: [v("OX", r, lv, s, c) for s in statuses for c in CATS])
        if table == "trend":
            if column == "registered":
                return each(self.months, lambda m: [v("M", r, m)])
            if column == "contacts":
                return each(self.months, lambda m: [v("CH", r, m)])
            if column == "interviews":
                first = self.months[0]
                return each(
                    self.months,
                    lambda m: (
                        [v("IH", r, m)] + ([v("IH", r, "pre")] if m == first and self.pre else [])
                    ),
                )
        return self._unmodelled(table, column)

    def _unmodelled(self, table, column):
        if self.strict:
            raise Unmodelled(f"the attacker cannot model {table}/{column}: extend the model")
        return None

    # -- what was downloaded -------------------------------------------------------------------
    def read(self, scope: str | None, table) -> None:
        """A published table (as on a page, or read back from an export by row order)."""
        if not table.sensitive:
            return
        for line in table.lines():
            for i, column in enumerate(table.columns):
                if not column.count:
                    continue
                self.see(scope, table.key, line.key, column.key, line[i])

    def see(self, scope, table, row, column, value) -> None:
        cells = self.meaning(scope, table, row, column)
        if cells is None:
            return
        self.observed[frozenset(cells)].add(value)

    def focus_list(self, code: str, steps: list[str]) -> None:
        """The landed code's focus.csv: one row per focus child with its step."""
        r = self.regions[code]
        for s in STEPS:
            self.observed[frozenset([self.var("H", r, s, True)])].add(steps.count(s))

    def agenda_list(self, listed: list[tuple[int, str, str]]) -> None:
        """The national obstacle agenda (not sensitive): one row per national obstacle with its
        region (pk), agenda status and category, so their count per region, status and
        category is known."""
        for r in self.regions.values():
            for status in AGENDA:
                for c in CATS:
                    cell = frozenset([self.var("OX", r, Level.NATIONAL, status, c)])
                    self.observed[cell].add(listed.count((r, status, c)))

    # -- the proof ---------------------------------------------------------------------------
    def prove(self) -> dict:
        """Every hidden figure's intervals; returns {"hidden": n, "failed": [...]}."""
        sep_rows = self.seps()
        published, hidden = {}, {}
        for cells, shown in self.observed.items():
            numbers = {x for x in shown if isinstance(x, int) and not isinstance(x, bool)}
            numbers |= {int(x) for x in shown if isinstance(x, str) and x.isdigit()}
            if len(numbers) > 1:
                raise AssertionError(f"two different values published for one figure: {numbers}")
            if numbers:
                published[cells] = numbers.pop()
            else:
                hidden[cells] = SMALL if shown == {SMALL} else HIDDEN
        kinds = {"H": "J", "G": "J", "A": "J", "M": "J", "IH": "I", "IK": "I"}
        kinds |= {"OX": "O", "CH": "C"}
        cube_of = {i: kinds[k[0]] for k, i in self.vars.items()}
        failed = []
        for cube in ("J", "I", "O", "C"):  # no record kind shares a variable with another
            failed += self._prove(
                cube,
                [r for r in sep_rows if cube_of[next(iter(r))] == cube],
                {c: v for c, v in published.items() if cube_of[next(iter(c))] == cube},
                {c: v for c, v in hidden.items() if cube_of[next(iter(c))] == cube},
                [i for i, c in cube_of.items() if c == cube],
            )
        return {"hidden": len(hidden), "published": len(published), "failed": failed}

    def _prove(self, cube, sep_rows, published, hidden, columns) -> list:
        if not hidden:
            return []
        index = {v: j for j, v in enumerate(columns)}
        n = len(columns)

        def matrix(rows):
            data, ri, ci = [], [], []
            for i, row in enumerate(rows):
                for k, c in row.items():
                    ri.append(i), ci.append(index[k]), data.append(float(c))
            return csr_matrix((data, (ri, ci)), shape=(len(rows), n))

        pub_rows = [dict.fromkeys(cells, 1) for cells in published]
        a_eq = vstack([matrix(sep_rows), matrix(pub_rows)]).tocsr()
        b_eq = np.concatenate([np.zeros(len(sep_rows)), [float(x) for x in published.values()]])
        hid = list(hidden)
        hid_m = matrix([dict.fromkeys(c, 1) for c in hid])
        small = [i for i, c in enumerate(hid) if hidden[c] == SMALL]
        a_ub_b = vstack([-hid_m, hid_m[small]]).tocsr()
        b_ub_b = np.concatenate([-np.ones(len(hid)), np.full(len(small), 2.0)])
        failed = []
        for i, cells in enumerate(hid):
            c = hid_m[i].toarray().ravel()
            widths = {}
            for reader in ("A", "B"):
                ub = {"A_ub": a_ub_b, "b_ub": b_ub_b} if reader == "B" else {}
                ends = []
                for sign in (-1.0, 1.0):  # the maximum first: unbounded settles it
                    if ends and ends[0] == np.inf:
                        ends.append(0.0)
                        continue
                    res = linprog(
                        sign * c, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs", **ub
                    )
                    if res.status == 3:
                        ends.append(np.inf)
                        continue
                    assert res.status == 0, res.message  # the truth is a solution
                    ends.append(sign * res.fun)
                widths[reader] = (ends[1], ends[0])
            lo_a, hi_a = widths["A"]
            lo_b, hi_b = widths["B"]
            if hi_a - lo_a < 3 - 1e-6 or hi_b - lo_b < 1 - 1e-6:
                failed.append((sorted(self._names(cells)), hidden[cells], widths))
        return failed

    def _names(self, cells):
        names = {i: k for k, i in self.vars.items()}
        return [names[i] for i in cells][:4]
