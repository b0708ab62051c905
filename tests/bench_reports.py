"""Issue 23's PDF targets, measured on the bench database (100,000 cases in VO2202):

- a region progress report of VO2202 (the kartrekker's "regio" report, the scheduled kind):
  at most 1.5 s of task time;
- the phase-4 overview (every region, protected figures): at most 3 s of task time;
- 75 region reports on 2 Celery worker processes: at most 60 s from queueing the first to the
  last one done.

Task time is the wall time of ``reports.services.report_build`` in this process, the median of
``rounds`` builds, after ``reports.documents.warm_up()`` (what a worker process does when it
starts, ``reports.tasks.warm_up_pdf``); the report rows are made as ``manage.py build_report``
makes them. The CPU time of each build is printed beside it: on a shared machine the wall time
mostly measures the queue for a core.

The 75 reports run on a real worker (``celery -A wel worker -c 2``, a subprocess) through the
broker: ``CELERY_BROKER_URL``, else ``BENCH_CELERY_BROKER_URL`` (default
redis://127.0.0.1:6379/11). The bench database has 75 regions of which only those already in
the programme have cases (34 on the demo: the later phases join in the future), so the 75
reports are made round-robin over the regions with cases, VO2202 (100,000 cases) included.

Used by ``make bench`` (part ``reports``) through :func:`reports_bench`; on its own:
``DATABASE_URL=… .venv/bin/python -m tests.bench_reports [--no-batch]``.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_REGION_S, TARGET_PHASE_S, TARGET_BATCH_S = 1.5, 3.0, 60.0
BATCH_REPORTS, BATCH_WORKERS = 75, 2
REGION = "VO2202"


def _load() -> str:
    return f"load {os.getloadavg()[0]:.1f}"


def _region_report(region):
    from reports.models import Report
    from reports.services import default_period

    start, end = default_period(region=region)
    return Report.objects.create(
        kind=Report.Kind.REGION_PROGRESS,
        region=region,
        audience=Report.Audience.REGIO,
        period_start=start,
        period_end=end,
    )


def _phase_report(phase):
    from reports.models import Report
    from reports.services import standard_period

    start, end = standard_period()
    return Report.objects.create(
        kind=Report.Kind.PHASE_OVERVIEW, phase=phase, period_start=start, period_end=end
    )


def _timed_build(report) -> tuple[float, float]:
    from reports.models import Report
    from reports.services import report_build

    wall, cpu = time.perf_counter(), time.process_time()
    done = report_build(report_id=report.pk)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    assert done.status == Report.Status.DONE, done.error
    return wall, cpu


# (target, measured, limit, met) of each measure, for make bench's table of targets.
RESULTS: list[tuple[str, str, str, bool]] = []


def _in_process(label: str, make, rounds: int, target: float) -> list[str]:
    walls, cpus = [], []
    for _ in range(rounds):
        wall, cpu = _timed_build(make())
        walls.append(wall)
        cpus.append(cpu)
    median = statistics.median(walls)
    verdict = "met" if median <= target else "NOT met"
    print(
        f"{label:34} {median:6.2f} s (each {', '.join(f'{w:.2f}' for w in walls)}; CPU "
        f"{', '.join(f'{c:.2f}' for c in cpus)}) target {target:.1f} s {verdict} ({_load()})"
    )
    RESULTS.append((f"{label}, task s (23)", f"{median:.2f}", f"≤ {target:.1f}", median <= target))
    return [] if median <= target else [f"{label}: {median:.2f} s > {target:.1f} s"]


def _start_worker(broker: str) -> subprocess.Popen:
    env = {**os.environ, "CELERY_BROKER_URL": broker, "PYTHONPATH": str(ROOT)}
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    return subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "celery"),
            "-A",
            "wel",
            "worker",
            "-c",
            str(BATCH_WORKERS),
            "-l",
            "warning",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-n",
            f"bench-reports-{os.getpid()}@%h",
        ],
        cwd=ROOT,
        env=env,
    )


def _cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a worker's child processes so far, from /proc."""
    total = 0
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return 0.0
    for child in children:
        try:
            fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def _batch(n: int = BATCH_REPORTS, target: float = TARGET_BATCH_S) -> list[str]:
    """``n`` region reports queued at once on a worker of BATCH_WORKERS processes."""
    from django.conf import settings
    from django.test import override_settings

    from jobs import services as jobs
    from regions.models import Region
    from reports.models import Report
    from reports.tasks import build_report
    from wel.celery import app

    broker = settings.CELERY_BROKER_URL or os.environ.get(
        "BENCH_CELERY_BROKER_URL", "redis://127.0.0.1:6379/11"
    )
    regions = list(Region.objects.filter(jeugdigen__isnull=False).distinct().order_by("code"))
    before = {"broker_url": app.conf.broker_url, "task_always_eager": app.conf.task_always_eager}
    app.conf.update(broker_url=broker, task_always_eager=False)
    worker = _start_worker(broker)
    try:
        deadline = time.monotonic() + 120
        while not app.control.ping(timeout=1.0):
            assert worker.poll() is None, "the Celery worker did not start"
            assert time.monotonic() < deadline, "the Celery worker did not answer in 120 s"
        time.sleep(3)  # its processes warm up (reports.tasks.warm_up_pdf)
        reports = [_region_report(regions[i % len(regions)]) for i in range(n)]
        ids = [r.pk for r in reports]
        cpu = _cpu_seconds(worker.pid)
        started = time.perf_counter()
        with override_settings(CELERY_TASK_ALWAYS_EAGER=False, CELERY_BROKER_URL=broker):
            for pk in ids:
                jobs.dispatch(build_report, report_id=pk)
        open_ = set(ids)
        while open_:
            assert time.perf_counter() - started < 20 * target, "the batch did not finish"
            time.sleep(0.2)
            open_ -= set(
                Report.objects.filter(
                    pk__in=open_, status__in=[Report.Status.DONE, Report.Status.FAILED]
                ).values_list("pk", flat=True)
            )
        seconds = time.perf_counter() - started
        cpu = _cpu_seconds(worker.pid) - cpu
    finally:
        worker.terminate()
        worker.wait(timeout=60)
        app.conf.update(before)  # the rest of `make bench` as it was
    failed = Report.objects.filter(pk__in=ids, status=Report.Status.FAILED).count()
    verdict = "met" if seconds <= target and not failed else "NOT met"
    print(
        f"{f'{n} region PDFs, {BATCH_WORKERS} workers':34} {seconds:6.1f} s over "
        f"{len(regions)} regions with cases ({failed} failed) target {target:.0f} s {verdict} "
        f"({_load()}); the worker processes' CPU {cpu:.1f} s, {cpu / BATCH_WORKERS:.1f} s "
        f"each"
    )
    label = f"{n} region PDFs on {BATCH_WORKERS} workers"
    RESULTS.append(
        (
            f"{label}, s (23)",
            f"{seconds:.1f}, {failed} failed",
            f"≤ {target:.0f}",
            seconds <= target and not failed,
        )
    )
    problems = []
    if seconds > target:
        problems.append(f"{label}: {seconds:.1f} s > {target:.0f}")
    if failed:
        problems.append(f"{label}: {failed} failed")
    return problems


