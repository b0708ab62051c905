from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = _("Background jobs")

    def ready(self) -> None:
        from celery.signals import worker_ready

        from . import services

        # A worker that starts sweeps at once: jobs whose worker died are found without beat.
        worker_ready.connect(services.sweep_on_worker_ready, dispatch_uid="jobs.sweep_on_ready")
