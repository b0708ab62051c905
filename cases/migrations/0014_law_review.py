"""Lists the existing cases that break a condition of the law added in 0013 (issue: the
Leerplichtwet article by article) for review, and prints the report. No case is written or
changed: an older record is reviewed by its LPA, never rewritten to fit a newer rule."""

from django.db import migrations


def review(apps, schema_editor):
    from cases.review import review_all

    report = review_all(apps.get_model("cases", "Jeugdige"), apps.get_model("cases", "RuleFinding"))
    if report.checked:
        print()
        for line in report.lines():
            print(f"  {line}")


class Migration(migrations.Migration):
    dependencies = [("cases", "0013_law_grondslagen_advice_findings")]

    operations = [migrations.RunPython(review, migrations.RunPython.noop)]
