"""E-mail addresses are one spelling (lower case) and unique whatever their case (issue 10:
``LPA.UTR@wel.example`` got its own free login attempts while ``lpa.utr@…`` was locked).

Existing addresses are lower-cased first; two accounts that differ only in case stop the
migration with both addresses named, for a beheerder to merge or rename by hand.
"""

import unicodedata

import django.db.models.functions.text
from django.db import migrations, models


def lower_case_addresses(apps, schema_editor):
    User = apps.get_model("wel", "User")
    seen: dict[str, str] = {}
    for pk, email in User.objects.order_by("pk").values_list("pk", "email"):
        normal = unicodedata.normalize("NFKC", email or "").strip().lower()
        if normal in seen:
            raise RuntimeError(
                f"Two accounts share the address {normal!r} in different spellings "
                f"({seen[normal]!r} and {email!r}): merge or rename one, then migrate again."
            )
        seen[normal] = email
        if normal != email:
            User.objects.filter(pk=pk).update(email=normal)


class Migration(migrations.Migration):
    dependencies = [
        ("wel", "0002_audit_append_only"),
    ]

    operations = [
        migrations.RunPython(lower_case_addresses, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("email"),
                name="user_email_ci_unique",
                violation_error_message="A user with this e-mail address already exists.",
            ),
        ),
    ]
