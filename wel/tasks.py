from celery import shared_task


@shared_task(name="wel.ping")
def ping(value: str = "pong") -> str:
    """A trivial task used to prove a worker is consuming from the broker."""
    return value
