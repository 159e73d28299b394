from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def fail_duplicate_active_builds(apps, schema_editor):
    """Before the constraint: keep each schedule's newest queued/running build, fail the rest
    (only a race under the old check-then-create could have left two)."""
    BuildJob = apps.get_model("scheduling", "BuildJob")
    active = BuildJob.objects.filter(status__in=["queued", "running"]).order_by(
        "schedule_id", "-created_at", "-pk"
    )
    seen = set()
    for job in active.only("pk", "schedule_id"):
        if job.schedule_id in seen:
            BuildJob.objects.filter(pk=job.pk).update(
                status="failed",
                finished_at=timezone.now(),
                error="Another build of this schedule was started at the same time.",
            )
        seen.add(job.schedule_id)


class Migration(migrations.Migration):

    dependencies = [
        ('scheduling', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='buildjob',
            name='heartbeat_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(fail_duplicate_active_builds, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='buildjob',
            constraint=models.UniqueConstraint(condition=models.Q(('status__in', ['queued', 'running'])), fields=('schedule',), name='one_active_build_per_schedule'),
        ),
    ]
