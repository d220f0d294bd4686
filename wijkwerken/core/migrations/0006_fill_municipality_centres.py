from django.db import migrations


def fill_centres(apps, schema_editor):
    from wijkwerken.core.municipalities import sync_flemish_municipalities

    sync_flemish_municipalities(apps.get_model("core", "Municipality"), apps.get_model("core", "PostalCode"))


class Migration(migrations.Migration):
    dependencies = [("core", "0005_municipality_centre")]

    operations = [migrations.RunPython(fill_centres, migrations.RunPython.noop)]
