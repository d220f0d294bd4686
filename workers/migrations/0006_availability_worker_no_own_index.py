"""An availability slot has no index on the worker alone: the unique slot index leads with the worker and holds
every column."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('workers', '0005_workeractivity_activity_idx'),
    ]

    operations = [
        migrations.AlterField(
            model_name='availability',
            name='worker',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='availability', to='workers.worker'),
        ),
    ]
