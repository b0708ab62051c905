"""The timeline's text in every language of the site (``TimelineEntry.texts``; issue 21: in
English the timeline stayed Dutch). A second ``0015_lpa_*`` migration, after the search's, so
that neither changes once committed."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cases", "0015_lpa_search")]

    operations = [
        migrations.AddField(
            model_name="timelineentry",
            name="texts",
            field=models.JSONField(blank=True, default=dict, editable=False),
        ),
    ]
