"""Every constraint and index a model declares exists in the database the migrations build. A migration can lose
one without a word: an AlterField that drops a foreign key's own index drops every index on that column alone,
the partial unique index of a UniqueConstraint with a condition included."""

import pytest
from django.apps import apps
from django.db import connection

pytestmark = pytest.mark.django_db


def test_every_declared_constraint_and_index_is_in_the_database():
    missing = []
    with connection.cursor() as cursor:
        for model in apps.get_models():
            if not model._meta.managed or model._meta.proxy:
                continue
            found = connection.introspection.get_constraints(cursor, model._meta.db_table)
            missing += [f"{model._meta.db_table}.{declared.name}"
                        for declared in [*model._meta.constraints, *model._meta.indexes]
                        if declared.name not in found]
    assert not missing, "declared but not in the database: " + ", ".join(missing)
