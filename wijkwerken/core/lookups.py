"""`field__any=[...]`: membership in a long list as one array parameter.

`field__in` with thousands of values makes Django prepare every value and psycopg quote a query with
thousands of placeholders; on PostgreSQL `field = ANY(%s)` passes the list as a single array instead. Other
databases fall back to `IN`. Use it for the large id or reference lists of set-based services.
"""

from django.db.models import Field, ForeignObject
from django.db.models.fields.related_lookups import RelatedIn
from django.db.models.lookups import In


class _AnyArray:
    lookup_name = "any"

    def get_prep_lookup(self):
        if isinstance(self.rhs, list | tuple) and all(type(value) is int for value in self.rhs):
            return list(self.rhs)  # ids are what the database compares: nothing to prepare, value by value
        return super().get_prep_lookup()

    def as_postgresql(self, compiler, connection):
        if not isinstance(self.rhs, list | tuple | set | frozenset):
            return super().as_sql(compiler, connection)  # a subquery: IN is right
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", (*lhs_params, [value for value in self.rhs if value is not None])


@Field.register_lookup
class AnyOf(_AnyArray, In):
    pass


@ForeignObject.register_lookup
class RelatedAnyOf(_AnyArray, RelatedIn):
    pass
