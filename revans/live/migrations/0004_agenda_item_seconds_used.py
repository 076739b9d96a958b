from django.db import migrations, models
from django.db.models import F, Q


def as_planned(apps, schema_editor):
    """Meetings run before the time was kept count as having kept to their plan (what
    airtime counted until now): every round of an ended meeting, and the rounds a running
    one has left behind."""
    AgendaItem = apps.get_model("live", "AgendaItem")
    AgendaItem.objects.filter(
        Q(live_meeting__status="ended")
        | Q(live_meeting__status="running", position__lt=F("live_meeting__stage_position"))
    ).update(seconds_used=F("minutes") * 60)


class Migration(migrations.Migration):
    dependencies = [("live", "0003_set_round_times")]

    operations = [
        migrations.AddField(
            model_name="agendaitem",
            name="seconds_used",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.RunPython(as_planned, migrations.RunPython.noop),
    ]
