"""A model's check constraints validated in one query.

Django's `Model.full_clean()` validates each `CheckConstraint` with a query of its own, and inside a transaction
each of those in a savepoint of its own: three round trips per constraint, fifteen for a prestatie, on every save
through a service. `validate_constraints` below asks the database about all check constraints of a model at once
and leaves the other constraints (unique ones) to Django. What it reports is what Django reports: the same
constraints fail, with the same message, code and key; a condition that refers to an excluded field is skipped,
and a condition the database cannot evaluate counts as met, as in Django.

`CoreConfig.ready()` puts it in place of `Model.validate_constraints`; `DJANGO_VALIDATE_CONSTRAINTS` keeps Django's
own for comparison (`tests/core/test_constraints.py`).
"""

import logging
from contextlib import nullcontext

from django.core.exceptions import FieldError, ValidationError
from django.db import DatabaseError, connections, router, transaction
from django.db.models import BooleanField, CheckConstraint, ExpressionWrapper, Model, Q, Value
from django.db.models.sql import Query
from django.db.models.sql.constants import SINGLE

logger = logging.getLogger(__name__)

DJANGO_VALIDATE_CONSTRAINTS = Model.validate_constraints


def failed_checks(instance, model, checks, *, exclude=None, using="default") -> list[CheckConstraint]:
    """The check constraints of `checks` (of `model`) that `instance` does not meet, asked in one query."""
    against = instance._get_field_expression_map(meta=model._meta, exclude=exclude)
    query = Query(None)
    for name, value in against.items():
        query.add_annotation(value if hasattr(value, "resolve_expression") else Value(value), name, select=False)
    asked = []
    for constraint in checks:
        try:
            query.add_annotation(ExpressionWrapper(Q(constraint.condition), output_field=BooleanField()),
                                 f"check_{len(asked)}")
        except FieldError:
            continue  # the condition refers to an excluded field: Django does not check it either
        asked.append(constraint)
    if not asked:
        return []
    connection = connections[using]
    try:
        with transaction.atomic(using=using) if connection.in_atomic_block else nullcontext():
            row = query.get_compiler(using=using).execute_sql(SINGLE)
    except DatabaseError as error:
        logger.warning("Got a database error checking the constraints of %r: %s", model, error)
        return []
    # NULL is not a violation, as for the database itself (Django wraps each condition in COALESCE(…, true)).
    return [constraint for constraint, held in zip(asked, row, strict=True) if held is not None and not held]


def validate_constraints(self, exclude=None):
    """`Model.validate_constraints`, with all check constraints of a model in one query."""
    using = router.db_for_write(self.__class__, instance=self)
    errors = {}
    for model_class, model_constraints in self.get_constraints():
        checks = [c for c in model_constraints if type(c) is CheckConstraint]
        for constraint in failed_checks(self, model_class, checks, exclude=exclude, using=using) if checks else ():
            error = ValidationError(constraint.get_violation_error_message(), code=constraint.violation_error_code)
            errors = error.update_error_dict(errors)
        for constraint in model_constraints:
            if type(constraint) is CheckConstraint:
                continue
            try:
                constraint.validate(model_class, self, exclude=exclude, using=using)
            except ValidationError as error:
                if getattr(error, "code", None) == "unique" and len(constraint.fields) == 1:
                    errors.setdefault(constraint.fields[0], []).append(error)
                else:
                    errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
