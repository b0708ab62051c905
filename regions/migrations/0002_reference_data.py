"""The four rollout phases and all 342 gemeenten (CBS, 1 January 2025) from regions/data/."""

from django.db import migrations

from regions.reference import load_reference_data


def forwards(apps, schema_editor):
    load_reference_data(apps.get_model("regions", "Phase"), apps.get_model("regions", "Gemeente"))


def backwards(apps, schema_editor):
    apps.get_model("regions", "Gemeente").objects.all().delete()
    apps.get_model("regions", "Phase").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