def reports_bench(*, rounds: int = 3, batch: bool = True) -> list[str]:
    """Measure and print the region and phase-4 PDFs (median of ``rounds``, task time) and, with
    ``batch``, 75 region PDFs on 2 Celery worker processes; each against issue 23's target.
    Returns the targets not met (empty when all are)."""
    from regions.models import Phase, Region
    from reports.documents import warm_up

    region = Region.objects.select_related("phase").get(code=REGION)
    phase = Phase.objects.get(number=4)
    started = time.perf_counter()
    warm_up()
    print(f"\nreports (issue 23): PDF task time, median of {rounds} ({_load()}); the worker's "
          f"warm-up at start, not counted: {time.perf_counter() - started:.2f} s")  # fmt: skip
    failed = _in_process(
        f"region report {REGION} (regio)", lambda: _region_report(region), rounds, TARGET_REGION_S
    )
    failed += _in_process("phase-4 report", lambda: _phase_report(phase), rounds, TARGET_PHASE_S)
    if batch:
        failed += _batch()
    return failed


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wel.settings.base")
    import django

    django.setup()
    problems = reports_bench(batch="--no-batch" not in sys.argv)
    print("targets NOT met:\n  " + "\n  ".join(problems) if problems else "every target met")
    sys.exit(1 if problems else 0)
