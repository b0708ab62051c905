"""Reference data shipped with the product: the four phases and all 342 gemeenten.

Takes the model classes as arguments so that the data migration can pass its historical models.
"""

import csv
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"

PHASES = [
    (1, "Pilot", 3),
    (2, "Fase 2", 14),
    (3, "Fase 3", 42),
    (4, "Landelijke dekking", 75),
]


def load_reference_data(Phase, Gemeente) -> None:  # noqa: N803 - model classes
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
