# An import job owns its uploaded file as a jobs.StoredFile (path and hash move there).

import django.db.models.deletion
from django.db import migrations, models


def files_to_stored_files(apps, schema_editor):
    ImportJob = apps.get_model("cases", "ImportJob")
    StoredFile = apps.get_model("jobs", "StoredFile")
    for job in ImportJob.objects.exclude(path=""):
        stored, _created = StoredFile.objects.get_or_create(
            path=job.path,
            defaults={"sha256": job.sha256, "purpose": "import_upload", "size": 0},
        )
        job.upload = stored
        job.save(update_fields=["upload"])


def stored_files_to_files(apps, schema_editor):
    ImportJob = apps.get_model("cases", "ImportJob")
    for job in ImportJob.objects.exclude(upload=None).select_related("upload"):
        job.path, job.sha256 = job.upload.path, job.upload.sha256
        job.save(update_fields=["path", "sha256"])


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0016_jobs_importjob_is_a_job"),
        ("jobs", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="importjob",
            name="upload",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="jobs.storedfile",
                verbose_name="uploaded file",
            ),
        ),
        migrations.RunPython(files_to_stored_files, stored_files_to_files),
        migrations.RemoveField(model_name="importjob", name="path"),
        migrations.RemoveField(model_name="importjob", name="sha256"),
    ]
