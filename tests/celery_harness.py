"""A real Celery worker, as a separate process consuming from Redis, for end-to-end task tests.

The worker uses the test database (so tests using it must be ``transaction=True``) and a queue
of its own, so parallel runs never steal each other's tasks.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager, suppress
from pathlib import Path

from django.conf import settings
from django.db import connection
from kombu import pools

from wel.celery import app

ROOT = Path(__file__).resolve().parent.parent


def database_url() -> str:
    s = connection.settings_dict
    return (
        f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST'] or '127.0.0.1'}:"
        f"{s['PORT'] or 5432}/{s['NAME']}"
    )


@contextmanager
def celery_worker(*, extra_env: dict | None = None, concurrency: int = 1):
    """Start ``celery worker`` in a subprocess; route this process's tasks to it via Redis.

    Yields the Popen so a test can kill it.
    """
    broker = os.environ["CELERY_BROKER_URL"]
    queue = f"wel-test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "wel.settings.test",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": broker,
        "CELERY_RESULT_BACKEND": broker,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        # Tasks the worker sends itself (a sweep queuing a job again) go to its own queue.
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        **(extra_env or {}),
    }
    log = Path(settings.MEDIA_ROOT).parent / f"{queue}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as log_file:
        proc = subprocess.Popen(  # noqa: S603 - our own worker, fixed arguments
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "wel",
                "worker",
                "-Q",
                queue,
                "-c",
                str(concurrency),
                "--pool",
                "prefork",
                "-l",
                "info",
                "--without-heartbeat",
                "--without-mingle",
                "--without-gossip",
                "-n",
                f"{queue}@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    saved = {
        k: app.conf.get(k)
        for k in ("task_always_eager", "broker_url", "result_backend", "task_default_queue")
    }
    app.conf.update(
        task_always_eager=False, broker_url=broker, result_backend=broker, task_default_queue=queue
    )
    # An earlier test in this process may have used the app without a backend (eager tasks):
    # the thread's cached DisabledBackend would outlive the new conf.
    _forget_backend()
    try:
        _wait_ready(proc, queue, log)
        yield proc
    finally:
        app.conf.update(**saved)
        _forget_backend()
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        # Close the app's pooled broker connections made with the test's broker settings, and
        # reset kombu's pools so a second worker in the same process gets fresh ones.
        app.pool.force_close_all()
        pools.reset()
        app._after_fork()


def _forget_backend() -> None:
    # Celery caches the result backend per thread on first use; make it follow the new conf.
    with suppress(AttributeError):
        del app._local.backend


def _wait_ready(proc: subprocess.Popen, queue: str, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"Celery worker exited early:\n{log.read_text()}")
        if "ready." in log.read_text():
            return
        time.sleep(0.2)
    raise RuntimeError(f"Celery worker not ready after {timeout}s:\n{log.read_text()}")
