"""Issue 23's import target: ``manage.py import_jeugdigen`` of 20,000 valid rows into a
database with 100,000 cases must take at most 4 s wall-clock and 150 MB peak memory (the
whole command).

:func:`import_bench` writes a 20,000-row CSV in the template's columns (region VO2202,
gemeenten Emmen 0114 and Borger-Odoorn 1681; valid BSNs not yet registered in the region;
names that match no case; young people of leerplichtige age with a vrijstelling 5 onder a of
one school year), runs the command in a subprocess against ``DATABASE_URL``, measures its
wall-clock time and peak resident memory (``getrusage(RUSAGE_CHILDREN).ru_maxrss`` of a
fresh measuring process, so only the command counts), and then deletes the imported cases
again (with their history, timeline and findings; the audit and processing log stay, being
append-only), so the bench database keeps its size.

Run alone: ``DATABASE_URL=postgres://… .venv/bin/python tests/bench_import.py [runs]``;
``IMPORT_BENCH_ROOT=/path/to/checkout`` measures another checkout's command.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

# The checkout whose command is measured (another worktree's, to compare before and after).
ROOT = Path(os.environ.get("IMPORT_BENCH_ROOT") or Path(__file__).resolve().parent.parent)
REGION = "VO2202"
GEMEENTEN = ("0114", "1681")
USER = "kartrekker.emm@wel.example"
ROWS = 20_000
TARGET_SECONDS, TARGET_MB = 4.0, 150.0
GIVEN = (
    "Sanne", "Daan", "Zoë", "Noah", "Fenna", "Luuk", "Anouk", "Sem", "Mila", "Thijs",
    "Iris", "Bram", "Julia", "Milan", "Sara", "Finn", "Lotte", "Jesse", "Eva", "Ruben",
)  # fmt: skip
FAMILY = (
    "de Vries", "Jansen", "van Dijk", "Bakker", "Visser", "Smit", "Meijer", "de Boer",
    "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker",
    "Brouwer", "de Wit", "Dijkstra", "Smits", "Çelik", "Yılmaz", "El Amrani", "Nguyễn",
)  # fmt: skip
SCHOOLS = ("OBS De Esch", "Hondsrug College", "Esdal College", "CBS De Wegwijzer", "")


def valid_bsn(rnd: random.Random) -> str:
    """Nine digits passing the 11-test (9*d1 + 8*d2 + … + 2*d8 - d9 divisible by 11)."""
    while True:
        digits = [rnd.randint(1, 9)] + [rnd.randint(0, 9) for _ in range(7)]
        total = sum(w * d for w, d in zip(range(9, 1, -1), digits, strict=True))
        last = total % 11
        if last <= 9:
            return "".join(map(str, digits)) + str(last)


def write_csv(path: Path, *, rows: int = ROWS, taken_bsns=frozenset(), seed: int = 23) -> None:
    """``rows`` valid, new rows in the template's columns (semicolons, UTF-8 with BOM, as
    Dutch Excel saves the template)."""
    rnd = random.Random(seed)
    today = dt.date.today()
    school_year = today.year if today.month >= 8 else today.year - 1
    start, end = dt.date(school_year, 8, 1), dt.date(school_year + 1, 7, 31)
    from cases.importer.columns import COLUMNS  # the template's own columns

    bsns: set[str] = set()
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        writer.writerow(COLUMNS)
        for n in range(rows):
            bsn = valid_bsn(rnd)
            while bsn in bsns or bsn in taken_bsns:
                bsn = valid_bsn(rnd)
            bsns.add(bsn)
            # 6 to 15 years old: leerplichtig; the number makes every name unique.
            dob = today - dt.timedelta(days=rnd.randint(6 * 366, 15 * 365))
            family = f"{rnd.choice(FAMILY)}-{n:05d}"
            writer.writerow(
                (
                    bsn,
                    rnd.choice(GIVEN),
                    family,
                    dob.strftime("%d-%m-%Y"),
                    GEMEENTEN[n % 2],
                    "5a",
                    start.strftime("%d-%m-%Y"),
                    end.strftime("%d-%m-%Y"),
                    rnd.choice(SCHOOLS),
                    "",
                )
            )


def _django(code: str, env: dict) -> str:
    """Run ``code`` in a Django shell of the product (a separate process); its stdout."""
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


_STATE = """
import json
from cases.models import Jeugdige
q = Jeugdige.objects.filter(region__code=%r)
print(json.dumps({"max_id": Jeugdige.objects.order_by("-id").values_list("id", flat=True).first(),
                  "bsns": list(q.exclude(bsn="").values_list("bsn", flat=True))}))
"""
_CLEAN = """
from django.db import transaction
from cases.models import Jeugdige
ids = list(Jeugdige.objects.filter(region__code=%r, id__gt=%d).values_list("id", flat=True))
with transaction.atomic():
    Jeugdige.objects.filter(id__in=ids).delete()
    Jeugdige.history.filter(id__in=ids).delete()  # with the "-" rows the deletion wrote
print(len(ids))
"""
# Measures the command alone: this small process starts it and reports its peak RSS.
_MEASURE = """
import json, resource, subprocess, sys, time
started = time.monotonic()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
seconds = time.monotonic() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"seconds": seconds, "kb": usage.ru_maxrss, "cpu": usage.ru_utime + usage.ru_stime,
                  "rc": done.returncode, "out": done.stdout[-2000:], "err": done.stderr[-4000:]}))
"""


def import_bench(
    *, rows: int = ROWS, database_url: str | None = None, keep: bool = False
) -> tuple[float, float]:
    """Import ``rows`` rows once; prints and returns (seconds, peak MB) of the command."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "wel.settings.base",
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",
    }
    if database_url:
        env["DATABASE_URL"] = database_url
    # As the image is built (Dockerfile): the product's bytecode compiled beforehand, so the
    # command's start-up is not spent compiling (PYTHONDONTWRITEBYTECODE, set on this machine
    # and in the image, otherwise has every process compile it anew). Idempotent.
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", "-x", r"/(\.venv|node_modules|tests)/", "."],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    state = json.loads(_django(_STATE % REGION, env).strip().splitlines()[-1])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench-import.csv"
        write_csv(path, rows=rows, taken_bsns=frozenset(state["bsns"]))
        command = [
            sys.executable,
            "manage.py",
            "import_jeugdigen",
            str(path),
            "--region",
            REGION,
            "--user",
            USER,
            "--confirm-warnings",
        ]
        try:
            measured = subprocess.run(
                [sys.executable, "-c", _MEASURE, *command],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            result = json.loads(measured.stdout)
        finally:
            if not keep:
                _django(_CLEAN % (REGION, state["max_id"] or 0), env)
    if result["rc"] != 0:
        raise RuntimeError(f"import failed: {result['out']}\n{result['err']}")
    seconds, mb = result["seconds"], result["kb"] / 1024
    load = os.getloadavg()
    verdict = "met" if seconds <= TARGET_SECONDS and mb <= TARGET_MB else "NOT met"
    print(
        f"import of {rows} rows: {seconds:.2f} s wall, {result['cpu']:.2f} s CPU, {mb:.0f} MB "
        f"peak (targets {TARGET_SECONDS:.0f} s, {TARGET_MB:.0f} MB: {verdict}); "
        f"load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )
    return seconds, mb


if __name__ == "__main__":
    # the checkout, not tests/ (whose html.py would shadow the standard library's)
    sys.path[0] = str(Path(__file__).resolve().parent.parent)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wel.settings.base")
    import django

    django.setup()
    for _run in range(int(sys.argv[1]) if len(sys.argv) > 1 else 1):
        import_bench()
