from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def replies_stand_for_the_time_they_were_given(apps, schema_editor):
    # Until now a reply was never asked again, so each one stands for the meeting's time.
    Rsvp = apps.get_model("meetings", "Rsvp")
    Meeting = apps.get_model("meetings", "Meeting")
    Rsvp.objects.update(
        given_for=Subquery(Meeting.objects.filter(pk=OuterRef("meeting_id")).values("starts_at"))
    )


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="rsvp", name="given_for", field=models.DateTimeField(null=True)
        ),
        migrations.RunPython(
            replies_stand_for_the_time_they_were_given, migrations.RunPython.noop
        ),
        migrations.AlterField(model_name="rsvp", name="given_for", field=models.DateTimeField()),
    ]
