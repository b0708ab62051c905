import pytest

from tests.celery_harness import celery_worker
from tests.conftest import need_services
from wel.tasks import ping

pytestmark = pytest.mark.services


@pytest.mark.django_db(transaction=True)
def test_a_task_runs_on_a_real_worker_through_redis():
    need_services(postgres=True, redis=True)
    with celery_worker():
        result = ping.delay("hallo")
        assert result.get(timeout=60) == "hallo"
        # It really went through the broker: eager results are EagerResult.
        assert type(result).__name__ == "AsyncResult"
