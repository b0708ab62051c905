"""The four rollout phases and all 342 gemeenten (CBS, 1 January 2025) from regions/data/."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"

PHASES = [
    (1, "Pilot", 3),
    (2, "Fase 2", 14),
    (3, "Fase 3", 42),
    (4, "Landelijke dekking", 75),
]


def forwards(apps, schema_editor):
    Phase = apps.get_model("regions", "Phase")
    Gemeente = apps.get_model("regions", "Gemeente")
    for number, name, target in PHASES:
        Phase.objects.update_or_create(
            number=number, defaults={"name": name, "target_regions": target}
        )
    with (DATA / "gemeenten.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            Gemeente.objects.update_or_create(
                cbs_code=row["cbs_code"],
                defaults={"name": row["name"], "province": row["province"]},
            )


def backwards(apps, schema_editor):
    apps.get_model("regions", "Gemeente").objects.all().delete()
    apps.get_model("regions", "Phase").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
