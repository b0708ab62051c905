"""References under concurrency, on PostgreSQL (SQLite serialises writers anyway)."""

import threading

import pytest
from django.db import connection

from cases import services
from tests.cases.factories import make_jeugdige
from tests.conftest import need_services

pytestmark = pytest.mark.django_db(transaction=True)


def test_parallel_creates_get_distinct_references(world):
    need_services(postgres=True)
    lpa = world.user("kartrekker_a")
    refs, failures = [], []
    barrier = threading.Barrier(6)

    def create(n):
        try:
            barrier.wait()
            j = make_jeugdige(world, given_name=f"Kind{n}", by=lpa)
            refs.append(j.reference)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures
    assert len(set(refs)) == 6


def test_parallel_saves_of_one_case_let_exactly_one_win(world):
    need_services(postgres=True)
    j = make_jeugdige(world)
    version = j.version
    results = []
    barrier = threading.Barrier(2)

    def save(persona, notes):
        try:
            barrier.wait()
            services.jeugdige_update(
                jeugdige=j, data={"notes": notes}, version=version, by=world.user(persona)
            )
            results.append("saved")
        except services.ConcurrentEditError:
            results.append("refused")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=("lpa_a", "A")),
        threading.Thread(target=save, args=("kartrekker_a", "B")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["refused", "saved"]
    j.refresh_from_db()
    assert j.version == version + 1
