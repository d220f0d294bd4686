from django.db import migrations


def load_municipalities(apps, schema_editor):
    from wijkwerken.core.municipalities import sync_flemish_municipalities

    sync_flemish_municipalities(apps.get_model("core", "Municipality"), apps.get_model("core", "PostalCode"))


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(load_municipalities, migrations.RunPython.noop)]
