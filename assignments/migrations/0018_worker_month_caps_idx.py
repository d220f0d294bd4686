"""The monthly totals are read by worker and month from one index that holds the minutes too (PostgreSQL: an
index-only read of a worker's caps in the candidate ranking); the worker's own index goes, the new one leads with
the worker."""

import django.db.models.deletion
from django.db import migrations, models

from wijkwerken.core.sqlite_triggers import triggers_aside

# SQLite rebuilds the table to drop the index: the triggers that name it are put aside and made again.
BEFORE, AFTER = triggers_aside("assignments_workermonth")


class Migration(migrations.Migration):

    dependencies = [
        ('assignments', '0017_worker_month'),
        ('workers', '0006_availability_worker_no_own_index'),
    ]

    operations = [
        BEFORE,
        migrations.AlterField(
            model_name='workermonth',
            name='worker',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='workers.worker'),
        ),
        AFTER,
        migrations.AddIndex(
            model_name='workermonth',
            index=models.Index(fields=['worker', 'month'], include=('minutes',), name='worker_month_caps_idx'),
        ),
    ]
