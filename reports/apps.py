from django.apps import AppConfig
from django.db.models.signals import post_delete
from django.utils.translation import gettext_lazy as _


def _delete_file(sender, instance, **kwargs) -> None:
    """A report's PDF belongs to the report: it goes when the report goes (also by cascade)."""
    if instance.file:
        instance.file.storage.delete(instance.file.name)


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        post_delete.connect(_delete_file, sender="reports.Report", dispatch_uid="reports.file")
        from celery.signals import worker_process_init

        from .tasks import warm_up_pdf

        # Each worker process loads the PDF renderer when it starts, not in its first report.
        worker_process_init.connect(warm_up_pdf, dispatch_uid="reports.warm_up_pdf")
